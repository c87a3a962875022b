import fs from 'node:fs';
import type { BuildOptions, BuildResult } from '../build.js';
import { createBuildState, flushBuildState } from '../build-state.js';
import type { ResolvedConfig } from '../config/schema.js';
import type { Diagnostic } from '../diagnostics/error.js';
import { formatDiagnostic } from '../diagnostics/format.js';
import { sha1 } from '../output/manifest.js';
import { bytesOf } from '../output/write-plan.js';
import { memoryWriter, type Writer } from '../output/writer.js';
import type { PageRenderer } from './lazy-render.js';
import type { LazySite } from './lazy-site.js';

/** The served files: a site whose pages render when asked for (see lazy-site.ts), or a finished build's. */
export type DevFiles = ReadonlyMap<string, Uint8Array> | PageRenderer;

/** What the dev server serves: the last good build's files, and the current errors if the last build failed. */
export interface DevState {
  /**
   * The pages of the site loaded without its markdown, each made when asked for (on demand); without it, output path
   * → bytes of the last successful build. Empty when neither exists yet.
   */
  files: DevFiles;
  /** Config of the last successful build (its base path decides where the site is served). */
  config?: ResolvedConfig;
  /** Changes whenever the served files change; pages reload when theirs is older. */
  buildId: string;
  /** Formatted errors of the last build (no colour), or undefined when it succeeded. */
  errorText?: string;
}

/** Options for {@link createDevSession}. */
export interface DevSessionOptions extends Omit<BuildOptions, 'writer' | 'now' | 'root' | 'state'> {
  /** The blog's folder. */
  root: string;
  /** Folder diagnostics are printed relative to. @default root */
  cwd?: string;
  /** The build function; tests and the CLI pass the real one. */
  build: (options: BuildOptions) => Promise<BuildResult>;
}

/** One finished build, as seen by listeners. */
export interface DevBuildEvent {
  result: BuildResult;
  state: DevState;
  /** Whether the served files changed. */
  isChanged: boolean;
}

/**
 * Holds the served state. Each rebuild is an in-memory build with one build state kept for the session, so only
 * what changed is read, parsed and rendered again, and the served site equals a clean build.
 */
export interface DevSession {
  readonly state: DevState;
  /** Number of builds run so far. */
  readonly builds: number;
  /** Rebuilds (only what changed since the last build); on success the served files are replaced, on failure they stay and the errors are set. */
  rebuild(): Promise<DevBuildEvent>;
  /**
   * Loads the site without rendering any post (config, front matter, templates, pages) and serves its pages as they
   * are asked for, until the first build ends. False when that load found errors: only a build can serve then.
   */
  startLazy(): Promise<boolean>;
  /**
   * Takes in changed files without loading the site again, when that is enough: posts whose front matter is
   * unchanged get their new bodies (see {@link LazySite.withBodies}). False when the site must be loaded again
   * (`startLazy`): another file changed, a post's front matter did, or no site is served on demand.
   */
  update(changed: readonly string[]): Promise<boolean>;
  /**
   * A build of the files as they are, for its diagnostics alone (the served pages are made on demand): its files
   * are dropped as they are made, and it keeps nothing in memory (the persistent cache keeps what it rendered).
   * The overlay shows its errors; `isChanged` says whether they changed. A check that a later change overtook
   * shows nothing and is not passed to listeners (`isStale`).
   */
  check(): Promise<DevBuildEvent & { isStale: boolean }>;
  /** Shows a page's errors (a post on it failed to render) in the browser's overlay, until the next build. */
  showErrors(diagnostics: readonly Diagnostic[]): void;
  /** Calls `listener` after every build. Returns an unsubscribe function. */
  onBuild(listener: (event: DevBuildEvent) => void): () => void;
  /** Writes what the builds put off (the persistent markdown cache); call before the process ends. */
  flush(): Promise<void>;
}

