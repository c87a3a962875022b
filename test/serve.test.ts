import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHTML } from 'linkedom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clientPath, eventsPath } from '../src/dev/client.js';
import { PortInUseError, serve, type ServeHandle } from '../src/dev/serve.js';
import { contentType, isAllowedHost, resolveRequest } from '../src/dev/server.js';
import { createChokidarWatcher, createWatchLoop, isEditorTempFile, type WatcherLike } from '../src/dev/watch.js';
import { cleanMemoryBuild, outputDifferences } from './helpers/build-fixture.js';
import { servedFiles } from './helpers/served-files.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixture = path.join(repo, 'test/fixtures/sites/serve-basic');

/** A watcher whose events the test fires by hand. */
class FakeWatcher extends EventEmitter implements WatcherLike {
  isClosed = false;
  added: string[] = [];
  add(paths: string | string[]) {
    this.added.push(...[paths].flat());
  }
  unwatch() {}
  async close() {
    this.isClosed = true;
  }
  fire(event: string, file: string) {
    this.emit('all', event, file);
  }
}

describe('watch loop (debounce)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('turns an editor save burst (temp write + rename, several events) into one rebuild', async () => {
    const watcher = new FakeWatcher();
    const calls: string[][] = [];
    const loop = createWatchLoop({ watcher, delay: 50, rebuild: async (changed) => void calls.push(changed) });
    // vim: write 4913, delete it, rename the swap file; VS Code: write temp file, rename over the post.
    watcher.fire('add', '/blog/posts/4913');
    watcher.fire('unlink', '/blog/posts/4913');
    watcher.fire('add', '/blog/posts/.hello.md.swp');
    watcher.fire('unlink', '/blog/posts/hello.md');
    await vi.advanceTimersByTimeAsync(20);
    watcher.fire('add', '/blog/posts/hello.md');
    watcher.fire('change', '/blog/posts/hello.md');
    await vi.advanceTimersByTimeAsync(49);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual([['/blog/posts/hello.md']]);
    await vi.advanceTimersByTimeAsync(500);
    expect(calls).toHaveLength(1);
    await loop.close();
    expect(watcher.isClosed).toBe(true);
  });

  it('runs exactly one more rebuild for events that arrive during a rebuild', async () => {
    const watcher = new FakeWatcher();
    const calls: string[][] = [];
    let release!: () => void;
    const loop = createWatchLoop({
      watcher,
      delay: 10,
      rebuild: (changed) => {
        calls.push(changed);
        return calls.length === 1 ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve();
      },
    });
    watcher.fire('change', '/b/posts/a.md');
    await vi.advanceTimersByTimeAsync(10);
    expect(calls).toEqual([['/b/posts/a.md']]);
    // The first rebuild is still running: these must not start a parallel one.
    watcher.fire('change', '/b/posts/b.md');
    watcher.fire('change', '/b/templates/post.hbs');
    await vi.advanceTimersByTimeAsync(100);
    expect(calls).toHaveLength(1);
    release();
    await vi.advanceTimersByTimeAsync(10);
    expect(calls).toEqual([['/b/posts/a.md'], ['/b/posts/b.md', '/b/templates/post.hbs']]);
    const idle = loop.idle();
    await vi.advanceTimersByTimeAsync(0);
    await idle;
    await loop.close();
  });

  it('keeps going after a rebuild that throws, and ignores non-file events', async () => {
    const watcher = new FakeWatcher();
    let count = 0;
    const loop = createWatchLoop({
      watcher,
      delay: 5,
      rebuild: async () => {
        count++;
        if (count === 1) throw new Error('boom');
      },
    });
    watcher.fire('ready', '/b');
    watcher.fire('raw', '/b/posts/a.md');
    await vi.advanceTimersByTimeAsync(50);
    expect(count).toBe(0);
    watcher.fire('change', '/b/posts/a.md');
    await vi.advanceTimersByTimeAsync(5);
    watcher.fire('change', '/b/posts/a.md');
    await vi.advanceTimersByTimeAsync(5);
    expect(count).toBe(2);
    await loop.close();
  });

  it('watches a target again when it comes back after a delete, and rebuilds', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-targets-'));
    const posts = path.join(dir, 'posts');
    await fs.mkdir(posts);
    const watcher = new FakeWatcher();
    const calls: string[][] = [];
    const unwatched: string[] = [];
    watcher.unwatch = (paths: string | string[]) => void unwatched.push(...[paths].flat());
    const loop = createWatchLoop({ watcher, delay: 10, pollInterval: 100, targets: () => [posts], rebuild: async (changed) => void calls.push(changed) });
    try {
      await fs.rm(posts, { recursive: true });
      watcher.fire('unlinkDir', posts);
      await vi.advanceTimersByTimeAsync(10);
      expect(calls).toEqual([[posts]]);
      // Gone: nothing to watch yet, and the fake watcher (like chokidar) sends no event when it comes back.
      await vi.advanceTimersByTimeAsync(300);
      expect(watcher.added).toEqual([]);
      await fs.mkdir(posts);
      await vi.advanceTimersByTimeAsync(100);
      expect([unwatched, watcher.added]).toEqual([[posts], [posts]]);
      await vi.advanceTimersByTimeAsync(10);
      expect(calls).toEqual([[posts], [posts]]);
      // Back and watched: no more polling, so no more rebuilds without events.
      await vi.advanceTimersByTimeAsync(1000);
      expect(calls).toHaveLength(2);
    } finally {
      await loop.close();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('recognises editor temp files', () => {
    for (const name of ['.hello.md.swp', 'hello.md~', '#hello.md#', '4913', '.#hello.md', 'x.tmp']) expect(isEditorTempFile(`/p/${name}`), name).toBe(true);
    for (const name of ['hello.md', 'index.md', 'cover.jpg', 'post.hbs']) expect(isEditorTempFile(`/p/${name}`), name).toBe(false);
  });
});

