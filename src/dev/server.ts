import http from 'node:http';
import { isIP } from 'node:net';
import path from 'node:path';
import { clientPath, clientScript, clientTag, devPrefix, eventsPath } from './client.js';
import type { Diagnostic } from '../diagnostics/error.js';
import { PageError } from './lazy-render.js';
import type { DevState } from './session.js';

/** Options for {@link createDevServer}. */
export interface DevServerOptions {
  /** The current state; read on every request, so a rebuild is served at once. */
  getState: () => DevState;
  /** Host names (besides localhost and IP literals) the `Host` header may carry. @default [] */
  hostNames?: readonly string[];
  /** A page made on demand failed (a post on it): show its errors (the overlay reads them from the state). */
  onPageError?: (diagnostics: readonly Diagnostic[]) => void;
  /** Called after each file of the site is sent. @default undefined */
  onAnswer?: () => void;
}

/** An HTTP server for the in-memory site, with live-reload events. */
export interface DevServer {
  server: http.Server;
  /** Sends the current state to every open page. */
  broadcast(): void;
  /** Ends the event streams and closes the server. */
  close(): Promise<void>;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.pdf': 'application/pdf',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
};

/** The content type for an output path. */
export function contentType(filePath: string): string {
  return contentTypes[path.posix.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

/** Adds the live-reload script to an HTML page, before `</body>` (or at the end). */
export function injectClient(html: string, buildId: string): string {
  const tag = clientTag(buildId);
  const at = html.lastIndexOf('</body>');
  return at < 0 ? html + tag : `${html.slice(0, at)}${tag}\n${html.slice(at)}`;
}

/** What a request path maps to: a file of the site, a redirect, or nothing. */
export type Resolved = { kind: 'file'; path: string } | { kind: 'redirect'; location: string } | { kind: 'missing' };

/**
 * Maps a URL path to an output file under the base path: `/blog/` → `index.html`, `/blog/posts/x/` →
 * `posts/x/index.html`, `/blog/posts/x` → redirect to `/blog/posts/x/`, `/` → redirect to `/blog/`.
 * Percent-decoding happens per segment, and `..`, `.`, backslashes and NUL never reach a lookup.
 */
export function resolveRequest(urlPath: string, basePath: string, has: (file: string) => boolean): Resolved {
  if (basePath !== '/' && (urlPath === '/' || urlPath === basePath.slice(0, -1))) return { kind: 'redirect', location: basePath };
  if (!urlPath.startsWith(basePath)) return { kind: 'missing' };
  const rest = urlPath.slice(basePath.length);
  const segments: string[] = [];
  for (const raw of rest.split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      // A malformed %-escape in the URL names no file: a 404, as for any missing page.
      return { kind: 'missing' };
    }
    if (segment === '.' || segment === '..' || /[\\/\0]/.test(segment)) return { kind: 'missing' };
    segments.push(segment);
  }
  const rel = segments.join('/');
  if (rel === '' || rel.endsWith('/')) {
    const index = `${rel}index.html`;
    return has(index) ? { kind: 'file', path: index } : { kind: 'missing' };
  }
  if (has(rel)) return { kind: 'file', path: rel };
  if (has(`${rel}/index.html`)) return { kind: 'redirect', location: `${urlPath}/` };
  return { kind: 'missing' };
}

/**
 * Whether a request's `Host` header names this server: an IP literal, `localhost` (or a name under it), or one of
 * `hostNames` (the host it was bound to). Anything else is refused, so a page on another site whose name is made
 * to resolve to 127.0.0.1 (DNS rebinding) cannot read the dev server. A request without a Host header (HTTP/1.0,
 * never a browser) is allowed.
 */
export function isAllowedHost(header: string | undefined, hostNames: readonly string[] = []): boolean {
  if (header === undefined) return true;
  const bracketed = /^\[([^\]]+)\](?::\d*)?$/.exec(header);
  const name = (bracketed ? bracketed[1] : header.replace(/:\d*$/, '')).toLowerCase().replace(/\.$/, '');
  if (isIP(name) !== 0 || name === 'localhost' || name.endsWith('.localhost')) return true;
  return hostNames.some((allowed) => allowed.toLowerCase().replace(/\.$/, '') === name);
}

