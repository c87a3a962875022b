import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type { BuildOptions, BuildResult } from '../build.js';
import { createDevServer } from './server.js';
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
  /** Resolves when no rebuild is pending or running. */
  idle(): Promise<void>;
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
  const { port = 4000, host = '127.0.0.1', debounce, watcher: injected, onBuild, onRebuildError, onDemand = true, holdBackground, ...rest } = options;
  const build = options.build ?? (await import('../build.js')).build;
  const session = createDevSession({ ...rest, build });
  // On demand, pages answer once the site is loaded; the first build (every post, in workers) follows. A load with
  // errors serves nothing: the first build then runs before the server answers and reports them.
  const isLazy = onDemand && !options.build && (await session.startLazy());
  const firstBuild = async () => {
    await holdBackground;
    const first = await session.rebuild();
    onBuild?.(first, []);
    return first;
  };
  const first = isLazy ? undefined : await firstBuild();

  // Wildcard addresses answer on every interface: the machine's own name is one a user may type.
  const isWildcard = host === '0.0.0.0' || host === '::';
  const dev = createDevServer({ getState: () => session.state, hostNames: isWildcard ? [hostname()] : [host],
    onPageError: (diagnostics) => {
      session.showErrors(diagnostics);
      dev.broadcast();
    } });
  await listen(dev.server, port, host);
  const address = dev.server.address() as AddressInfo;
  const background = first ?? firstBuild().then((event) => {
    if (event.isChanged || event.state.errorText) dev.broadcast();
    return event;
  }, (cause: unknown) => void onRebuildError?.(cause, []));

  let isBackgroundDone = false;
  void Promise.resolve(background).finally(() => (isBackgroundDone = true));
  const config = first?.result.config ?? session.state.config;
  let targets = config ? watchTargets(config, options.config) : [options.root];
  let watcher: WatcherLike;
  try {
    watcher = injected ?? (await createChokidarWatcher(targets));
  } catch (cause) {
    await dev.close();
    throw cause;
  }
  const loop = createWatchLoop({
    watcher,
    delay: debounce,
    // Only with the real watcher: an injected one (tests) drives rebuilds by its events alone.
    fingerprint: injected ? undefined : () => fingerprintFiles(targets),
    targets: () => targets,
    rebuild: async (changed) => {
      await background;
      const event = await session.rebuild().catch((cause: unknown) => void onRebuildError?.(cause, changed));
      if (!event) return;
      // A config change may move the posts, templates or public folder: watch the new places.
      const next = event.result.config ? watchTargets(event.result.config, options.config) : targets;
      const added = next.filter((target) => !targets.includes(target));
      const removed = targets.filter((target) => !next.includes(target));
      if (added.length > 0) watcher.add(added);
      if (removed.length > 0) watcher.unwatch(removed);
      targets = next;
      onBuild?.(event, changed);
      dev.broadcast();
    },
  });

  const hostForUrl = isWildcard ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  let isClosed = false;
  return {
    url: `http://${hostForUrl}:${address.port}${session.state.config?.basePath ?? '/'}`,
    port: address.port,
    session,
    watch: loop,
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
