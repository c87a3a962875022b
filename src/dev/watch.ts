import { createHash } from 'node:crypto';
import fsSync from 'node:fs';
import path from 'node:path';
import type { ResolvedConfig } from '../config/schema.js';
import { statSignature } from '../content/read-source.js';
import type { FSWatcher } from 'chokidar';

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
   * makes sure the last rebuild still sees the files as they end up. It is given the paths that changed: the files
   * a burst drops events of are those being saved, and a digest of them alone does not stat a large blog's every file
   * before each save is served.
   */
  fingerprint?: (changed: string[]) => Promise<string>;
  /**
   * The watched folders and files. A watcher drops a folder that is deleted or renamed and never sees it come back,
   * so after each rebuild (and every `pollInterval` ms while one is missing) each is stat'ed: one that appears again,
   * or is a different folder than before (deleted and made again), is watched anew and a rebuild runs.
   */
  targets?: () => readonly string[];
  /** How often missing targets are looked for. @default 300 */
  pollInterval?: number;
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
  const idle = idleWaiters(() => !timer && !running && pending.size === 0);
  const settleIdle = idle.settle;

  const run = () => {
    timer = undefined;
    if (isClosed || running) return;
    const changed = [...pending].sort();
    pending = new Set();
    running = rebuildAndLook(changed, options, {
      isClosed: () => isClosed,
      isQuiet: () => pending.size === 0,
      settleUntil: () => settleUntil,
      onChangedSince: () => pending.add(changed[0] ?? '(files changed)'),
    })
      // The loop's own failures (fingerprint, timers) must not stop watching; rebuild errors are reported by `rebuild`.
      .catch(() => undefined)
      .then(() => {
        running = undefined;
        if (!isClosed) targets?.check();
        // Events that arrived while building: rebuild again once they have settled.
        if (pending.size > 0 && !isClosed) schedule();
        else settleIdle();
      });
  };

  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(run, delay);
  };

  let settleUntil = 0;
  const targets = options.targets && trackTargets(options.targets, (appeared) => {
    if (isClosed) return;
    settleUntil = Date.now() + 2000;
    options.watcher.unwatch(appeared);
    options.watcher.add(appeared);
    for (const target of appeared) pending.add(target);
    if (!running) schedule();
  }, options.pollInterval ?? 300);

  options.watcher.on('all', (event, file) => {
    // The watcher has dropped a target that is gone, even if it is back before the next look.
    if (event === 'unlinkDir' || event === 'unlink') targets?.forget(file);
    if (isClosed || ignore(file)) return;
    if (event !== 'add' && event !== 'addDir' && event !== 'change' && event !== 'unlink' && event !== 'unlinkDir') return;
    pending.add(file);
    // While a rebuild runs, wait for it: its end schedules the next one.
    if (!running) schedule();
  });

  return {
    idle: idle.wait,
    async close() {
      isClosed = true;
      targets?.stop();
      if (timer) clearTimeout(timer);
      timer = undefined;
      pending.clear();
      await running;
      settleIdle();
      await options.watcher.close();
    },
  };
}

/** Promises that resolve once `isIdle()` holds: `settle()` resolves them when it does (call it after each change). */
export function idleWaiters(isIdle: () => boolean): { wait(): Promise<void>; settle(): void } {
  let waiters: (() => void)[] = [];
  const settle = () => {
    if (!isIdle()) return;
    const resolved = waiters;
    waiters = [];
    for (const resolve of resolved) resolve();
  };
  return {
    wait: () =>
      new Promise<void>((resolve) => {
        waiters.push(resolve);
        settle();
      }),
    settle,
  };
}

/**
 * Runs one rebuild; with a fingerprint, looks at the files again a moment later (for a while after a folder is
 * watched anew, every `delay` ms) and calls `onChangedSince` if they changed with no event to say so.
 */
async function rebuildAndLook(changed: string[], options: WatchLoopOptions, loop: { isClosed(): boolean; isQuiet(): boolean; settleUntil(): number; onChangedSince(): void }): Promise<void> {
  const { fingerprint } = options;
  const delay = options.delay ?? 30;
  // Fingerprints only decide whether to look again; one that fails (a file vanished mid-walk) means "do not".
  const before = fingerprint ? await fingerprint(changed).catch(() => undefined) : undefined;
  // `rebuild` reports its own failures (serve's onRebuildError); one that throws anyway must not stop the watching.
  await options.rebuild(changed).catch(() => undefined);
  if (!fingerprint || before === undefined || loop.isClosed()) return;
  do {
    await new Promise((resolve) => setTimeout(resolve, delay));
    // As above: a failed fingerprint means no extra rebuild; the next file event brings one.
    const after = await fingerprint(changed).catch(() => undefined);
    if (after !== undefined && after !== before && loop.isQuiet() && !loop.isClosed()) loop.onChangedSince();
  } while (Date.now() < loop.settleUntil() && loop.isQuiet() && !loop.isClosed());
}

/**
 * Remembers each target's inode; `check()` compares: targets that exist again, or anew, are passed to `onAppear`.
 * `forget(target)` records a target as gone (the watcher reported it deleted).
 * While any target is missing, a timer checks every `interval` ms (a missing folder sends no events).
 */
