/**
 * End to end, as a host would serve it: the example blog (this repo's posts/, pages/, public/ and config) built by
 * the CLI for a sub-path, served from dist/ by a plain static file server written here (node:http; not blogbuild's
 * dev server), and crawled from the home page. Every internal href/src must answer 200, aliases must redirect (meta
 * refresh) to a page that does, and the crawl must reach every post, page and list the build reports.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(repo, 'bin', 'blogbuild.js');
const subPath = '/deploy/blog/';
const types: Record<string, string> = { '.html': 'text/html', '.xml': 'application/xml', '.json': 'application/json', '.css': 'text/css', '.svg': 'image/svg+xml', '.txt': 'text/plain' };

/** A static file server as hosts behave: `dir/` → `dir/index.html`, `dir` → redirect to `dir/`, else 404 (404.html). */
function staticServer(root: string, base: string): http.Server {
  return http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const notFound = () => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end(fs.existsSync(path.join(root, '404.html')) ? fs.readFileSync(path.join(root, '404.html')) : 'not found');
    };
    if (!url.pathname.startsWith(base)) return notFound();
    let rel: string;
    try {
      rel = decodeURIComponent(url.pathname.slice(base.length));
    } catch {
      return notFound();
    }
    const file = path.join(root, rel);
    if (!file.startsWith(root)) return notFound();
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (stat?.isDirectory()) {
      if (!url.pathname.endsWith('/')) {
        res.writeHead(301, { location: `${url.pathname}/` });
        return res.end();
      }
      const index = path.join(file, 'index.html');
      if (!fs.existsSync(index)) return notFound();
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end(fs.readFileSync(index));
    }
    if (!stat?.isFile()) return notFound();
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
    res.end(fs.readFileSync(file));
  });
}

/** The target of a meta refresh (`0; url=/x/`), or undefined. */
function refreshTarget(html: string): string | undefined {
  const content = parseHTML(html).document.querySelector('meta[http-equiv="refresh" i]')?.getAttribute('content');
  return content ? /url=(.*)$/i.exec(content)?.[1]?.trim() : undefined;
}

describe('the example blog, deployed under a sub-path and crawled', () => {
  let dir: string;
  let server: http.Server;
  let origin: string;
  let report: { pages: { file: string; url: string; kind: string }[] };
  const visited = new Map<string, number>();
  const broken: string[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blogbuild-e2e-'));
    for (const part of ['posts', 'pages', 'public', 'blogbuild.config.json']) fs.cpSync(path.join(repo, part), path.join(dir, part), { recursive: true });
    server = staticServer(path.join(dir, 'dist'), subPath);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const built = spawnSync(process.execPath, [bin, 'build', '--report', 'json'], {
      cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: '1', BLOGBUILD_URL: `${origin}${subPath}` },
    });
    expect(built.status, built.stderr).toBe(0);
    report = JSON.parse(built.stdout);

    // Breadth-first from the home page: every internal link and resource, HTML pages followed further.
    const queue = [`${origin}${subPath}`];
    while (queue.length > 0) {
      const url = queue.shift()!;
      if (visited.has(url)) continue;
      const response = await fetch(url, { redirect: 'manual' });
      visited.set(url, response.status);
      if (response.status !== 200) {
        broken.push(`${response.status} ${url}`);
        continue;
      }
      if (!(response.headers.get('content-type') ?? '').startsWith('text/html')) continue;
      const html = await response.text();
      const { document } = parseHTML(html);
      const refs = [...document.querySelectorAll('[href], [src]')].map((el) => el.getAttribute('href') ?? el.getAttribute('src')!);
      const refresh = refreshTarget(html);
      if (refresh) refs.push(refresh);
      for (const ref of refs) {
        const target = new URL(ref, url);
        target.hash = '';
        if (target.origin === origin && !visited.has(target.href)) queue.push(target.href);
      }
    }
  }, 120_000);

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finds no broken internal link or resource', () => {
    expect(broken).toEqual([]);
    expect(visited.size).toBeGreaterThan(20);
  });

  it('stays under the sub-path', () => {
    for (const url of visited.keys()) expect(new URL(url).pathname.startsWith(subPath), url).toBe(true);
  });

  it('reaches every post, page, list and tag page the build reports', () => {
    const reachable = report.pages.filter((page) => ['post', 'page', 'home', 'tag', 'tag-index'].includes(page.kind));
    expect(reachable.map((page) => page.kind)).toContain('page');
    for (const page of reachable) expect(visited.get(`${origin}${page.url}`), page.url).toBe(200);
  });

  it('redirects every alias to its target, which answers 200', async () => {
    const aliases = report.pages.filter((page) => page.kind === 'alias');
    expect(aliases.map((alias) => alias.url)).toContain(`${subPath}about-us/`);
    for (const alias of aliases) {
      const response = await fetch(`${origin}${alias.url}`);
      expect(response.status, alias.url).toBe(200);
      const target = refreshTarget(await response.text());
      expect(target, alias.url).toBeDefined();
      const landed = await fetch(new URL(target!, `${origin}${alias.url}`));
      expect(landed.status, target).toBe(200);
      expect(refreshTarget(await landed.text()), `${alias.url} → ${target} redirects again`).toBeUndefined();
    }
  });

  it('lists in the sitemap only URLs that answer 200, no alias among them', async () => {
    const sitemap = await (await fetch(`${origin}${subPath}sitemap.xml`)).text();
    const locs: string[] = new XMLParser({ isArray: (name) => name === 'url' }).parse(sitemap).urlset.url.map((u: { loc: string }) => u.loc);
    const aliasUrls = new Set(report.pages.filter((page) => page.kind === 'alias').map((page) => `${origin}${page.url}`));
    for (const loc of locs) {
      expect(aliasUrls.has(loc), loc).toBe(false);
      expect((await fetch(loc)).status, loc).toBe(200);
    }
  });
});
