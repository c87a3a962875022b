import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type { BuildOptions, BuildResult } from '../build.js';
import type { ResolvedConfig } from '../config/schema.js';
import { createDevServer, type DevServer } from './server.js';
import { createDevSession, type DevBuildEvent, type DevSession } from './session.js';
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
   * Serve pages on demand while the first build runs in the background (see lazy-site.ts); false waits for the
   * first build before answering. @default true
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
  /** Resolves when no rebuild is pending or running (the first build included). */
  idle(): Promise<void>;
  /** Whether the first build has ended (until then, pages are made on demand). */
  readonly isFirstBuildDone: boolean;
  /** Stops watching and serving. */
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
 * Builds the blog in memory, serves it, and rebuilds on every change. Each rebuild redoes only what changed (see
 * `createBuildState`) and writes what a full build would, so what is served always equals a clean build of the
 * files on disk; a failed rebuild keeps the last good site served and shows its errors in the terminal (via
 * onBuild) and in the browser. Rejects with PortInUseError or ListenError.
 */
export async function serve(options: ServeOptions): Promise<ServeHandle> {
  // The session's build options are the rest: the server's and watcher's options stay here.
  const { port = 4000, host = '127.0.0.1', debounce, watcher, onBuild, onRebuildError, onDemand = true, holdBackground, ...rest } = options;
  const build = options.build ?? (await import('../build.js')).build;
  const session = createDevSession({ ...rest, build });
  // On demand, pages answer once the site is loaded; the first build (every post, in workers) follows. A load with
  // errors serves nothing: the first build then runs before the server answers and reports them.
  const isLazy = onDemand && !options.build && (await session.startLazy());
  const firstBuild = scheduleFirstBuild(session, { isLazy, hold: holdBackground, onBuild });
  const first = isLazy ? undefined : await firstBuild.run();

  // Wildcard addresses answer on every interface: the machine's own name is one a user may type.
  const isWildcard = host === '0.0.0.0' || host === '::';
  const dev = createDevServer({ getState: () => session.state, hostNames: isWildcard ? [hostname()] : [host], onAnswer: firstBuild.onAnswer,
    onPageError: (diagnostics) => {
      session.showErrors(diagnostics);
      dev.broadcast();
    } });
  await listen(dev.server, port, host);
  const address = dev.server.address() as AddressInfo;
  const background = first ?? firstBuild.run().then((event) => {
    if (event.isChanged || event.state.errorText) dev.broadcast();
    return event;
  }, (cause: unknown) => void onRebuildError?.(cause, []));
  let isBackgroundDone = false;
  void Promise.resolve(background).finally(() => (isBackgroundDone = true));
  const loop = await watchSite(session, dev, { ...options, debounce, watcher }, first?.result.config ?? session.state.config, Promise.resolve(background), () => isBackgroundDone);

  const hostForUrl = isWildcard ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  let isClosed = false;
  return {
    url: `http://${hostForUrl}:${address.port}${session.state.config?.basePath ?? '/'}`,
    port: address.port,
    session,
    watch: loop,
    get isFirstBuildDone() {
      return isBackgroundDone;
    },
    idle: async () => {
      await background;
      await loop.idle();
    },
    async close() {
      if (isClosed) return;
      isClosed = true;
      // A first build still running (tens of seconds on a large blog) is not waited for: Ctrl-C stops at once.
      if (!isBackgroundDone) {
        void loop.close();
        await dev.close();
        return;
      }
      await loop.close();
      await dev.close();
      await session.flush();
    },
  };
}

/**
 * The first build. With a site served on demand it waits for the first page a browser asks for (or half a second):
 * on a 2-core machine its workers would otherwise take the cores that page renders on.
 */
function scheduleFirstBuild(session: DevSession, options: { isLazy: boolean; hold?: Promise<unknown>; onBuild?: ServeOptions['onBuild'] }): { run(): Promise<DevBuildEvent>; onAnswer(): void } {
  let onAnswer = () => {};
  const firstPageServed = new Promise<void>((resolve) => {
    onAnswer = resolve;
    setTimeout(resolve, 500).unref?.();
  });
  return {
    async run() {
      await options.hold;
      if (options.isLazy) await firstPageServed;
      const first = await session.rebuild();
      options.onBuild?.(first, []);
      return first;
    },
    onAnswer: () => onAnswer(),
  };
}

/** Watches the blog's files and rebuilds on changes (after the first build), following a config that moves folders. */
async function watchSite(session: DevSession, dev: DevServer, options: ServeOptions, config: ResolvedConfig | undefined, firstBuild: Promise<unknown>, isFirstBuildDone: () => boolean): Promise<WatchLoop> {
  const injected = options.watcher;
  let targets = config ? watchTargets(config, options.config) : [options.root];
  let watcher: WatcherLike;
  try {
    watcher = injected ?? (await createChokidarWatcher(targets));
  } catch (cause) {
    await dev.close();
    throw cause;
  }
  return createWatchLoop({
    watcher,
    delay: options.debounce,
    // Only with the real watcher: an injected one (tests) drives rebuilds by its events alone.
    fingerprint: injected ? undefined : () => fingerprintFiles(targets),
    targets: () => targets,
    rebuild: async (changed) => {
      // While the first build runs, a change shows at once: the site is loaded again and served on demand.
      if (!isFirstBuildDone()) {
        await session.startLazy();
        dev.broadcast();
      }
      await firstBuild;
      const event = await session.rebuild().catch((cause: unknown) => void options.onRebuildError?.(cause, changed));
      if (!event) return;
      // A config change may move the posts, templates or public folder: watch the new places.
      const next = event.result.config ? watchTargets(event.result.config, options.config) : targets;
      const added = next.filter((target) => !targets.includes(target));
      const removed = targets.filter((target) => !next.includes(target));
      if (added.length > 0) watcher.add(added);
      if (removed.length > 0) watcher.unwatch(removed);
      targets = next;
      options.onBuild?.(event, changed);
      dev.broadcast();
    },
  });
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
