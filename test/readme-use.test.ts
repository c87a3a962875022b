import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import yaml from 'js-yaml';
import { parseHTML } from 'linkedom';
import type { Code, Heading, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const big = { maxBuffer: 64 * 1024 * 1024 };
/** npm settings for every command here, the README's included: installs come from the shared cache when they can. */
const env = { ...process.env, npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', NO_COLOR: '1' };

/** The `sh` blocks of the README's "Use" section, its subsections (deploying…) included, in order. */
async function useBlocks(): Promise<string[]> {
  const tree = unified().use(remarkParse).parse(await fs.readFile(path.join(projectRoot, 'README.md'), 'utf8')) as Root;
  const start = tree.children.findIndex((node) => node.type === 'heading' && node.depth === 2 && toString(node) === 'Use');
  expect(start, 'README.md has a "## Use" section').toBeGreaterThan(-1);
  const end = tree.children.findIndex((node, i) => i > start && node.type === 'heading' && (node as Heading).depth <= 2);
  return tree.children
    .slice(start + 1, end === -1 ? undefined : end)
    .filter((node): node is Code => node.type === 'code' && node.lang === 'sh')
    .map((node) => node.value);
}

/**
 * The one change made to a README block: installing the clone's folder (`npm install … ../blogbuild`) becomes
 * installing the tarball of this checkout, which the sandbox holds where the README says `npm pack` writes it.
 */
function pointInstallAtTarball(block: string, tarball: string): string {
  return block.replace(/^(npm (?:install|i|add)\b.*?\s)\.\.\/blogbuild\/?(?=\s|$)/gm, `$1../blogbuild/${tarball}`);
}

/** Every post listed on the home page of the site in `dir/dist` has its page, titled as listed. */
async function expectPostPages(dir: string): Promise<string[]> {
  const home = parseHTML(await fs.readFile(path.join(dir, 'dist', 'index.html'), 'utf8')).document;
  const links = Array.from(home.querySelectorAll('.post-summary-title a')).map((a) => ({ title: a.textContent?.trim(), href: a.getAttribute('href') ?? '' }));
  expect(links.length, `posts listed in ${dir}/dist/index.html`).toBeGreaterThan(0);
  for (const { title, href } of links) {
    const page = path.join(dir, 'dist', new URL(href, 'https://example.org/').pathname, 'index.html');
    const post = parseHTML(await fs.readFile(page, 'utf8')).document;
    expect(post.querySelector('h1')?.textContent?.trim()).toBe(title);
  }
  return links.map((link) => link.title ?? '');
}

/**
 * The README's "Use" section, run as written: each `sh` block in an empty folder beside a stand-in for the clone
 * (`blogbuild/` holding the tarball of this checkout, as `npm pack` makes it), with only the install spec of the
 * clone's folder pointed at that tarball. A README edit that breaks the path fails here.
 */
describe('the README, run as written', () => {
  let scratch: string;
  let tarball: string;
  let blocks: string[];
  beforeAll(async () => {
    scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-readme-'));
    // --ignore-scripts: `npm test` compiled lib/ already; running `prepare` here would rewrite lib/ under other tests.
    const packed = await run(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], { cwd: projectRoot, ...big });
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    const contents = info.files.map((file) => file.path);
    // Consumers never run `prepare`, so the compiled lib/ and the bundled CLI must be in the tarball.
    expect(contents).toEqual(expect.arrayContaining(['package.json', 'bin/blogbuild.js', 'lib/cli/index.js', 'lib/index.js', 'lib/index.d.ts', 'templates/layout.hbs', 'scaffold/gitignore']));
    expect(contents).toEqual(expect.arrayContaining(['lib/bundle/cli.js', 'lib/bundle/pool-worker.js', 'lib/bundle/handlebars.cjs']));
    expect(contents.some((file) => file.startsWith('test/') || file.startsWith('dist/') || file.startsWith('node_modules/'))).toBe(false);
    tarball = path.basename(info.filename);
    blocks = await useBlocks();
  }, 120_000);
  afterAll(async () => {
    await fs.rm(scratch, { recursive: true, force: true });
  });

  /** Runs `block` with `sh -e` in a new folder beside `blogbuild/`; returns the folder it ends in. */
  async function runBlock(index: number): Promise<string> {
    const sandbox = path.join(scratch, `block-${index}`);
    await fs.mkdir(path.join(sandbox, 'blogbuild'), { recursive: true });
    await fs.copyFile(path.join(scratch, tarball), path.join(sandbox, 'blogbuild', tarball));
    const script = `${pointInstallAtTarball(blocks[index], tarball)}\npwd > "${path.join(scratch, `block-${index}.cwd`)}"\n`;
    try {
      await run('sh', ['-e', '-c', script], { cwd: sandbox, env, ...big });
    } catch (cause) {
      const { stdout, stderr } = cause as { stdout: string; stderr: string };
      throw new Error(`README "Use" block ${index + 1} failed:\n${blocks[index]}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`, { cause });
    }
    return (await fs.readFile(path.join(scratch, `block-${index}.cwd`), 'utf8')).trim();
  }

  it('has a block that builds a blog from the clone and one that scaffolds a deployable blog with init', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    expect(blocks[0]).toMatch(/^npm install .*\.\.\/blogbuild\b/m);
    expect(blocks.some((block) => /npx blogbuild init\b/.test(block))).toBe(true);
  });

  it.concurrent('the first block, copied line by line, ends in a blog with its post built into dist/', async () => {
    const blog = await runBlock(0);
    expect(await expectPostPages(blog)).toContain('Hello, world');
    await fs.access(path.join(blog, 'dist', 'rss.xml'));
    await fs.access(path.join(blog, 'dist', 'assets', 'style.css'));
  }, 180_000);

  it.concurrent('the init block ends in a built blog whose commit installs and builds in a clean clone elsewhere', async () => {
    const index = blocks.findIndex((block) => /npx blogbuild init\b/.test(block));
    const blog = await runBlock(index);
    await expectPostPages(blog);
    const workflow = yaml.load(await fs.readFile(path.join(blog, '.github', 'workflows', 'deploy.yml'), 'utf8')) as { jobs: { build: { steps: { run?: string }[] } } };
    expect(workflow.jobs.build.steps.map((step) => step.run).filter(Boolean)[0]).toBe('npm ci');

    // "Commit everything but node_modules/ and dist/": what git keeps is what CI gets.
    const git = (args: string[], cwd: string) => run('git', ['-c', 'user.name=README test', '-c', 'user.email=readme@example.org', ...args], { cwd, env, ...big });
    await git(['init', '-q', '-b', 'main'], blog);
    await git(['add', '-A'], blog);
    await git(['commit', '-q', '-m', 'A new blog'], blog);
    const copy = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-readme-copy-'));
    try {
      await git(['clone', '-q', blog, path.join(copy, 'site')], copy);
      // Neither the original blog nor the clone beside it exists any more, as on a CI runner.
      await fs.rm(path.dirname(blog), { recursive: true, force: true });
      const site = path.join(copy, 'site');
      const committed = (await git(['ls-files'], site)).stdout.split('\n');
      expect(committed).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', '.github/workflows/deploy.yml']));
      expect(committed.some((file) => file.startsWith('node_modules/') || file.startsWith('dist/'))).toBe(false);
      await run(npm, ['ci'], { cwd: site, env, ...big });
      const built = await run(npx, ['--no-install', 'blogbuild', 'build'], { cwd: site, env, ...big });
      expect(built.stdout).toMatch(/Built \d+ posts?/);
      expect(await expectPostPages(site)).toContain('Hello, world');
    } finally {
      await fs.rm(copy, { recursive: true, force: true });
    }
  }, 240_000);
});
