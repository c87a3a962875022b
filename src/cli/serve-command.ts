import { spawn } from 'node:child_process';
import path from 'node:path';
import type { ConfigOverrides } from '../config/load.js';
import { exitCodeFor } from '../diagnostics/error.js';
import type { DevBuildEvent } from '../dev/session.js';
import { escapeControl, formatCause } from '../diagnostics/format.js';
import type { ListenError } from '../dev/serve.js';
import { loadConfigAsBuilt } from './config-as-built.js';
import { createReporter, type Reporter } from './output.js';

/** Flags of `blogbuild serve`. */
export interface ServeFlags extends Omit<ConfigOverrides, 'out'> {
  port?: string;
  host?: string;
  open?: boolean;
  /** False with --no-on-demand: every page built in memory before serving (ServeOptions.onDemand). */
  onDemand?: boolean;
  debug?: boolean;
}

/** `blogbuild serve`: build in memory, serve, rebuild on change; resolves with the exit code after Ctrl-C. */
export async function serveCommand(flags: ServeFlags): Promise<number> {
  const cwd = process.cwd();
  const reporter = createReporter({ cwd, debug: flags.debug });
  const port = parsePort(flags.port);
  if (port === undefined) {
    process.stderr.write(`error: --port ${escapeControl(JSON.stringify(flags.port))} is not a port number\n  hint: use a number from 1 to 65535 (0 picks a free one), e.g. --port 4000\n`);
    return 2;
  }
  const host = (flags.host ?? '127.0.0.1').trim();
  const unknownHost = await checkHost(host);
  if (unknownHost) return usageError(unknownHost.message, unknownHost.hint);
  const overrides = { config: flags.config, posts: flags.posts, templates: flags.templates, url: flags.url, urlFrom: flags.urlFrom, drafts: flags.drafts, future: flags.future };

  // As a build loads it: an unchanged config is not validated here (nor by the dev server's first load, lazy-site.ts).
  const loaded = await loadConfigAsBuilt(cwd, overrides);
  if (!loaded.config) {
    reporter.diagnostics(loaded.diagnostics);
    return exitCodeFor(loaded.diagnostics) || 2;
  }

  const builds = buildReporter(reporter, cwd, flags.debug);
  const started = await startServer({ root: cwd, cwd, port, host, ...overrides, onDemand: flags.onDemand ?? true, onBuild: builds.onBuild, onRebuildError: builds.onRebuildError }, flags.debug);
  if (typeof started === 'number') return started;
  const handle = started;
  if (builds.firstExit() === 2) {
    // Usage errors (such as a missing posts folder) are not fixed by saving a post.
    await handle.close();
    return 2;
  }

  const config = handle.session.state.config ?? loaded.config;
  const rel = (p: string) => (path.relative(cwd, p) || '.').split(path.sep).join('/');
  const watched = [rel(config.postsDir), rel(config.pagesDir), rel(config.templatesDir), rel(config.publicDir)].map((p) => `${p}/`);
  if (config.configFile) watched.push(rel(config.configFile));
  reporter.info(`Serving ${config.title} at ${handle.url}`);
  reporter.info(`Watching ${watched.join(', ')}; press Ctrl-C to stop`);
  if (flags.open) openBrowser(handle.url);

  await stopSignal();
  // A build running in the background (tens of seconds on a large blog with an empty cache) is not waited for: Ctrl-C
  // stops at once, and the cache it would have written is written by the next build.
  if (handle.isBuilding) {
    reporter.info('Stopped');
    process.exit(0);
  }
  await handle.close();
  reporter.info('Stopped');
  return 0;
}

/** Starts the dev server; a port in use or an address it cannot listen on is a usage error (exit code 2). */
async function startServer(options: import('../dev/serve.js').ServeOptions & { port: number; host: string }, debug?: boolean): Promise<import('../dev/serve.js').ServeHandle | number> {
  const { serve, PortInUseError, ListenError, findFreePort } = await import('../dev/serve.js');
  try {
    return await serve(options);
  } catch (cause) {
    if (cause instanceof ListenError) {
      const failure = describeListenError(cause);
      return usageError(failure.message, failure.hint, debug ? cause : undefined);
    }
    if (!(cause instanceof PortInUseError)) throw cause;
    const { port, host } = options;
    const free = port === 0 ? undefined : await findFreePort(host, port);
    process.stderr.write(
      `error: port ${port} is already in use on ${host}, probably by another server\n` +
        `  hint: stop the other server, or serve on another port: blogbuild serve --port ${free ?? port + 1}\n` +
        (debug ? `${formatCause(cause)}\n` : ''),
    );
    return 2;
  }
}

