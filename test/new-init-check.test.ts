import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import matter from 'gray-matter';
import yaml from 'js-yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { checkOutput } from '../src/check/check-output.js';
import { blogbuildDependency } from '../src/cli/init-command.js';
import { isoInZone } from '../src/content/dates.js';
import { memoryWriter } from '../src/output/writer.js';
import { version } from '../src/version.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(repo, 'bin/blogbuild.js');
const fixtures = path.join(repo, 'test/fixtures/sites');

let tmp: string;
beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-cli-'));
});
afterEach(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

function run(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const exists = (file: string) => fs.access(file).then(() => true, () => false);

describe('blogbuild new', () => {
  beforeEach(async () => {
    await fs.writeFile(path.join(tmp, 'blogbuild.config.json'), JSON.stringify({ title: 'T', author: 'Grace Hopper', timezone: 'Pacific/Kiritimati' }));
  });

  it('creates posts/<slug>.md with the front matter filled in, and the post builds', async () => {
    const today = isoInZone(new Date(), 'Pacific/Kiritimati').slice(0, 10);
    const result = run(['new', 'Café: the "first" week!', '--tags', 'news, coffee beans'], tmp);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('posts/cafe-the-first-week.md\n');
    const text = await fs.readFile(path.join(tmp, 'posts/cafe-the-first-week.md'), 'utf8');
    const { data } = matter(text);
    // Today in the site's time zone (UTC+14), which is not the machine's date for half of each day.
    expect([today, isoInZone(new Date(), 'Pacific/Kiritimati').slice(0, 10)]).toContain(text.match(/^date: (\S+)$/m)?.[1]);
    expect({ ...data, date: undefined }).toEqual({ title: 'Café: the "first" week!', date: undefined, author: 'Grace Hopper', tags: ['news', 'coffee beans'], draft: false });

    const writer = memoryWriter();
    const built = await build({ root: tmp, writer, now: new Date(Date.now() + 86_400_000) });
    expect(built.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(writer.read('posts/cafe-the-first-week/index.html')).toContain('Café: the &quot;first&quot; week!');
  });

  it('marks drafts, which the build then skips', async () => {
    expect(run(['new', 'Half done', '--draft'], tmp).code).toBe(0);
    const { data } = matter(await fs.readFile(path.join(tmp, 'posts/half-done.md'), 'utf8'));
    expect(data.draft).toBe(true);
    expect(data.tags).toEqual([]);
    const built = await build({ root: tmp, writer: memoryWriter(), now: new Date(Date.now() + 86_400_000) });
    expect(built.site?.drafts.map((p) => p.slug)).toEqual(['half-done']);
  });

  it('refuses an empty title (exit 2), with the catalogue\'s wording and hint', () => {
    const empty = run(['new', '  '], tmp);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toBe('error: the title is empty [NewPostInvalid]\n  hint: blogbuild new "My first post"\n\n');
  });

  it('refuses to overwrite an existing post', async () => {
    expect(run(['new', 'Hello'], tmp).code).toBe(0);
    const file = path.join(tmp, 'posts/hello.md');
    await fs.writeFile(file, 'my words');
    const again = run(['new', 'Hello', '--tags', 'x'], tmp);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('error: posts/hello.md already exists; nothing was written [PostExists]');
    expect(again.stdout).toBe('');
    expect(await fs.readFile(file, 'utf8')).toBe('my words');
  });

  it('refuses a title whose slug an existing post already has (a dated file name or a slug: key)', async () => {
    await fs.mkdir(path.join(tmp, 'posts'), { recursive: true });
    await fs.writeFile(path.join(tmp, 'posts/2024-01-05-hello-again.md'), '---\ntitle: Hello again\ndate: 2024-01-05\n---\nx\n');
    await fs.writeFile(path.join(tmp, 'posts/notes.md'), '---\ntitle: Notes\nslug: opening-day\ndate: 2024-01-06\n---\nx\n');
    for (const [title, owner] of [['Hello again', 'posts/2024-01-05-hello-again.md'], ['Opening day', 'posts/notes.md']]) {
      const result = run(['new', title], tmp);
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toContain(`error: ${owner} already has the slug`);
      expect(result.stderr).toMatch(/nothing was written \[PostExists\]\n {2}hint: choose another title, or edit /);
      expect(result.stdout).toBe('');
    }
    expect(await exists(path.join(tmp, 'posts/hello-again.md'))).toBe(false);
    expect(await exists(path.join(tmp, 'posts/opening-day.md'))).toBe(false);
  });
});

describe('blogbuild init', () => {
  it('refuses a folder name that is a file (exit 2)', async () => {
    await fs.writeFile(path.join(tmp, 'taken'), 'a file\n');
    const refused = run(['init', 'taken'], tmp);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('error: taken exists and is not a folder [InitFolderInvalid]\n  hint: choose another name: blogbuild init my-blog\n\n');
  });

  it('scaffolds a blog that builds and checks, with a GitHub Pages workflow', async () => {
    const dir = path.join(tmp, 'my-new-blog');
    const result = run(['init', 'my-new-blog'], tmp);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    for (const file of ['package.json', 'blogbuild.config.json', 'posts/hello-world.md', '.gitignore', '.github/workflows/deploy.yml', 'README.md']) {
      expect(result.stdout, file).toContain(`  ${file}\n`);
      expect(await exists(path.join(dir, file)), file).toBe(true);
    }

    const pkg = JSON.parse(await fs.readFile(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('my-new-blog');
    // blogbuild is not on the registry: the new blog depends on the copy that created it, which npm can install.
    expect(pkg.dependencies).toEqual({ blogbuild: `file:${await fs.realpath(fileURLToPath(new URL('..', import.meta.url)))}` });
    expect(pkg.scripts.build).toBe('blogbuild build');
    expect(pkg.scripts.serve).toBe('blogbuild serve');
    const config = JSON.parse(await fs.readFile(path.join(dir, 'blogbuild.config.json'), 'utf8'));
    expect(config.title).toBe('My New Blog');
    expect((await fs.readFile(path.join(dir, '.gitignore'), 'utf8')).split('\n')).toEqual(expect.arrayContaining(['node_modules/', 'dist/']));

    // The workflow: checkout, node, npm ci, the build cache, check and build with the Pages URL, upload, deploy.
    const workflow = yaml.load(await fs.readFile(path.join(dir, '.github/workflows/deploy.yml'), 'utf8')) as {
      permissions: Record<string, string>;
      jobs: Record<string, { steps: { uses?: string; run?: string; id?: string; with?: Record<string, string> }[]; needs?: string; environment?: { name: string } }>;
    };
    expect(workflow.permissions).toMatchObject({ pages: 'write', 'id-token': 'write' });
    const steps = workflow.jobs.build.steps;
    const uses = steps.map((s) => s.uses?.split('@')[0]).filter(Boolean);
    expect(uses).toEqual(['actions/checkout', 'actions/setup-node', 'actions/configure-pages', 'actions/cache', 'actions/upload-pages-artifact']);
    const runs = steps.map((s) => s.run).filter(Boolean);
    expect(runs[0]).toBe('npm ci');
    expect(runs).toContain('npx blogbuild build --url "${{ steps.pages.outputs.base_url }}"');
    expect(runs.findIndex((r) => r!.startsWith('npx blogbuild check'))).toBeLessThan(runs.findIndex((r) => r!.startsWith('npx blogbuild build')));
    expect(steps.find((s) => s.uses?.startsWith('actions/configure-pages'))?.id).toBe('pages');
    expect(steps.find((s) => s.uses?.startsWith('actions/cache'))?.with?.path).toBe('node_modules/.cache/blogbuild');
    expect(steps.find((s) => s.uses?.startsWith('actions/upload-pages-artifact'))?.with?.path).toBe('dist');
    expect(workflow.jobs.deploy.needs).toBe('build');
    expect(workflow.jobs.deploy.environment?.name).toBe('github-pages');
    expect(workflow.jobs.deploy.steps[0].uses).toMatch(/^actions\/deploy-pages@/);

    // The scaffold builds and passes the check, as the workflow would run them.
    const checked = run(['check', '--url', 'https://someone.github.io/my-new-blog'], dir);
    expect(checked.stderr).toBe('');
    expect(checked.code).toBe(0);
    const built = run(['build', '--url', 'https://someone.github.io/my-new-blog'], dir);
    expect(built.code).toBe(0);
    const html = await fs.readFile(path.join(dir, 'dist/posts/hello-world/index.html'), 'utf8');
    expect(html).toContain('Hello, world');
    expect(html).toContain('href="/my-new-blog/');
  });

  it('refuses a non-empty folder unless --force, which keeps existing files', async () => {
    await fs.writeFile(path.join(tmp, 'notes.txt'), 'keep me');
    await fs.writeFile(path.join(tmp, 'package.json'), '{"name":"mine"}');
    const refused = run(['init'], tmp);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/is not empty \(.*notes\.txt.*\); nothing was written \[InitFolderNotEmpty\]/);
    expect(refused.stderr).toContain('--force');
    expect(await fs.readdir(tmp)).toEqual(['notes.txt', 'package.json']);

    const forced = run(['init', '.', '--force'], tmp);
    expect(forced.code).toBe(0);
    expect(await fs.readFile(path.join(tmp, 'notes.txt'), 'utf8')).toBe('keep me');
    // package.json is completed, not replaced: its name stays, the scripts and the dependency are added.
    const pkg = JSON.parse(await fs.readFile(path.join(tmp, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('mine');
    expect(pkg.scripts).toMatchObject({ build: 'blogbuild build', serve: 'blogbuild serve', check: 'blogbuild check' });
    expect(pkg.dependencies.blogbuild).toMatch(/^file:/);
    expect(forced.stdout).toContain('  package.json (completed)\n');
    expect(await exists(path.join(tmp, 'posts/hello-world.md'))).toBe(true);
    expect(await exists(path.join(tmp, '.github/workflows/deploy.yml'))).toBe(true);
  });

  it('completes a folder where blogbuild was just installed, keeping what package.json has', async () => {
    // What `npm install --save-dev ../blogbuild` leaves (a link to a clone: no spec CI could install is known).
    await fs.mkdir(path.join(tmp, 'node_modules'));
    await fs.symlink(repo, path.join(tmp, 'node_modules', 'blogbuild'));
    await fs.writeFile(path.join(tmp, 'package.json'), '{\n    "name": "mine",\n    "scripts": { "build": "blogbuild build --drafts" },\n    "devDependencies": { "blogbuild": "file:../blogbuild" }\n}\n');
    await fs.writeFile(path.join(tmp, 'package-lock.json'), '{}');
    const result = run(['init'], tmp);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const text = await fs.readFile(path.join(tmp, 'package.json'), 'utf8');
    expect(text).toMatch(/^\{\n {4}"name": "mine",/);
    const pkg = JSON.parse(text);
    expect(pkg.scripts).toEqual({ build: 'blogbuild build --drafts', serve: 'blogbuild serve', check: 'blogbuild check', new: 'blogbuild new' });
    expect(pkg.devDependencies).toEqual({ blogbuild: 'file:../blogbuild' });
    expect(pkg.dependencies).toBeUndefined();
    expect(pkg.type).toBe('module');
    expect(result.stdout).toContain('note: package.json depends on a folder on this machine (file:../blogbuild)');
    expect(await exists(path.join(tmp, '.github/workflows/deploy.yml'))).toBe(true);
    // Anything else in the folder still needs --force.
    await fs.rm(path.join(tmp, 'blogbuild.config.json'));
    await fs.writeFile(path.join(tmp, 'notes.txt'), 'mine');
    expect(run(['init'], tmp).code).toBe(1);
  });

  it('accepts a folder holding only .git', async () => {
    await fs.mkdir(path.join(tmp, '.git'));
    expect(run(['init'], tmp).code).toBe(0);
    expect(await exists(path.join(tmp, 'blogbuild.config.json'))).toBe(true);
  });
});

describe('blogbuild check', () => {
  const linksFixture = path.join(fixtures, 'serve-check-links');

  it('reports broken links, anchors and images in pages and feeds, under the base path, and lists skipped posts', async () => {
    const dir = path.join(tmp, 'site');
    await fs.cp(linksFixture, dir, { recursive: true });
    const result = run(['check'], dir);
    expect(result.code).toBe(1);
    const err = result.stderr;
    expect(err).toContain('posts/broken-links.md:6:32: error: link to /blog/posts/no-such-post/ points to no page or file [LinkBroken]');
    expect(err).toContain('posts/broken-links.md:8:35: warning: link to /blog/posts/good-links/#no-such-heading has no element with id "no-such-heading" [AnchorMissing]');
    expect(err).toContain('posts/broken-links.md:10:22: error: image /blog/images/missing.png does not exist [ImageMissing]');
    // The footer's /about/ misses the base path /blog/: one problem, though it is on every page.
    expect(err).toMatch(/^error: link to \/about\/ is outside the site's base path \/blog\/ \(in 7 pages: 404\.html, index\.html, …\) \[LinkBroken\]$/m);
    // The same broken link in the feed is the same problem, reported once.
    expect(err.match(/no-such-post/g)).toHaveLength(2);
    expect(err).not.toContain('good-links.md');
    expect(result.stdout).toContain('Skipped 1 draft and 1 scheduled');
    expect(result.stdout).toMatch(/draft +posts\/work-in-progress\.md +"Work in progress"/);
    expect(result.stdout).toMatch(/scheduled +posts\/from-the-future\.md +"From the future" goes live 2999-01-01 09:30 \(America\/New_York\)/);
    // The build itself warns about the missing image too, at the markdown it is written in.
    expect(err).toContain('posts/broken-links.md:10:22: warning: image /images/missing.png does not exist [ImageMissing]');
    expect(result.stdout).toContain('3 errors, 2 warnings');
    // No site was written (the build cache under node_modules/.cache may be).
    expect((await fs.readdir(dir)).filter((name) => name !== 'node_modules')).toEqual(['blogbuild.config.json', 'posts', 'templates']);
  });

  it('reports a post\'s missing image once, at the markdown, though the feeds hold it in its absolute form', async () => {
    const dir = path.join(tmp, 'site');
    await fs.cp(path.join(fixtures, 'serve-basic'), dir, { recursive: true });
    await fs.writeFile(path.join(dir, 'posts/photo.md'), '---\ntitle: Photo\ndate: 2024-01-01\n---\n\nHere: ![a dune](dune.png)\n');
    const result = run(['check'], dir);
    expect(result.code).toBe(1);
    const errors = result.stderr.split('\n').filter((line) => /error: .*\[ImageMissing\]$/.test(line));
    expect(errors).toEqual(['posts/photo.md:6:17: error: image dune.png does not exist [ImageMissing]']);
  });

  it('passes a clean blog; --strict turns warnings into errors', async () => {
    const dir = path.join(tmp, 'site');
    await fs.cp(path.join(fixtures, 'serve-basic'), dir, { recursive: true });
    const clean = run(['check'], dir);
    expect(clean.stderr).toBe('');
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/checked 12 pages.*0 errors, 0 warnings/);

    await fs.writeFile(path.join(dir, 'posts/anchor.md'), '---\ntitle: Anchor\ndate: 2024-01-01\n---\n\nSee [shaping](/posts/second-try/#shapin).\n');
    const warned = run(['check'], dir);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain('posts/anchor.md:6:15: warning: link to /blog/posts/second-try/#shapin has no element with id "shapin" [AnchorMissing]');
    const strict = run(['check', '--strict'], dir);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('--strict');

    await fs.writeFile(path.join(dir, 'posts/anchor.md'), '---\ntitle: Anchor\ndate: 2024-01-01\n---\n\nSee [shaping](/posts/second-try/#shaping).\n');
    expect(run(['check', '--strict'], dir).code).toBe(0);
  });

  it('reports content errors with exit 1 and usage errors with exit 2', async () => {
    const dir = path.join(tmp, 'site');
    await fs.cp(path.join(fixtures, 'serve-basic'), dir, { recursive: true });
    await fs.writeFile(path.join(dir, 'posts/bad.md'), '---\ntitle: Bad\ndate: 2024-02-30\n---\n\nx\n');
    const bad = run(['check'], dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('posts/bad.md:3:7: error: `date` is not a valid date');
    await fs.writeFile(path.join(dir, 'blogbuild.config.json'), '{"titel": "x"}');
    expect(run(['check'], dir).code).toBe(2);
  });

  it('checks links relative to the page, root-relative links without a url, and feed links', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    const page = (body: string) => enc(`<!doctype html><html><head><title>x</title></head><body>${body}</body></html>`);
    const files = new Map<string, Uint8Array>([
      ['index.html', page('<a href="posts/a/">a</a> <a href="posts/a/#x">x</a> <a href="#top">top</a> <img src="pic.png" alt=""> <a href="mailto:a@b.c">m</a> <a href="//cdn.example.com/x">cdn</a>')],
      ['posts/a/index.html', page('<h2 id="x">X</h2><a href="../../">home</a><a href="../b/">b</a><img srcset="one.png 1x, two.png 2x" alt=""><a href="../../posts/a">no slash</a>')],
      ['pic.png', enc('png')],
      ['posts/a/one.png', enc('png')],
      ['rss.xml', enc('<rss><channel><link>/</link><item><link>/posts/a/</link><content:encoded><![CDATA[<a href="/posts/a/#y">y</a>]]></content:encoded></item></channel></rss>')],
    ]);
    const report = checkOutput({ files, basePath: '/', url: '' });
    const found = report.diagnostics.map((d) => `${d.code} ${d.message}`).sort();
    expect(found).toEqual([
      'AnchorMissing link to /posts/a/#y has no element with id "y" (in rss.xml)',
      'ImageMissing image two.png does not exist (in posts/a/index.html)',
      'LinkBroken link to ../b/ points to no page or file (in posts/a/index.html)',
    ]);
  });
});

describe('the blogbuild dependency init writes', () => {
  const sha = '0123456789abcdef0123456789abcdef01234567';
  /** A project as npm leaves it after installing blogbuild: package.json, a lock entry, node_modules/blogbuild. */
  async function installed(options: { declared?: string; resolved?: string; lock?: string; legacyResolved?: string; link?: boolean }) {
    const project = path.join(tmp, 'project');
    const installedAt = path.join(project, 'node_modules', 'blogbuild');
    await fs.mkdir(installedAt, { recursive: true });
    await fs.writeFile(path.join(installedAt, 'package.json'), JSON.stringify({ name: 'blogbuild', version, _resolved: options.legacyResolved }));
    if (options.declared) await fs.writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'project', devDependencies: { blogbuild: options.declared } }));
    if (options.resolved) {
      const lock = { lockfileVersion: 3, packages: { 'node_modules/blogbuild': { version, resolved: options.resolved, link: options.link } } };
      await fs.writeFile(path.join(project, options.lock ?? 'package-lock.json'), JSON.stringify(lock));
    }
    return { project, installedAt };
  }
  const blog = () => path.join(tmp, 'new-blog');

  it('is the git spec blogbuild was installed from, as package.json wrote it (tag kept), else as the lock resolved it', async () => {
    const { installedAt } = await installed({ declared: 'github:someone/blogbuild#v0.1.0', resolved: `git+ssh://git@github.com/someone/blogbuild.git#${sha}` });
    expect(await blogbuildDependency(blog(), {}, installedAt)).toEqual({ spec: 'github:someone/blogbuild#v0.1.0', isLink: false });
    await fs.rm(path.join(tmp, 'project', 'package.json'));
    expect(await blogbuildDependency(blog(), {}, installedAt)).toEqual({ spec: `git+ssh://git@github.com/someone/blogbuild.git#${sha}`, isLink: false });
  });

  it('reads npm’s hidden lock in node_modules and npm 6’s _resolved when the project has no lock file', async () => {
    const hidden = await installed({ declared: 'file:x', resolved: `git+https://example.org/blogbuild.git#${sha}`, lock: 'node_modules/.package-lock.json' });
    expect((await blogbuildDependency(blog(), {}, hidden.installedAt)).spec).toBe(`git+https://example.org/blogbuild.git#${sha}`);
    await fs.rm(path.join(tmp, 'project'), { recursive: true });
    const legacy = await installed({ legacyResolved: 'https://example.org/downloads/blogbuild-0.1.0.tgz' });
    expect((await blogbuildDependency(blog(), {}, legacy.installedAt)).spec).toBe('https://example.org/downloads/blogbuild-0.1.0.tgz');
  });

  it('is a tarball URL as given, and a caret range for a registry install', async () => {
    const url = await installed({ declared: 'https://example.org/blogbuild-0.1.0.tgz', resolved: 'https://example.org/blogbuild-0.1.0.tgz' });
    expect((await blogbuildDependency(blog(), {}, url.installedAt)).spec).toBe('https://example.org/blogbuild-0.1.0.tgz');
    await fs.rm(path.join(tmp, 'project'), { recursive: true });
    const registry = await installed({ declared: '^0.1.0', resolved: `https://registry.npmjs.org/blogbuild/-/blogbuild-${version}.tgz` });
    expect(await blogbuildDependency(blog(), {}, registry.installedAt)).toEqual({ spec: `^${version}`, isLink: false });
  });

  it('copies a tarball on this disk into the blog, unless it is there already; a tarball gone is a file: link', async () => {
    const { project, installedAt } = await installed({ declared: 'file:../packs/blogbuild-0.1.0.tgz', resolved: 'file:../packs/blogbuild-0.1.0.tgz' });
    await fs.mkdir(path.join(tmp, 'packs'));
    await fs.writeFile(path.join(tmp, 'packs', 'blogbuild-0.1.0.tgz'), 'a tarball');
    expect(await blogbuildDependency(blog(), {}, installedAt)).toEqual({
      spec: 'file:vendor/blogbuild-0.1.0.tgz',
      vendor: { from: path.join(tmp, 'packs', 'blogbuild-0.1.0.tgz'), to: 'vendor/blogbuild-0.1.0.tgz' },
      isLink: false,
    });
    // init in the project itself, whose tarball is already inside it.
    expect(await blogbuildDependency(path.join(tmp), {}, installedAt)).toEqual({ spec: 'file:packs/blogbuild-0.1.0.tgz', isLink: false });
    await fs.rm(path.join(tmp, 'packs'), { recursive: true });
    expect(await blogbuildDependency(blog(), {}, installedAt)).toEqual({ spec: `file:${await fs.realpath(installedAt)}`, isLink: true });
    expect(project).toBe(path.join(tmp, 'project'));
  });

  it('is a file: link for a clone or a linked folder, and --dependency always wins', async () => {
    expect(await blogbuildDependency(blog(), {}, repo)).toEqual({ spec: `file:${await fs.realpath(repo)}`, isLink: true });
    const linked = await installed({ declared: 'file:../blogbuild', resolved: '../blogbuild', link: true });
    expect((await blogbuildDependency(blog(), {}, linked.installedAt)).isLink).toBe(true);
    expect(await blogbuildDependency(blog(), { dependency: 'github:me/blogbuild#main' }, linked.installedAt)).toEqual({ spec: 'github:me/blogbuild#main', isLink: false });
  });
});
