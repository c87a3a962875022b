import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { BuildOptions, BuildResult } from '../build.js';
import type { ResolvedConfig } from '../config/schema.js';
import type { Diagnostic } from '../diagnostics/error.js';
import { formatDiagnostic } from '../diagnostics/format.js';
import { memoryWriter } from '../output/writer.js';

/** What the dev server serves: the last good build's files, and the current errors if the last build failed. */
export interface DevState {
  /** Output path → bytes of the last successful build; empty until one succeeds. */
  files: ReadonlyMap<string, Uint8Array>;
  /** Config of the last successful build (its base path decides where the site is served). */
  config?: ResolvedConfig;
  /** Changes whenever the served files change; pages reload when theirs is older. */
  buildId: string;
  /** Formatted errors of the last build (no colour), or undefined when it succeeded. */
  errorText?: string;
}

/** Options for {@link createDevSession}. */
export interface DevSessionOptions extends Omit<BuildOptions, 'writer' | 'now' | 'root'> {
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

/** Holds the served state; each rebuild is a full in-memory build, so the served site equals a clean build. */
export interface DevSession {
  readonly state: DevState;
  /** Number of builds run so far. */
  readonly builds: number;
  /** Runs a full build; on success the served files are replaced, on failure they stay and the errors are set. */
  rebuild(): Promise<DevBuildEvent>;
  /** Calls `listener` after every build. Returns an unsubscribe function. */
  onBuild(listener: (event: DevBuildEvent) => void): () => void;
}

/** Creates a dev session; call `rebuild()` for the first build. */
export function createDevSession(options: DevSessionOptions): DevSession {
  const { build, cwd, ...buildOptions } = options;
  let state: DevState = { files: new Map(), buildId: '0' };
  let builds = 0;
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
      const result = await build({ ...buildOptions, writer });
      builds++;
      let isChanged = false;
      if (result.ok) {
        const buildId = digest(writer.files);
        isChanged = buildId !== state.buildId;
        state = { files: isChanged ? writer.files : state.files, config: result.config, buildId };
      } else {
        state = { ...state, errorText: formatErrors(result.diagnostics, cwd ?? options.root) };
      }
      const event = { result, state, isChanged };
      for (const listener of listeners) listener(event);
      return event;
    },
    onBuild(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The errors of a failed build, formatted as in the terminal but without colour: the overlay's text. */
export function formatErrors(diagnostics: readonly Diagnostic[], cwd: string): string {
  const readSource = (file: string) => {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  };
  return diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => formatDiagnostic(d, { cwd, readSource, color: false }))
    .join('\n\n');
}

/** A short hash of every output path and its bytes. */
function digest(files: ReadonlyMap<string, Uint8Array>): string {
  const hash = createHash('sha1');
  for (const key of [...files.keys()].sort()) {
    const bytes = files.get(key)!;
    hash.update(`${key}\0${bytes.length}\0`);
    hash.update(bytes);
  }
  return hash.digest('hex').slice(0, 12);
}
