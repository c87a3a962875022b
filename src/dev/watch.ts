import { createHash } from 'node:crypto';
import path from 'node:path';
import type { ResolvedConfig } from '../config/schema.js';

/** The part of a file watcher the loop needs; chokidar's FSWatcher fits, and tests pass a fake. */
export interface WatcherLike {
  on(event: 'all', listener: (event: string, file: string) => void): unknown;
  add(paths: string | string[]): unknown;
  unwatch(paths: string | string[]): unknown;
  close(): Promise<void>;
}

/** Options for {@link createWatchLoop}. */
export interface WatchLoopOptions {
  /** Where change events come from. */
  watcher: WatcherLike;
  /** Runs one rebuild; `changed` lists the paths that changed since the last one. Must not throw. */
  rebuild: (changed: string[]) => Promise<void>;
  /** Quiet time after the last event before rebuilding, so an editor's burst (write to a temp file, rename; a few ms) gives one rebuild. @default 30 */
  delay?: number;
  /** Paths to ignore (editor swap and backup files). @default isEditorTempFile */
  ignore?: (file: string) => boolean;
  /**
   * A digest of the watched files (paths, sizes, mtimes). When given, it is taken before each rebuild and again
   * a moment after; if they differ and no event came, another rebuild runs. chokidar drops events in fast
   * atomic-save bursts (its 5 ms throttle, and re-watching a file whose inode a rename replaced), and this
   * makes sure the last rebuild still sees the files as they end up.
   */
  fingerprint?: () => Promise<string>;
}

/** A running watch loop. */
export interface WatchLoop {
  /** Resolves once no rebuild is pending or running. */
  idle(): Promise<void>;
  /** Stops listening and closes the watcher; a running rebuild finishes first. */
  close(): Promise<void>;
}

/**
 * Turns file events into rebuilds: events are collected until `delay` ms pass without one (editors save with
 * write-to-temp + rename, several events in a burst), then one rebuild runs. Events during a rebuild schedule
 * exactly one more, so the last rebuild always sees the files as they are after the last event.
 */
export function createWatchLoop(options: WatchLoopOptions): WatchLoop {
  const delay = options.delay ?? 30;
  const ignore = options.ignore ?? isEditorTempFile;
  let pending = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let isClosed = false;
  let idleWaiters: (() => void)[] = [];

  const settleIdle = () => {
    if (timer || running || pending.size > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };

  const run = () => {
    timer = undefined;
    if (isClosed || running) return;
    const changed = [...pending].sort();
    pending = new Set();
    const fingerprint = options.fingerprint;
    running = (async () => {
      const before = fingerprint ? await fingerprint().catch(() => undefined) : undefined;
      await options.rebuild(changed).catch(() => undefined);
      if (!fingerprint || before === undefined || isClosed) return;
      await new Promise((resolve) => setTimeout(resolve, delay));
      const after = await fingerprint().catch(() => undefined);
      if (after !== undefined && after !== before && pending.size === 0 && !isClosed) pending.add(changed[0] ?? '(files changed)');
    })()
      .catch(() => undefined)
      .then(() => {
        running = undefined;
        // Events that arrived while building: rebuild again once they have settled.
        if (pending.size > 0 && !isClosed) schedule();
        else settleIdle();
      });
  };

  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(run, delay);
  };

  options.watcher.on('all', (event, file) => {
    if (isClosed || ignore(file)) return;
    if (event !== 'add' && event !== 'addDir' && event !== 'change' && event !== 'unlink' && event !== 'unlinkDir') return;
    pending.add(file);
    // While a rebuild runs, wait for it: its end schedules the next one.
    if (!running) schedule();
  });

  return {
    idle() {
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        settleIdle();
      });
    },
    async close() {
      isClosed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      pending.clear();
      await running;
      settleIdle();
      await options.watcher.close();
    },
  };
}

/** Editor swap, backup and lock files: vim's `.x.swp` and `4913`, emacs' `#x#` and `.#x`, `x~`, `.DS_Store`. */
export function isEditorTempFile(file: string): boolean {
  const name = path.basename(file);
  return (
    name.startsWith('.') ||
    name.endsWith('~') ||
    /^#.*#$/.test(name) ||
    /\.(swp|swx|swo|tmp|crdownload)$/i.test(name) ||
    name === '4913'
  );
}

const configNames = ['blogbuild.config.json', 'blogbuild.config.js', 'blogbuild.config.mjs'];

/**
 * What serve watches: posts, local templates, `public/` and the config file. Paths that do not exist yet are
 * watched too, so creating `templates/` or a config file is noticed.
 */
export function watchTargets(config: Pick<ResolvedConfig, 'root' | 'configFile' | 'postsDir' | 'templatesDir' | 'publicDir'>, configFlag?: string): string[] {
  const configs = configFlag ? [path.resolve(config.root, configFlag)] : configNames.map((name) => path.join(config.root, name));
  if (config.configFile && !configs.includes(config.configFile)) configs.push(config.configFile);
  return [...new Set([config.postsDir, config.templatesDir, config.publicDir, ...configs])];
}

/** A digest of every file under `paths` (path, size, mtime, inode); missing paths count as absent. */
export async function fingerprintFiles(paths: string[]): Promise<string> {
  const fs = await import('node:fs');
  const { walk } = await import('../content/walk.js');
  const hash = createHash('sha1');
  // Synchronous stats: a few microseconds each, where awaiting 1,000 of them one by one costs tens of milliseconds.
  const stat = (file: string) => {
    try {
      return fs.statSync(file, { throwIfNoEntry: false });
    } catch {
      return undefined;
    }
  };
  for (const target of [...paths].sort()) {
    const targetStat = stat(target);
    if (!targetStat) continue;
    const files = targetStat.isDirectory() ? (await walk(target).catch(() => [])).sort() : [target];
    for (const file of files) {
      const s = file === target ? targetStat : stat(file);
      if (s) hash.update(`${file}\0${s.size}\0${s.mtimeMs}\0${s.ino}\n`);
    }
  }
  return hash.digest('hex');
}

/** Starts a chokidar watcher on `paths`; resolves once its initial scan is done. */
export async function createChokidarWatcher(paths: string[]): Promise<WatcherLike> {
  const { watch } = await import('chokidar');
  const watcher = watch(paths, { ignoreInitial: true, ignored: (file: string) => path.basename(file) === 'node_modules' });
  // 'ready' fires once per watched path in chokidar 5; the first one means the initial scan has begun to settle.
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return watcher;
}
