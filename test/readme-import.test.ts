/**
 * The README's "Coming from Jekyll / Hugo / Eleventy / Astro" section, run as a new user would: its `sh` block in
 * an empty folder beside a stand-in for the clone (`blogbuild/` holding the tarball of this checkout, as `npm pack`
 * makes it) and the old site (a copy of test/fixtures/import/<generator>). For Jekyll the block runs as written; for
 * the other generators with the generator's name in place of `jekyll`, installing once. Every command exits 0, the
 * build prints no warning, and each imported post has its page.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseHTML } from 'linkedom';
import type { Code, Heading, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const big = { maxBuffer: 64 * 1024 * 1024 };
const env = { ...process.env, npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', NO_COLOR: '1', CI: '1' };

/** The `sh` block of the README's "Coming from …" section. */
async function importBlock(): Promise<string> {
  const tree = unified().use(remarkParse).parse(await fs.readFile(path.join(projectRoot, 'README.md'), 'utf8')) as Root;
  const start = tree.children.findIndex((node) => node.type === 'heading' && node.depth === 2 && toString(node).startsWith('Coming from Jekyll'));
  expect(start, 'README.md has a "## Coming from Jekyll / Hugo / Eleventy / Astro" section').toBeGreaterThan(-1);
  const end = tree.children.findIndex((node, i) => i > start && node.type === 'heading' && (node as Heading).depth <= 2);
  const blocks = tree.children.slice(start + 1, end).filter((node): node is Code => node.type === 'code' && node.lang === 'sh');
  expect(blocks).toHaveLength(1);
  return blocks[0]!.value;
}

async function runScript(script: string, cwd: string): Promise<{ stdout: string; stderr: string }> {
  try {
    return await run('sh', ['-e', '-x', '-c', script], { cwd, env, ...big });
  } catch (cause) {
    const { stdout, stderr } = cause as { stdout: string; stderr: string };
    throw new Error(`README block failed:\n${script}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`, { cause });
  }
}

/** The titles of the posts listed on the home page of `dist/`, each checked to have its page. */
async function builtPosts(blog: string): Promise<string[]> {
  const home = parseHTML(await fs.readFile(path.join(blog, 'dist', 'index.html'), 'utf8')).document;
  const titles: string[] = [];
  for (const a of home.querySelectorAll('.post-summary-title a')) {
    const page = path.join(blog, 'dist', new URL(a.getAttribute('href')!, 'https://example.org/').pathname.replace(/^\/[^/]+\/(?=posts\/)/, '/'), 'index.html');
    const post = parseHTML(await fs.readFile(page, 'utf8')).document;
    expect(post.querySelector('h1')?.textContent?.trim()).toBe(a.textContent?.trim());
    titles.push(a.textContent!.trim());
  }
  return titles;
}

describe('the README "Coming from" section, run as written', () => {
  let sandbox: string;
  let block: string;
  beforeAll(async () => {
    sandbox = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-readme-import-'));
    await fs.mkdir(path.join(sandbox, 'blogbuild'));
    // --ignore-scripts: `npm test` compiled lib/ already; running `prepare` here would rewrite lib/ under other tests.
    const packed = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', path.join(sandbox, 'blogbuild')], { cwd: projectRoot, ...big });
    const tarball = (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename;
    block = (await importBlock()).replace(/^(npm (?:install|i|add)\b.*?\s)\.\.\/blogbuild\/?(?=\s|$)/gm, `$1../blogbuild/${path.basename(tarball)}`);
    for (const generator of ['jekyll', 'hugo', 'eleventy', 'astro']) {
      await fs.cp(path.join(projectRoot, 'test', 'fixtures', 'import', generator), path.join(sandbox, `my-${generator}-site`), { recursive: true });
    }
  }, 120_000);
  afterAll(() => fs.rm(sandbox, { recursive: true, force: true }));

  it('installs, imports and builds each generator\'s site with no warning', async () => {
    expect(block).toMatch(/npx blogbuild import jekyll \.\.\/my-jekyll-site --dry-run/);
    const jekyll = await runScript(block, sandbox);
    expect(jekyll.stdout).toContain('Dry run: nothing was written.');
    expect(jekyll.stderr).not.toMatch(/warning|error/i);
    expect(await builtPosts(path.join(sandbox, 'my-blog'))).toHaveLength(3);

    for (const generator of ['hugo', 'eleventy', 'astro']) {
      // The same commands with this generator's name, in a folder of its own that shares the installed blogbuild.
      const lines = block
        .replace(/my-blog/g, `my-blog-${generator}`)
        .replace(/jekyll/g, generator)
        .replace(/^npm init -y$/m, 'cp ../my-blog/package.json .')
        .replace(/^npm install .*$/m, 'ln -s ../my-blog/node_modules node_modules');
      const result = await runScript(lines, sandbox);
      expect(result.stdout, generator).toMatch(new RegExp(`Imported \\d+ posts? from the ${generator} site`));
      expect(result.stderr, generator).not.toMatch(/warning|error/i);
      expect((await builtPosts(path.join(sandbox, `my-blog-${generator}`))).length, generator).toBeGreaterThanOrEqual(2);
    }
  }, 300_000);
});