/** Creates a dev session; call `rebuild()` for the first build. */
export function createDevSession(options: DevSessionOptions): DevSession {
  const { build, cwd, ...buildOptions } = options;
  let state: DevState = { files: new Map(), buildId: '0' };
  let builds = 0;
  let changes = 0;
  let lazyLoads = 0;
  // The site served on demand, and whether the files changed since it was loaded in a way it could not take in.
  let lazySite: LazySite | undefined;
  let isLazyStale = false;
  const buildState = createBuildState();
  const listeners = new Set<(event: DevBuildEvent) => void>();

  return {
    get state() {
      return state;
    },
    get builds() {
      return builds;
    },
    async rebuild() {
      const writer = memoryWriter();
      const loadsBefore = lazyLoads;
      const result = await build({ ...buildOptions, writer, state: buildState });
      builds++;
      // A site loaded again while this build ran has newer files than it: the build that follows replaces it.
      const next = result.ok && loadsBefore !== lazyLoads ? { state, isChanged: false } : servedAfter(state, result, writer.files, () => String(++changes), cwd ?? options.root);
      state = next.state;
      const event = { result, state, isChanged: next.isChanged };
      for (const listener of listeners) listener(event);
      return event;
    },
    async startLazy() {
      const { loadLazySite } = await import('./lazy-site.js');
      const { lazy, diagnostics } = await loadLazySite(buildOptions, buildState);
      const isReload = lazyLoads++ > 0;
      if (!lazy) {
        // Loaded again after a change, with errors: the last site stays served, with the errors in the overlay.
        if (isReload) state = { ...state, errorText: formatErrors(diagnostics, cwd ?? options.root) };
        isLazyStale = true;
        return false;
      }
      lazySite = lazy;
      isLazyStale = false;
      // Open pages reload when a site was served before (a change while the first build runs).
      state = { files: lazy, config: lazy.config, buildId: isReload ? String(++changes) : state.buildId };
      return true;
    },
    async update(changed) {
      if (!lazySite || isLazyStale || state.files !== lazySite) return false;
      const { updateBodies } = await import('./lazy-update.js');
      if (!updateBodies(lazySite, changed)) return false;
      lazyLoads++;
      state = { files: lazySite, config: lazySite.config, buildId: String(++changes) };
      return true;
    },
    async check() {
      const loadsBefore = lazyLoads;
      const result = await checkBuild(build, buildOptions, lazySite);
      builds++;
      const isStale = loadsBefore !== lazyLoads;
      if (isStale) return { result, state, isChanged: false, isStale };
      const errorText = result.ok ? undefined : formatErrors(result.diagnostics, cwd ?? options.root);
      const isChanged = errorText !== state.errorText;
      state = { ...state, errorText };
      const event = { result, state, isChanged };
      for (const listener of listeners) listener(event);
      return { ...event, isStale };
    },
    showErrors(diagnostics) {
      state = { ...state, errorText: formatErrors(diagnostics, cwd ?? options.root) };
    },
    onBuild(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    flush: () => flushBuildState(buildState),
  };
}

/** The background check's build: of the files as they are, from the served site's posts, its files discarded. */
function checkBuild(build: DevSessionOptions['build'], buildOptions: Omit<BuildOptions, 'writer' | 'state'>, lazySite: LazySite | undefined): Promise<BuildResult> {
  // Once a page was served: the next start reads the front matter of every post from one small file.
  lazySite?.saveIndex();
  // One worker unless told otherwise: the other core stays free for the pages the browser asks for meanwhile, and
  // a second worker's heap would cost ~100 MiB at 10,000 posts (issue 15's memory budget is 600 MiB).
  return build({ ...buildOptions, workers: buildOptions.workers ?? 1, writer: discardWriter(), earlyPages: false, loadedPosts: lazySite?.loadedPosts });
}

/** What is served after a full in-memory build: its files when they differ from the served ones, or its errors. */
function servedAfter(state: DevState, result: BuildResult, files: ReadonlyMap<string, Uint8Array>, nextBuildId: () => string, cwd: string): { state: DevState; isChanged: boolean } {
  if (!result.ok) return { state: { ...state, errorText: formatErrors(result.diagnostics, cwd) }, isChanged: false };
  const isChanged = !sameFiles(files, state.files);
  const buildId = isChanged ? nextBuildId() : state.buildId;
  return { state: { files: isChanged || 'made' in state.files ? files : state.files, config: result.config, buildId }, isChanged };
}

/**
 * A writer that makes each file (a page's render errors are found as it is made) and keeps none. A page whose hash
 * is known was made from the same inputs before, without an error (see hashing in render-pages.ts): it is not made
 * again. The others' hashes are kept, so the check after a save makes only the pages the save changed: making all
 * 10,000 post pages again on every save was most of that check's time and of its garbage.
 */
function discardWriter(): Writer {
  return {
    async writeAll(files) {
      // Made: the pages rendered now; unchanged: those whose hash was known, and files made or copied as they are.
      let made = 0;
      for (const file of files) {
        if (file.source !== undefined || !file.render || file.hash !== undefined) continue;
        file.onHash?.(sha1(bytesOf(file)));
        made++;
      }
      return { written: made, unchanged: files.length - made };
    },
    commit: async () => {},
    abort: async () => {},
    isKeyed: true,
  };
}

/** The errors of a failed build, formatted as in the terminal but without colour: the overlay's text. */
export function formatErrors(diagnostics: readonly Diagnostic[], cwd: string): string {
  const readSource = (file: string) => {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      // No code frame for a file that vanished or cannot be read; the message and location are still shown.
      return undefined;
    }
  };
  return diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => formatDiagnostic(d, { cwd, readSource, color: false }))
    .join('\n\n');
}

/**
 * Whether two builds' files are the same paths with the same bytes. Pages reused from the last build are the same
 * arrays, so only the files rendered or read again are compared byte by byte.
 */
function sameFiles(next: ReadonlyMap<string, Uint8Array>, served: DevFiles): boolean {
  if (next.size !== served.size) return false;
  // Pages made on demand: the same when each page made so far is (a browser showing it need not reload).
  const previous = 'made' in served ? served.made : served;
  for (const [key, bytes] of 'made' in served ? [...served.made.keys()].map((key) => [key, next.get(key)] as const) : next) {
    const old = previous.get(key);
    if (old === bytes) continue;
    if (!old || !bytes || !Buffer.from(old.buffer, old.byteOffset, old.byteLength).equals(bytes)) return false;
  }
  return true;
}