describe('the chokidar watcher', () => {
  it('is ready only when every file is watched, with missing targets (no templates/, no config) among them', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-chokidar-'));
    const watcher = await (async () => {
      await fs.mkdir(path.join(dir, 'posts'));
      for (let i = 0; i < 200; i++) await fs.writeFile(path.join(dir, 'posts', `post-${i}.md`), `# Post ${i}\n`);
      const missing = ['templates', 'public', 'blogbuild.config.js', 'blogbuild.config.mjs'].map((name) => path.join(dir, name));
      return createChokidarWatcher([path.join(dir, 'posts'), ...missing]);
    })();
    try {
      const changed = new Set<string>();
      watcher.on('all', (event, file) => void (event === 'change' && changed.add(path.basename(file))));
      // Saved the moment the watcher says it is ready: each save must send an event.
      for (let i = 0; i < 200; i++) await fs.appendFile(path.join(dir, 'posts', `post-${i}.md`), 'Saved.\n');
      const deadline = Date.now() + 10_000;
      while (changed.size < 200 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(200 - changed.size, 'saves with no event').toBe(0);
      // A missing target is still watched for being made.
      const added = new Promise<string>((resolve) => watcher.on('all', (event, file) => void (event === 'add' && resolve(path.relative(dir, file)))));
      await fs.writeFile(path.join(dir, 'blogbuild.config.js'), 'export default {};\n');
      expect(await added).toBe('blogbuild.config.js');
    } finally {
      await watcher.close();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('request resolution', () => {
  const files = new Set(['index.html', 'posts/x/index.html', 'rss.xml', '404.html', 'café/index.html']);
  const has = (file: string) => files.has(file);

  it('serves the base path and redirects to it', () => {
    expect(resolveRequest('/', '/blog/', has)).toEqual({ kind: 'redirect', location: '/blog/' });
    expect(resolveRequest('/blog', '/blog/', has)).toEqual({ kind: 'redirect', location: '/blog/' });
    expect(resolveRequest('/blog/', '/blog/', has)).toEqual({ kind: 'file', path: 'index.html' });
    expect(resolveRequest('/blog/posts/x', '/blog/', has)).toEqual({ kind: 'redirect', location: '/blog/posts/x/' });
    expect(resolveRequest('/blog/caf%C3%A9/', '/blog/', has)).toEqual({ kind: 'file', path: 'café/index.html' });
    expect(resolveRequest('/posts/x/', '/blog/', has)).toEqual({ kind: 'missing' });
  });

  it('never resolves outside the output', () => {
    for (const p of ['/..%2f..%2fetc/passwd', '/blog/..%2f..%2fetc/passwd', '/blog/%2e%2e/%2e%2e/etc/passwd', '/blog/posts%5c..%5c..%5cindex.html', '/blog/%00', '/blog/%zz']) {
      expect(resolveRequest(p, '/blog/', () => true).kind, p).not.toBe('file');
      expect(resolveRequest(p, '/', () => true).kind, p).not.toBe('file');
    }
  });

  it('knows the content types of a blog', () => {
    expect(contentType('index.html')).toBe('text/html; charset=utf-8');
    expect(contentType('assets/style.css')).toBe('text/css; charset=utf-8');
    expect(contentType('rss.xml')).toBe('application/xml; charset=utf-8');
    expect(contentType('posts/x/cover.JPG')).toBe('image/jpeg');
    expect(contentType('favicon.svg')).toBe('image/svg+xml');
    expect(contentType('robots.txt')).toBe('text/plain; charset=utf-8');
    expect(contentType('data.bin')).toBe('application/octet-stream');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The real thing: a copy of a fixture blog, served with chokidar watching it.

let tmp: string;
let handle: ServeHandle | undefined;

beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-serve-'));
  await fs.cp(fixture, tmp, { recursive: true });
});
afterEach(async () => {
  await handle?.close();
  handle = undefined;
  await fs.rm(tmp, { recursive: true, force: true });
});

async function start(options: { port?: number } = {}): Promise<ServeHandle> {
  handle = await serve({ root: tmp, port: options.port ?? 0, host: '127.0.0.1', debounce: 30 });
  // serve answers before its first build ends (pages made on demand); these tests read the build's files.
  await handle.idle();
  return handle;
}

/** Polls until `check` returns true; fails with `describe()` after the timeout. */
async function waitFor(check: () => boolean | Promise<boolean>, describe: () => string, timeout = 20_000): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}



async function get(url: string, init?: { method?: string }): Promise<{ status: number; type: string | null; location: string | null; body: string }> {
  const res = await fetch(url, { redirect: 'manual', ...init });
  return { status: res.status, type: res.headers.get('content-type'), location: res.headers.get('location'), body: await res.text() };
}

const text = (files: ReadonlyMap<string, Uint8Array>, file: string) => Buffer.from(files.get(file) ?? new Uint8Array()).toString('utf8');

describe('serve over HTTP', () => {
  it('serves the in-memory build under the base path, with the live-reload script only in served HTML', async () => {
    const h = await start();
    const origin = `http://127.0.0.1:${h.port}`;
    expect(h.url).toBe(`${origin}/blog/`);

    const root = await get(`${origin}/`);
    expect(root.status).toBe(302);
    expect(root.location).toBe('/blog/');

    const home = await get(`${origin}/blog/`);
    expect(home.status).toBe(200);
    expect(home.type).toBe('text/html; charset=utf-8');
    const { document } = parseHTML(home.body);
    expect(document.querySelector('.site-title')?.textContent).toBe('Watch Test Blog');
    const script = document.querySelector(`script[src="${clientPath}"]`);
    expect(script?.getAttribute('data-build')).toBe(h.session.state.buildId);
    // Served HTML is the built page plus the script tag, nothing else.
    expect(home.body.replace(/<script src="\/__blogbuild\/client\.js"[^>]*><\/script>\n/, '')).toBe(text(await servedFiles(h.session.state.files), 'index.html'));

    // The build output itself never has the script.
    const clean = await cleanMemoryBuild(tmp);
    for (const [file, bytes] of clean) expect(Buffer.from(bytes).toString('latin1').includes('__blogbuild'), file).toBe(false);

    const post = await get(`${origin}/blog/posts/second-try/`);
    expect(post.status).toBe(200);
    expect(parseHTML(post.body).document.querySelector('h1')?.textContent).toBe('Second try');
    expect((await get(`${origin}/blog/posts/second-try`)).location).toBe('/blog/posts/second-try/');

    const css = await get(`${origin}/blog/assets/style.css`);
    expect([css.status, css.type]).toEqual([200, 'text/css; charset=utf-8']);
    expect(css.body).not.toContain('__blogbuild');
    const feed = await get(`${origin}/blog/rss.xml`);
    expect([feed.status, feed.type]).toEqual([200, 'application/xml; charset=utf-8']);
    expect(feed.body).toBe(text(clean, 'rss.xml'));
    const txt = await get(`${origin}/blog/hello.txt`);
    expect([txt.status, txt.type, txt.body]).toEqual([200, 'text/plain; charset=utf-8', 'Hello from public/.\n']);
    const svg = await get(`${origin}/blog/favicon.svg`);
    expect(svg.type).toBe('image/svg+xml');

    const client = await get(`${origin}${clientPath}`);
    expect([client.status, client.type]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect(client.body).toContain('EventSource');

    const head = await fetch(`${origin}/blog/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await get(`${origin}/blog/`, { method: 'POST' })).status).toBe(405);
  });

  it('answers unknown paths with the site 404 page and status 404, and never leaves the output', async () => {
    const h = await start();
    const origin = `http://127.0.0.1:${h.port}`;
    const notFound = text(await servedFiles(h.session.state.files), '404.html');
    expect(notFound).toContain('<meta name="robots" content="noindex">');
    for (const p of ['/blog/posts/nope/', '/elsewhere/', '/blog/..%2f..%2f..%2fetc/passwd', '/blog/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/blog/%zz/']) {
      const res = await get(origin + p);
      expect(res.status, p).toBe(404);
      expect(res.type, p).toBe('text/html; charset=utf-8');
      expect(res.body, p).toContain('noindex');
      expect(res.body, p).not.toContain('root:');
    }
    // The literal request a traversal attack sends, not normalised by a client library.
    const raw = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: h.port, path: '/..%2f..%2fetc/passwd' }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(raw.status).toBe(404);
    expect(raw.body).not.toContain('root:');
  });

  it('reports a port in use, and the CLI exits 2 with a suggestion', async () => {
    const h = await start();
    await expect(serve({ root: tmp, port: h.port, host: '127.0.0.1' })).rejects.toBeInstanceOf(PortInUseError);

    const bin = path.join(repo, 'bin/blogbuild.js');
    const child = spawn(process.execPath, [bin, 'serve', '--port', String(h.port)], { cwd: tmp, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain(`port ${h.port} is already in use on 127.0.0.1`);
    expect(stderr).toMatch(/hint: .*blogbuild serve --port \d+/);
  });

  it('sends the build state as server-sent events', async () => {
    const h = await start();
    const res = await fetch(`http://127.0.0.1:${h.port}${eventsPath}`);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = res.body!.getReader();
    let received = '';
    while (!received.includes('\n\nevent: state\ndata: ')) received += new TextDecoder().decode((await reader.read()).value);
    while (!received.endsWith('\n\n')) received += new TextDecoder().decode((await reader.read()).value);
    const data = JSON.parse(received.split('data: ')[1]);
    expect(data).toEqual({ buildId: h.session.state.buildId, errorText: null });
    await reader.cancel();
  });
});

/** A GET with a Host header of our choosing (fetch does not let one set it). */
function getWithHost(port: number, hostHeader: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/blog/', headers: { host: hostHeader } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serve refuses foreign Host headers (DNS rebinding)', () => {
  it('answers localhost, IP literals and the bound host, and refuses other names with 403', async () => {
    const h = await start();
    for (const ok of [`127.0.0.1:${h.port}`, `localhost:${h.port}`, 'LOCALHOST', `app.localhost:${h.port}`, `[::1]:${h.port}`, '10.1.2.3']) {
      expect(await getWithHost(h.port, ok), ok).toBe(200);
    }
    for (const bad of [`evil.example:${h.port}`, 'attacker.test', `127.0.0.1.nip.io:${h.port}`, 'localhost.evil.example']) {
      expect(await getWithHost(h.port, bad), bad).toBe(403);
    }
    expect(isAllowedHost('blog.lan:4000', ['blog.lan'])).toBe(true);
    expect(isAllowedHost('other.lan:4000', ['blog.lan'])).toBe(false);
    expect(isAllowedHost(undefined)).toBe(true);
  });
});

describe('serve recovers when the posts folder goes away and comes back', () => {
  it.each([['deleted and made again', 'delete'], ['renamed away and back', 'rename']])('%s', async (_, how) => {
    const h = await start();
    const posts = path.join(tmp, 'posts');
    const saved = path.join(tmp, 'saved-posts');
    await fs.cp(posts, saved, { recursive: true });
    if (how === 'rename') await fs.rename(posts, path.join(tmp, 'posts-away'));
    else await fs.rm(posts, { recursive: true });
    await waitFor(() => /the posts folder does not exist/.test(h.session.state.errorText ?? ''), () => `no error: ${h.session.state.errorText}`);

    if (how === 'rename') await fs.rename(path.join(tmp, 'posts-away'), posts);
    else await fs.cp(saved, posts, { recursive: true });
    await waitFor(() => h.session.state.errorText === undefined, () => `still failing: ${h.session.state.errorText}`);
    // Later edits are seen: the folder is watched again.
    await fs.appendFile(post('2024-01-10-first-loaf.md'), '\nA later edit.\n');
    await waitFor(async () => text(await servedFiles(h.session.state.files), 'posts/first-loaf/index.html').includes('A later edit.'), () => 'edit not served');
    await h.idle();
    expect(outputDifferences(await servedFiles(h.session.state.files), await cleanMemoryBuild(tmp))).toEqual([]);
  });
});

describe('CLI serve', () => {
  it('serves until Ctrl-C (SIGINT), then closes the watcher and server and exits 0', async () => {
    const bin = path.join(repo, 'bin/blogbuild.js');
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0'], { cwd: tmp, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    await waitFor(() => /Serving Watch Test Blog at (http:\S+)/.test(stdout), () => stdout);
    const url = /Serving Watch Test Blog at (http:\S+)/.exec(stdout)![1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/blog\/$/);
    expect((await get(url)).status).toBe(200);
    child.kill('SIGINT');
    expect(await closed).toBe(0);
    expect(stdout).toContain('Stopped');
  });

  it('with --no-on-demand, builds the whole site before serving: its warnings are printed before the address', async () => {
    const site = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-serve-no-on-demand-'));
    await fs.cp(path.join(repo, 'test/fixtures/sites/control-characters'), site, { recursive: true });
    // One pipe for stdout and stderr, so the output keeps the order it was written in.
    const command = `exec "${process.execPath}" "${path.join(repo, 'bin/blogbuild.js')}" serve --port 0 --no-on-demand 2>&1`;
    const child = spawn('sh', ['-c', command], { cwd: site, env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      await waitFor(() => /Serving Control characters at http:\S+/.test(output), () => output);
      const beforeAddress = output.slice(0, output.indexOf('Serving Control characters'));
      // On demand, the build that finds these runs in the background, after the server listens.
      expect(beforeAddress).toContain('[CharacterInvalid]');
      expect((await get(/Serving Control characters at (http:\S+)/.exec(output)![1])).status).toBe(200);
    } finally {
      child.kill('SIGINT');
      await closed;
      await fs.rm(site, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Watch rebuild correctness: after each change, what is served equals a clean full build of the same files.

const post = (name: string) => path.join(tmp, 'posts', name);

const cases: { name: string; setup?: () => Promise<void>; change: () => Promise<void>; expectServed: (files: ReadonlyMap<string, Uint8Array>) => void }[] = [
  {
    name: 'edit a post body',
    change: async () => {
      const file = post('2024-03-03-starter-notes.md');
      await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace('Original paragraph about rye flour.', 'Edited paragraph about spelt flour.'));
    },
    expectServed: (files) => {
      expect(text(files, 'posts/starter-notes/index.html')).toContain('Edited paragraph about spelt flour.');
      expect(text(files, 'rss.xml')).toContain('spelt flour');
    },
  },
  {
    name: 'edit tags (the post moves between tag pages)',
    change: async () => {
      const file = post('2024-02-12-second-try.md');
      await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace('tags: [bread]', 'tags: [rye, baking]'));
    },
    expectServed: (files) => {
      expect(files.has('tags/rye/index.html')).toBe(true);
      expect(text(files, 'tags/bread/index.html')).not.toContain('Second try');
      expect(text(files, 'tags/baking/index.html') + text(files, 'tags/baking/page/2/index.html')).toContain('Second try');
    },
  },
  {
    name: 'rename a post file (its slug changes)',
    change: async () => {
      await fs.rename(post('2024-04-20-oven-spring.md'), post('2024-04-20-steam-and-spring.md'));
    },
    expectServed: (files) => {
      expect(files.has('posts/oven-spring/index.html')).toBe(false);
      expect(files.has('posts/steam-and-spring/index.html')).toBe(true);
      expect(text(files, 'sitemap.xml')).not.toContain('oven-spring');
    },
  },
  {
    name: 'delete a post (its page and every mention go)',
    change: async () => {
      await fs.rm(post('2024-03-03-starter-notes.md'));
    },
    expectServed: (files) => {
      expect(files.has('posts/starter-notes/index.html')).toBe(false);
      expect(files.has('tags/starter/index.html')).toBe(false);
      for (const [file, bytes] of files) expect(Buffer.from(bytes).toString('utf8').includes('Starter notes'), file).toBe(false);
    },
  },
  {
    name: 'add a post',
    change: async () => {
      await fs.writeFile(post('2024-05-05-new-arrival.md'), '---\ntitle: New arrival\ndate: 2024-05-05\ntags: [news]\n---\n\nA brand new post.\n');
    },
    expectServed: (files) => {
      expect(text(files, 'posts/new-arrival/index.html')).toContain('A brand new post.');
      expect(text(files, 'index.html')).toContain('New arrival');
      expect(files.has('tags/news/index.html')).toBe(true);
      expect(files.has('page/3/index.html')).toBe(true);
    },
  },
  {
    name: 'change a template',
    change: async () => {
      const file = path.join(tmp, 'templates/partials/footer.hbs');
      await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace('Footer of', 'Changed footer of'));
    },
    expectServed: (files) => {
      for (const file of ['index.html', 'posts/first-loaf/index.html', 'tags/index.html', '404.html']) expect(text(files, file), file).toContain('Changed footer of');
    },
  },
  {
    name: 'change the config (everything is rebuilt)',
    change: async () => {
      const file = path.join(tmp, 'blogbuild.config.json');
      const config = JSON.parse(await fs.readFile(file, 'utf8'));
      await fs.writeFile(file, JSON.stringify({ ...config, title: 'Renamed Blog', postsPerPage: 3 }, null, 2));
    },
    expectServed: (files) => {
      expect(text(files, 'posts/first-loaf/index.html')).toContain('Renamed Blog');
      expect(files.has('page/2/index.html')).toBe(true);
      expect(files.has('page/3/index.html')).toBe(false);
    },
  },
  {
    name: 'add a page (the pages folder appears while serving)',
    change: async () => {
      await fs.mkdir(path.join(tmp, 'pages'));
      await fs.writeFile(path.join(tmp, 'pages/about.md'), '---\ntitle: About the oven\n---\n\nWood-fired since 1998.\n');
    },
    expectServed: (files) => {
      expect(text(files, 'about/index.html')).toContain('Wood-fired since 1998.');
      expect(text(files, 'posts/first-loaf/index.html')).toContain('About the oven');
    },
  },
  {
    name: 'edit a page (its title changes in every page\'s navigation)',
    setup: async () => {
      await fs.mkdir(path.join(tmp, 'pages'));
      await fs.writeFile(path.join(tmp, 'pages/about.md'), '---\ntitle: About the oven\n---\n\nWood-fired since 1998.\n');
    },
    change: async () => {
      await fs.writeFile(path.join(tmp, 'pages/about.md'), '---\ntitle: About the bakers\n---\n\nTwo of us.\n');
    },
    expectServed: (files) => {
      expect(text(files, 'about/index.html')).toContain('Two of us.');
      for (const file of ['index.html', 'posts/first-loaf/index.html', 'tags/index.html']) expect(text(files, file), file).toContain('About the bakers');
    },
  },
];

describe('watch rebuilds equal a clean full build', () => {
  it.each(cases)('$name', async ({ setup, change, expectServed }) => {
    await setup?.();
    const h = await start();
    const before = await servedFiles(h.session.state.files);
    expect(outputDifferences(before, await cleanMemoryBuild(tmp))).toEqual([]);

    await change();
    const expected = await cleanMemoryBuild(tmp);
    expect(outputDifferences(before, expected)).not.toEqual([]);
    let diff: string[] = [];
    await waitFor(
      async () => (diff = outputDifferences(await servedFiles(h.session.state.files), expected)).length === 0,
      () => `served output differs from a clean build: ${diff.join(', ')}`,
    );
    await h.idle();
    expect(outputDifferences(await servedFiles(h.session.state.files), await cleanMemoryBuild(tmp))).toEqual([]);
    expectServed(await servedFiles(h.session.state.files));
    expect(h.session.state.errorText).toBeUndefined();

    // And over HTTP: the home page served is the clean build's plus the live-reload tag.
    const home = await get(h.url);
    expect(home.body.replace(/<script src="\/__blogbuild\/client\.js"[^>]*><\/script>\n/, '')).toBe(text(expected, 'index.html'));
  });

  it('keeps the last good pages on a content error, shows it, and recovers when fixed', async () => {
    const h = await start();
    const file = post('2024-01-10-first-loaf.md');
    const good = await fs.readFile(file, 'utf8');
    const lastGood = h.session.state.files;
    const builds = h.session.builds;

    await fs.writeFile(file, good.replace('date: 2024-01-10', 'date: 2024-13-45'));
    await waitFor(() => h.session.state.errorText !== undefined, () => `no error after ${h.session.builds - builds} builds`);
    expect(h.session.state.errorText).toMatch(/^posts\/2024-01-10-first-loaf\.md:3:7: error: `date` is not a valid date/);
    expect(h.session.state.errorText).toContain('3 | date: 2024-13-45');
    expect(h.session.state.files).toBe(lastGood);
    const page = await get(`${h.url}posts/first-loaf/`);
    expect(page.status).toBe(200);
    expect(parseHTML(page.body).document.querySelector('h1')?.textContent).toBe('First loaf');

    await fs.writeFile(file, good.replace('The first loaf came out flat.', 'The first loaf came out fine.'));
    await waitFor(() => h.session.state.errorText === undefined, () => String(h.session.state.errorText));
    await h.idle();
    expect(outputDifferences(await servedFiles(h.session.state.files), await cleanMemoryBuild(tmp))).toEqual([]);
    expect(text(await servedFiles(h.session.state.files), 'posts/first-loaf/index.html')).toContain('came out fine');
  });

  it('serves the final content after a burst of atomic saves', async () => {
    const h = await start();
    const file = post('2024-04-20-oven-spring.md');
    const original = await fs.readFile(file, 'utf8');
    const builds = h.session.builds;
    // An editor's atomic save, five times in quick succession.
    for (let i = 1; i <= 5; i++) {
      const temp = `${file}.${i}.tmp`;
      await fs.writeFile(temp, original.replace('Steam is the secret', `Steam (take ${i}) is the secret`));
      await fs.rename(temp, file);
    }
    await waitFor(async () => text(await servedFiles(h.session.state.files), 'posts/oven-spring/index.html').includes('take 5'), () => 'final save not served');
    await h.idle();
    // How many rebuilds a burst gives depends on timing (the debounce itself is tested with fake timers above).
    expect(h.session.builds - builds).toBeGreaterThanOrEqual(1);
    expect(outputDifferences(await servedFiles(h.session.state.files), await cleanMemoryBuild(tmp))).toEqual([]);
  });
});
