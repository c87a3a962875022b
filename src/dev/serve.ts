import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type { BuildOptions, BuildResult } from '../build.js';
import type { ResolvedConfig } from '../config/schema.js';
import { createDevServer, type DevServer } from './server.js';
import { scheduleChecks, type BackgroundChecks } from './background-checks.js';
import { createDevSession, type DevBuildEvent, type DevSession } from './session.js';
import { deferredWatcher, type DeferredWatcher } from './deferred-watcher.js';
import { createChokidarWatcher, createWatchLoop, fingerprintFiles, watchTargets, type WatcherLike, type WatchLoop } from './watch.js';

/** Options for {@link serve}. */
export interface ServeOptions extends Omit<BuildOptions, 'writer' | 'now' | 'root' | 'state'> {
  /** The blog's folder. */
  root: string;
  /** Folder diagnostics are printed relative to. @default root */
  cwd?: string;
  /** @default 4000; 0 picks a free port */
  port?: number;
  /** @default "127.0.0.1" */
  host?: string;
  /** Quiet time after the last file event before rebuilding. @default 30 */
  debounce?: number;
  /** The build function. @default build from src/build.ts */
  build?: (options: BuildOptions) => Promise<BuildResult>;
  /** A watcher to use instead of chokidar (tests). */
  watcher?: WatcherLike;
  /** Called after every build, the first included, with the paths that changed (empty for the first). */
  onBuild?: (event: DevBuildEvent, changed: string[]) => void;
  /** Called when a rebuild throws (a bug: build errors are diagnostics, in onBuild); the last good site stays served. @default undefined (ignored) */
  onRebuildError?: (cause: unknown, changed: string[]) => void;
  /**
   * Serve pages on demand (see lazy-site.ts), with a build in the background for diagnostics; false builds the whole
   * site in memory before answering and after each change. @default true
   */
  onDemand?: boolean;
  /** @internal for tests: the background build starts once this resolves. @default undefined (at once) */
  holdBackground?: Promise<unknown>;
}

/** A running dev server. */
export interface ServeHandle {
  /** Where the site is, base path included: `http://127.0.0.1:4000/blog/`. */
  url: string;
  port: number;
  session: DevSession;
  watch: WatchLoop;
  /** Resolves when no rebuild or background build is pending or running (the first included). */
  idle(): Promise<void>;
  /** Whether the first build has ended (on demand: the first background build, for diagnostics). */
  readonly isFirstBuildDone: boolean;
  /** Whether a background build is running (its worker threads would keep the process alive after close). */
  readonly isBuilding: boolean;
  /** Stops watching and serving; resolves once a background build that was running has ended. */
  close(): Promise<void>;
}

/** A port that another process holds. */
export class PortInUseError extends Error {
  constructor(readonly host: string, readonly port: number, options?: { cause?: unknown }) {
    super(`port ${port} is already in use on ${host}`, options);
    this.name = 'PortInUseError';
  }
}

/** Why the server cannot listen on host:port, besides a port in use: the error code of `listen`. */
export class ListenError extends Error {
  constructor(readonly code: string, readonly host: string, readonly port: number, options?: { cause?: unknown }) {
    super(`cannot listen on ${host}:${port} (${code})`, options);
    this.name = 'ListenError';
  }
}

/**
 * Serves the blog. By default pages are made on demand, for good: the site is loaded without any post's markdown
 * (lazy-site.ts) and each page renders when asked for, so a page served always equals what `build` writes for the
 * files on disk. A save is taken in at once (a post's new body, else the site loaded again) and a build runs in the
 * background for its diagnostics (background-checks.ts), shown in the terminal (via onBuild) and the browser. With
 * `onDemand: false` or an injected `build`, every change runs an in-memory build that keeps what it can for the next
 * (see `createBuildState`), and a failed rebuild keeps the last good site served. Rejects with PortInUseError or
 * ListenError.
 */