/** Prints each build's diagnostics (warnings only when they change) and one line per rebuild. */
function buildReporter(reporter: Reporter, cwd: string, debug?: boolean) {
  let firstExit = 0;
  let lastWarnings = '';
  let hadErrors = false;
  let builds = 0;
  const onRebuildError = (cause: unknown, changed: string[]) => {
    const what = changed.length > 0 ? ` (${describeChanges(changed, cwd)})` : '';
    const detail = debug ? ((cause as Error)?.stack ?? String(cause)) : String((cause as Error)?.message ?? cause);
    process.stderr.write(`internal error in a rebuild${what}: ${escapeControl(detail)}\nstill serving the last good build; this is a bug in blogbuild, please report it${debug ? '' : ' (run with --debug for the stack)'}\n`);
  };
  const onBuild = ({ result }: DevBuildEvent, changed: string[]) => {
    const isFirst = ++builds === 1;
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    const warnings = result.diagnostics.filter((d) => d.severity !== 'error');
    const what = changed.length > 0 ? ` (${describeChanges(changed, cwd)})` : '';
    // Warnings repeat on every rebuild; print them only when they change.
    const warningText = warnings.map((d) => `${d.code}:${d.message}:${d.loc?.file ?? ''}:${d.loc?.line ?? ''}`).join('\n');
    if (warningText !== lastWarnings) reporter.diagnostics(warnings);
    lastWarnings = warningText;
    if (errors.length > 0) {
      reporter.diagnostics(errors);
      if (isFirst) firstExit = exitCodeFor(result.diagnostics);
      reporter.info(`${errors.length} error${errors.length === 1 ? '' : 's'}${what}; ${isFirst ? 'the site will be served once they are fixed' : 'still serving the last good build'}`);
      hadErrors = true;
      return;
    }
    if (changed.length > 0) reporter.info(`${hadErrors ? 'fixed: ' : ''}rebuilt in ${Math.round(result.stats.durationMs)} ms${what}`);
    hadErrors = false;
  };
  return { onBuild, onRebuildError, firstExit: () => firstExit };
}

/** Resolves on the first Ctrl-C (SIGINT) or SIGTERM; a second Ctrl-C while closing quits at once. */
function stopSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.once('SIGINT', () => process.exit(130));
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** The port of `--port`: digits only (no `0x10`, no `""`), from 0 (a free port) to 65535; undefined when not a port. */
export function parsePort(text: string | undefined): number | undefined {
  if (text === undefined) return 4000;
  if (!/^\d{1,5}$/.test(text.trim())) return undefined;
  const port = Number(text.trim());
  return port <= 65535 ? port : undefined;
}

/** A usage error of `--host`, found before building: a name that does not resolve; undefined when it resolves. */
async function checkHost(host: string): Promise<{ message: string; hint: string } | undefined> {
  const shown = escapeControl(host);
  if (host === '') return { message: '--host is empty', hint: 'use --host 127.0.0.1 (this machine only) or --host 0.0.0.0 (every network interface)' };
  const { lookup } = await import('node:dns/promises');
  try {
    await lookup(host);
    return undefined;
  } catch (cause) {
    return describeListenError({ code: (cause as NodeJS.ErrnoException).code ?? 'ENOTFOUND', host: shown, port: 0 });
  }
}

/** What a listen failure means for the user, and what to do. */
export function describeListenError(failure: Pick<ListenError, 'code' | 'host' | 'port'>): { message: string; hint: string } {
  const { code, host, port } = failure;
  const local = 'use --host 127.0.0.1 (this machine only) or --host 0.0.0.0 (every network interface)';
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NONAME':
      return { message: `--host ${host} is not a known host name (${code})`, hint: local };
    case 'EADDRNOTAVAIL':
    case 'EAFNOSUPPORT':
      return { message: `--host ${host} is not an address of this machine, so the server cannot listen on it (${code})`, hint: local };
    case 'EACCES':
    case 'EPERM':
      return {
        message: `port ${port} on ${host} needs administrator rights (ports below 1024 are privileged) (${code})`,
        hint: 'serve on a port from 1024 up, e.g. --port 4000',
      };
    default:
      return { message: `cannot listen on ${host}:${port} (${code})`, hint: `check --host and --port; ${local}` };
  }
}

function usageError(message: string, hint: string, cause?: unknown): 2 {
  process.stderr.write(`error: ${escapeControl(message)}\n  hint: ${escapeControl(hint)}\n${cause === undefined ? '' : `${formatCause(cause)}\n`}`);
  return 2;
}

function describeChanges(changed: string[], cwd: string): string {
  const names = changed.map((file) => (path.relative(cwd, file) || file).split(path.sep).join('/'));
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 2).join(', ')} and ${names.length - 2} more`;
}


function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(command, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => process.stderr.write(`could not open a browser; open ${url} yourself\n`));
    child.unref();
  } catch {
    // No browser to launch (no `open`/`xdg-open`): the URL is printed for the user to open.
    process.stderr.write(`could not open a browser; open ${url} yourself\n`);
  }
}
