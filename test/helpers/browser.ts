import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { inject } from 'vitest';
import { contentType } from '../../src/dev/server.js';
import { describeMissing, findChromium, howToEnable } from './tools.js';

/**
 * Starts headless Chromium: the one `vitest.config.ts` found (see `tools.ts`). Only tests tagged `chromium` call
 * this, and the tag skips them when there is none. Close it with `browser.close()`.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = inject('chromiumPath');
  if (!executablePath) {
    const check = findChromium();
    throw new Error(`${describeMissing(check)}\n${howToEnable([check])}`);
  }
  return chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** A running static server; `url(p)` gives the absolute URL of a site path under the base path. */
export interface StaticServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** The base path the site is served under, e.g. `/blog/`. */
  basePath: string;
  /** Absolute URL of a path relative to the base path: `url('tags/')` → `http://127.0.0.1:1234/blog/tags/`. */
  url(sitePath?: string): string;
  close(): Promise<void>;
}


/**
 * Serves a built folder on 127.0.0.1 at a free port under `basePath`, like a static host would:
 * `/blog/x/` serves `x/index.html`, `/blog/x` redirects to `/blog/x/` when it is a folder, anything else
 * (including paths outside the base path) answers 404 with the site's `404.html` when it has one.
 */
export async function serveStatic(dir: string, options: { basePath?: string } = {}): Promise<StaticServer> {
  const root = path.resolve(dir);
  const basePath = `/${(options.basePath ?? '/').replace(/^\/+|\/+$/g, '')}/`.replace(/^\/\/$/, '/');

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((cause: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(String(cause));
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    const notFound = async () => {
      const page = await readFile(path.join(root, '404.html'));
      res.writeHead(404, { 'content-type': contentType('x.html') });
      res.end(page ?? 'not found');
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if (`${pathname}/` === basePath) {
      res.writeHead(301, { location: basePath }).end();
      return;
    }
    if (!pathname.startsWith(basePath)) return notFound();
    let rel: string;
    try {
      rel = decodeURIComponent(pathname.slice(basePath.length));
    } catch {
      return notFound();
    }
    let file = path.resolve(root, rel);
    if (file !== root && !file.startsWith(root + path.sep)) return notFound();
    const stat = await fs.stat(file).catch(() => undefined);
    if (stat?.isDirectory()) {
      if (!pathname.endsWith('/')) {
        res.writeHead(301, { location: `${pathname}/` }).end();
        return;
      }
      file = path.join(file, 'index.html');
    }
    const body = await readFile(file);
    if (!body) return notFound();
    res.writeHead(200, { 'content-type': contentType(file) });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    basePath,
    url: (sitePath = '') => `${origin}${basePath}${sitePath.replace(/^\/+/, '')}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

async function readFile(file: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(file);
  } catch {
    return undefined;
  }
}