export async function serve(options: ServeOptions): Promise<ServeHandle> {
  // The session's build options are the rest: the server's and watcher's options stay here.
  const { port = 4000, host = '127.0.0.1', debounce, watcher, onBuild, onRebuildError, onDemand = true, holdBackground, ...rest } = options;
  const build = options.build ?? (await import('../build.js')).build;
  const session = createDevSession({ ...rest, build });
  const isLazy = onDemand && !options.build;
  const loadedFrom = Date.now();
  // A site whose load has errors serves nothing: a build then runs before the server answers and reports them.
  const isLoaded = isLazy && (await session.startLazy());
  let onAnswer = () => {};
  const firstPage = new Promise<void>((resolve) => (onAnswer = resolve));
  const first = isLoaded ? undefined : isLazy ? await session.check() : await session.rebuild();
  if (first) onBuild?.(first, []);

  // Wildcard addresses answer on every interface: the machine's own name is one a user may type.
  const isWildcard = host === '0.0.0.0' || host === '::';
  const dev = createDevServer({ getState: () => session.state, hostNames: isWildcard ? [hostname()] : [host], onAnswer: () => onAnswer(),
    onPageError: (diagnostics) => {
      session.showErrors(diagnostics);
      dev.broadcast();
    } });
  await listen(dev.server, port, host);
  const address = dev.server.address() as AddressInfo;
  const checks = isLazy ? scheduleChecks(session, { hold: holdBackground, firstPage, onBuild, onError: onRebuildError, broadcast: () => dev.broadcast() }) : undefined;
  const watched = await watchSite(session, dev, { ...options, debounce, watcher }, first?.result.config ?? session.state.config, checks, isLazy ? loadedFrom : undefined);
  const loop = watched.loop;
  if (isLoaded) checks!.request([]);
  // On demand, chokidar's first scan waits for the first page (or 3 s, as the first background build does): under load the
  // first page can take longer than a second, and the scan would delay it. Its start reports what changed meanwhile.
  const startWatching = () => void watched.deferred?.start();
  if (watched.deferred) {
    void Promise.race([firstPage, new Promise((resolve) => setTimeout(resolve, 3000).unref?.())]).then(startWatching);
  }

  const hostForUrl = isWildcard ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  let isClosed = false;
  return {
    url: `http://${hostForUrl}:${address.port}${session.state.config?.basePath ?? '/'}`,
    port: address.port,
    session,
    watch: loop,
    get isFirstBuildDone() {
      return !checks || first !== undefined || checks.isFirstDone;
    },
    get isBuilding() {
      return checks?.isRunning ?? false;
    },
    idle: async () => {
      await watched.deferred?.start();
      await loop.idle();
      await checks?.idle();
      await loop.idle();
    },
    async close() {
      if (isClosed) return;
      isClosed = true;
      await loop.close();
      await dev.close();
      // A background build that runs is waited for (it may be writing the cache); the CLI does not wait for it: Ctrl-C
      // exits at once while one runs (see isBuilding).
      await checks?.stop();
      await session.flush();
    },
  };
}

/**
 * Watches the blog's files and takes in each change, following a config that moves folders. With `deferFrom` (on
 * demand, the real watcher) chokidar starts when `deferred.start()` is called and reports the files changed since.
 */
async function watchSite(session: DevSession, dev: DevServer, options: ServeOptions, config: ResolvedConfig | undefined, checks: BackgroundChecks | undefined, deferFrom?: number): Promise<{ loop: WatchLoop; deferred?: DeferredWatcher }> {
  const injected = options.watcher;
  let targets = config ? watchTargets(config, options.config) : [options.root];
  let watcher: WatcherLike;
  const deferred = injected || deferFrom === undefined ? undefined
    : deferredWatcher({ create: () => createChokidarWatcher(targets), targets: () => targets, since: deferFrom, onError: (cause) => options.onRebuildError?.(cause, []) });
  try {
    watcher = injected ?? deferred ?? (await createChokidarWatcher(targets));
  } catch (cause) {
    await dev.close();
    throw cause;
  }
  const follow = (next: ResolvedConfig | undefined) => {
    // A config change may move the posts, templates or public folder: watch the new places.
    const nextTargets = next ? watchTargets(next, options.config) : targets;
    const added = nextTargets.filter((target) => !targets.includes(target));
    const removed = targets.filter((target) => !nextTargets.includes(target));
    if (added.length > 0) watcher.add(added);
    if (removed.length > 0) watcher.unwatch(removed);
    targets = nextTargets;
  };
  const loop = createWatchLoop({
    watcher,
    delay: options.debounce,
    // Only with the real watcher: an injected one (tests) drives rebuilds by its events alone.
    fingerprint: injected ? undefined : (changed) => fingerprintFiles(changed.length > 0 && changed.length <= 50 ? changed : targets),
    targets: () => targets,
    rebuild: async (changed) => {
      if (checks) {
        // On demand: the change is served at once (the open pages reload and ask for their page again); the background
        // build that reports its diagnostics follows.
        const isServed = (await session.update(changed).catch(() => false)) || (await session.startLazy().catch((cause: unknown) => void options.onRebuildError?.(cause, changed)));
        if (isServed !== undefined) dev.broadcast();
        follow(session.state.config);
        checks.request(changed);
        return;
      }
      const event = await session.rebuild().catch((cause: unknown) => void options.onRebuildError?.(cause, changed));
      if (!event) return;
      follow(event.result.config);
      options.onBuild?.(event, changed);
      dev.broadcast();
    },
  });
  return { loop, deferred };
}

function listen(server: import('node:http').Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (cause: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(cause.code === 'EADDRINUSE' ? new PortInUseError(host, port, { cause }) : cause.code ? new ListenError(cause.code, host, port, { cause }) : cause);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** The first free port after `port` on `host` (for the "try --port N" hint), or undefined. */
export async function findFreePort(host: string, port: number, tries = 20): Promise<number | undefined> {
  const http = await import('node:http');
  for (let candidate = port + 1; candidate < port + 1 + tries && candidate < 65536; candidate++) {
    const server = http.createServer();
    const isFree = await listen(server, candidate, host).then(
      () => true,
      () => false,
    );
    if (isFree) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      return candidate;
    }
  }
  return undefined;
}