/** Creates (but does not start) the dev server. */
export function createDevServer(options: DevServerOptions): DevServer {
  const streams = new Set<http.ServerResponse>();
  const stateMessage = () => {
    const { buildId, errorText } = options.getState();
    return `event: state\ndata: ${JSON.stringify({ buildId, errorText: errorText ?? null })}\n\n`;
  };

  const server = http.createServer((req, res) => {
    if (!isAllowedHost(req.headers.host, options.hostNames)) {
      const shown = JSON.stringify(req.headers.host ?? '').replace(/[^\x20-\x7e]/g, '?');
      send(req, res, 403, 'text/plain; charset=utf-8', `Forbidden: the Host header ${shown} does not name this server. Open the address blogbuild serve printed.\n`);
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('Method Not Allowed\n');
      return;
    }
    if (url.pathname === eventsPath) {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
      res.write(`retry: 500\n\n${stateMessage()}`);
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    if (url.pathname === clientPath) {
      send(req, res, 200, 'text/javascript; charset=utf-8', clientScript);
      return;
    }
    if (url.pathname.startsWith(devPrefix)) {
      send(req, res, 404, 'text/plain; charset=utf-8', 'Not Found\n');
      return;
    }

    const state = options.getState();
    const basePath = state.config?.basePath ?? '/';
    const resolved = resolveRequest(url.pathname, basePath, (file) => state.files.has(file));
    if (resolved.kind === 'redirect') {
      res.writeHead(302, { location: resolved.location + url.search, 'cache-control': 'no-cache' }).end();
      return;
    }
    const file = resolved.kind === 'file' ? resolved.path : state.files.has('404.html') ? '404.html' : undefined;
    if (file !== undefined) {
      sendFile(req, res, resolved.kind === 'file' ? 200 : 404, file, state).then(options.onAnswer).catch((cause: unknown) => {
        if (!(cause instanceof PageError)) throw cause;
        // A post on the page failed to render: the overlay shows why (the state has its errors by now).
        options.onPageError?.(cause.diagnostics);
        sendBare(req, res, 500, 'This page has errors.', options.getState().buildId);
      }).catch((cause: unknown) => {
        if (!res.headersSent) send(req, res, 500, 'text/plain; charset=utf-8', `internal error: ${String((cause as Error)?.message ?? cause)}\n`);
      });
      return;
    }
    // No good build yet: a bare page that carries the live-reload script, so the error overlay shows.
    const status = state.files.size === 0 ? 503 : 404;
    sendBare(req, res, status, status === 503 ? 'The site has not built yet.' : 'Not found.', state.buildId);
  });

  return {
    server,
    broadcast() {
      const message = stateMessage();
      for (const stream of streams) stream.write(message);
    },
    async close() {
      for (const stream of streams) stream.end();
      streams.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** A page with one sentence and the live-reload script, so the error overlay shows. */
function sendBare(req: http.IncomingMessage, res: http.ServerResponse, status: number, text: string, buildId: string): void {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>blogbuild</title></head><body><p>${text}</p></body></html>`;
  send(req, res, status, 'text/html; charset=utf-8', injectClient(html, buildId));
}

async function sendFile(req: http.IncomingMessage, res: http.ServerResponse, status: number, file: string, state: DevState): Promise<void> {
  const type = contentType(file);
  const bytes = (await state.files.get(file))!;
  const body = type.startsWith('text/html') ? injectClient(Buffer.from(bytes).toString('utf8'), state.buildId) : bytes;
  send(req, res, status, type, body);
}

function send(req: http.IncomingMessage, res: http.ServerResponse, status: number, type: string, body: string | Uint8Array): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, {
    'content-type': type,
    'content-length': bytes.length,
    // Always revalidate: a dev server's files change under the browser.
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : bytes);
}
