import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

/**
 * The published package works for a consumer: `npm pack`, install the tarball into an empty blog, and run
 * `npx blogbuild build`. Consumers never run `prepare`, so the compiled lib/ must be in the tarball.
 */
describe('the packed package', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-pack-'));
  });
  afterAll(async () => {
    await fs.rm(scratch, { recursive: true, force: true });
  });

  it('installs from its tarball and builds a blog with `npx blogbuild build`', async () => {
    // --ignore-scripts: `npm test` compiled lib/ already; running `prepare` here would rewrite lib/ under other tests.
    const packed = await run(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], { cwd: projectRoot, maxBuffer: 64 * 1024 * 1024 });
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    const contents = info.files.map((file) => file.path);
    expect(contents).toEqual(expect.arrayContaining(['package.json', 'bin/blogbuild.js', 'lib/cli/index.js', 'lib/index.js', 'lib/index.d.ts', 'templates/layout.hbs']));
    // The bundled CLI and markdown worker (scripts/bundle.js) ship too: bin runs them when they are there.
    expect(contents).toEqual(expect.arrayContaining(['lib/bundle/cli.js', 'lib/bundle/pool-worker.js', 'lib/bundle/handlebars.cjs']));
    expect(contents.some((file) => file.startsWith('test/') || file.startsWith('dist/') || file.startsWith('node_modules/'))).toBe(false);
    const tarball = path.join(scratch, path.basename(info.filename));

    const blog = path.join(scratch, 'blog');
    await fs.mkdir(path.join(blog, 'posts'), { recursive: true });
    await fs.writeFile(path.join(blog, 'package.json'), `${JSON.stringify({ name: 'pack-test-blog', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`);
    await fs.writeFile(path.join(blog, 'posts', '2024-05-04-packed-and-shipped.md'), '---\ntitle: Packed and shipped\ndate: 2024-05-04\ntags: [release]\n---\n\nBuilt from the installed tarball.\n');

    await run(npm, ['install', tarball, '--no-audit', '--no-fund', '--ignore-scripts=false'], { cwd: blog, maxBuffer: 64 * 1024 * 1024 });
    const built = await run(npx, ['--no-install', 'blogbuild', 'build'], { cwd: blog, maxBuffer: 16 * 1024 * 1024 });
    expect(built.stdout + built.stderr).toMatch(/Built 1 post/);

    const home = parseHTML(await fs.readFile(path.join(blog, 'dist', 'index.html'), 'utf8')).document;
    expect(home.querySelector('.post-summary-title a')?.textContent).toBe('Packed and shipped');
    const post = parseHTML(await fs.readFile(path.join(blog, 'dist', 'posts', 'packed-and-shipped', 'index.html'), 'utf8')).document;
    expect(post.querySelector('h1')?.textContent).toBe('Packed and shipped');
    await fs.access(path.join(blog, 'dist', 'assets', 'style.css'));
    await fs.access(path.join(blog, 'dist', 'rss.xml'));

    // A newcomer's path from there: `blogbuild init`, then `npm install && npx blogbuild build` in the new blog.
    const initialised = await run(npx, ['--no-install', 'blogbuild', 'init', 'second-blog'], { cwd: blog });
    expect(initialised.stdout).toContain('package.json');
    const second = path.join(blog, 'second-blog');
    const pkg = JSON.parse(await fs.readFile(path.join(second, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    // Installed from a tarball, init copies it into the new blog, so the blog installs anywhere (CI included).
    expect(pkg.dependencies.blogbuild).toBe(`file:vendor/${path.basename(tarball)}`);
    expect(await fs.readFile(path.join(second, 'vendor', path.basename(tarball)))).toEqual(await fs.readFile(tarball));
    await run(npm, ['install', '--no-audit', '--no-fund'], { cwd: second, maxBuffer: 64 * 1024 * 1024 });
    const secondBuilt = await run(npx, ['--no-install', 'blogbuild', 'build'], { cwd: second, maxBuffer: 16 * 1024 * 1024 });
    expect(secondBuilt.stdout).toMatch(/Built 1 post/);
    const hello = parseHTML(await fs.readFile(path.join(second, 'dist', 'posts', 'hello-world', 'index.html'), 'utf8')).document;
    expect(hello.querySelector('h1')?.textContent).toBeTruthy();
  }, 240_000);
});