function trackTargets(list: () => readonly string[], onAppear: (targets: string[]) => void, interval: number): { check(): void; forget(target: string): void; stop(): void } {
  const inode = (target: string) => {
    try {
      return fsSync.statSync(target, { throwIfNoEntry: false })?.ino;
    } catch {
      // A path that vanished or cannot be stat'ed has no inode: it is compared as missing.
      return undefined;
    }
  };
  const known = new Map(list().map((target) => [target, inode(target)]));
  let poll: ReturnType<typeof setInterval> | undefined;
  const check = () => {
    const appeared: string[] = [];
    let isMissing = false;
    for (const target of list()) {
      const now = inode(target);
      const before = known.has(target) ? known.get(target) : now;
      if (now !== undefined && now !== before) appeared.push(target);
      if (now === undefined) isMissing = true;
      known.set(target, now);
    }
    if (isMissing && !poll) poll = setInterval(check, interval);
    if (!isMissing && poll) {
      clearInterval(poll);
      poll = undefined;
    }
    if (appeared.length > 0) onAppear(appeared);
  };
  return {
    check,
    forget(target) {
      if (known.has(target)) known.set(target, undefined);
    },
    stop() {
      if (poll) clearInterval(poll);
      poll = undefined;
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
 * What serve watches: posts, pages, local templates, `public/`, `data/`, the theme and the config file. Paths that do not exist yet are
 * watched too, so creating `templates/` or a config file is noticed.
 */
export function watchTargets(config: Pick<ResolvedConfig, 'root' | 'configFile' | 'postsDir' | 'templatesDir' | 'publicDir'> & Partial<Pick<ResolvedConfig, 'dataDir' | 'themeDir' | 'pagesDir'>>, configFlag?: string): string[] {
  const configs = configFlag ? [path.resolve(config.root, configFlag)] : configNames.map((name) => path.join(config.root, name));
  if (config.configFile && !configs.includes(config.configFile)) configs.push(config.configFile);
  const extensions = [config.dataDir, config.themeDir].filter((dir): dir is string => dir !== undefined);
  return [...new Set([config.postsDir, ...(config.pagesDir ? [config.pagesDir] : []), config.templatesDir, config.publicDir, ...extensions, ...configs])];
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
      // A path that vanished or cannot be stat'ed is left out of the fingerprint, as a missing file would be.
      return undefined;
    }
  };
  for (const target of [...paths].sort()) {
    const targetStat = stat(target);
    if (!targetStat) continue;
    // A folder that vanished while being walked contributes no files to the fingerprint.
    const files = targetStat.isDirectory() ? (await walk(target).catch(() => [])).sort() : [target];
    for (const file of files) {
      const s = file === target ? targetStat : stat(file);
      if (s) hash.update(`${file}\0${statSignature(s)}\n`);
    }
  }
  return hash.digest('hex');
}

/**
 * Starts a chokidar watcher on `paths`; resolves once its initial scan is done, so a file changed from then on sends
 * an event. chokidar 5 counts a missing path's end twice towards its 'ready' event, which then comes before the other
 * paths' files are watched (every time with a blog's missing `templates/` and config names), and a save in that gap
 * sends no event. So the paths that exist are watched first, and the missing ones (watched for being made) are
 * added once those are ready.
 */
export async function createChokidarWatcher(paths: string[]): Promise<WatcherLike> {
  const { watch } = await import('chokidar');
  const present = paths.filter((file) => fsSync.existsSync(file));
  const absent = paths.filter((file) => !present.includes(file));
  const first = present.length > 0 ? present : absent;
  const since = Date.now();
  const watcher = watch(first, { ignoreInitial: true, ignored: (file: string) => path.basename(file) === 'node_modules' });
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  if (first === present && absent.length > 0) watcher.add(absent);
  return withQuietChanges(watcher, since);
}

/**
 * chokidar drops a file's change event when the file's mtime is as before and its atime after it, taking the event
 * for a read. A same-size copy over a post that sets its old times back (`cp -p`, `rsync -t`, a backup restored) is
 * just that: the post's page stayed stale. So the watcher's raw events (every event of the system's watcher) are
 * looked at too: a file whose stat signature (size, mtime, ctime, inode) moved since its last raw event, or, at its
 * first, whose ctime is after `since`, is reported changed. A read moves none of these, so reads never rebuild; a
 * change chokidar reports as well is taken in once (the loop collects changed paths in a set).
 */
function withQuietChanges(watcher: FSWatcher, since: number): WatcherLike {
  const seen = new Map<string, string>();
  return {
    on(event, listener) {
      watcher.on(event, listener);
      watcher.on('raw', (_kind, name, details) => {
        const file = rawEventPath((details as { watchedPath?: string } | undefined)?.watchedPath, name);
        const stat = file === undefined ? undefined : statOrUndefined(file);
        if (!file || !stat?.isFile()) return;
        const signature = statSignature(stat);
        const before = seen.get(file);
        seen.set(file, signature);
        if (before === undefined ? Math.max(stat.mtimeMs, stat.ctimeMs) >= since : before !== signature) listener('change', file);
      });
      return watcher;
    },
    add: (paths) => watcher.add(paths),
    unwatch: (paths) => watcher.unwatch(paths),
    close: () => watcher.close(),
  };
}

/** The file a raw event is about: the watched file, or the named entry of the watched folder. */
function rawEventPath(watched: string | undefined, name: string | null): string | undefined {
  if (watched === undefined) return undefined;
  if (!name) return watched;
  return statOrUndefined(watched)?.isDirectory() ? path.join(watched, name) : watched;
}

function statOrUndefined(file: string): fsSync.Stats | undefined {
  try {
    return fsSync.statSync(file, { throwIfNoEntry: false });
  } catch {
    // A path that cannot be stat'ed (gone, no permission) has no signature: chokidar reports what became of it.
    return undefined;
  }
}
