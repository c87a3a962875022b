/**
 * Property tests (issue 14): for any post, the build either succeeds with output that parses, or returns
 * located diagnostics. Never a thrown (internal) error, never an error without file and line, never an output
 * path outside the output folder.
 *
 * `npm test` runs a fixed seed and a few hundred cases; `npm run fuzz` runs 10,000 with a random seed
 * (FUZZ_RUNS and FUZZ_SEED override both). A failure prints the seed and the shrunk post to reproduce it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';
import { parse } from 'parse5';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { createBuildState } from '../src/build-state.js';
import { memoryWriter } from '../src/output/writer.js';
import { FIXED_NOW } from './helpers/build-fixture.js';
import { postFile, renderablePostFile } from './helpers/fuzz-posts.js';

const runs = Number(process.env.FUZZ_RUNS ?? 100);
const seed = process.env.FUZZ_SEED === 'random' ? Date.now() : Number(process.env.FUZZ_SEED ?? 14);

const blog = fs.mkdtempSync(path.join(os.tmpdir(), 'blogbuild-fuzz-'));
fs.mkdirSync(path.join(blog, 'posts'));
fs.writeFileSync(path.join(blog, 'blogbuild.config.json'), '{ "url": "https://example.org/blog/" }\n');
fs.writeFileSync(path.join(blog, 'posts', 'fixed.md'), '---\ntitle: A fixed post\ndate: 2024-01-01\ntags: [fuzz]\n---\nAlways here.\n');
afterAll(() => {
  fs.rmSync(blog, { recursive: true, force: true });
  // For the record of a long run: how many cases each property ran, and how many of them built.
  console.log(`fuzz seed ${seed}: ${cases} cases built; any post file: ${succeeded.any} built, renderable: ${succeeded.renderable} built`);
});
// One build state for all cases, as the dev server keeps one: templates are compiled once, and each build redoes
// only what the new post changes (~15 ms instead of ~300 ms), with the output of a clean build.
const state = createBuildState();
let cases = 0;
let file = '';
/** Output texts already checked (most pages do not change from one case to the next). */
const checked = new Set<string>();
/** Builds that succeeded, by property, so a generator that only makes broken posts is noticed. */
const succeeded = { any: 0, renderable: 0 };

/** Why the build of `text` breaks the rules, or undefined when it keeps them. */
async function violation(text: string, kind: keyof typeof succeeded): Promise<string | undefined> {
  // A new file name for each case, so no case can be mistaken for the last by size and mtime.
  if (file) fs.rmSync(file);
  file = path.join(blog, 'posts', `2024-05-01-fuzzed-${++cases}.md`);
  fs.writeFileSync(file, text);
  const writer = memoryWriter();
  let result;
  try {
    result = await build({ root: blog, writer, cache: false, workers: 0, now: FIXED_NOW, state });
  } catch (cause) {
    return `build threw: ${(cause as Error)?.stack ?? String(cause)}`;
  }
  const lines = text.split(/\r\n|\r|\n/).length;
  for (const d of result.diagnostics) {
    if (d.severity !== 'error') continue;
    if (!d.loc?.file) return `unlocated error: ${d.code}: ${d.message}`;
    if (d.loc.file !== file) return `error in ${d.loc.file}, not in the post: ${d.code}: ${d.message}`;
    if (!d.loc.line || d.loc.line < 1 || d.loc.line > lines) return `error without a line in the post: ${d.code}: ${d.message} (${d.loc.line}:${d.loc.column})`;
    if (d.hint === undefined || d.hint === '') return `error without a hint: ${d.code}: ${d.message}`;
    if (d.code === 'OutputFailed') return `output failed: ${d.message}`;
  }
  if (result.ok !== !result.diagnostics.some((d) => d.severity === 'error')) return 'ok disagrees with the diagnostics';
  if (!result.ok) return undefined;
  succeeded[kind]++;
  for (const [out, bytes] of writer.files) {
    if (path.posix.isAbsolute(out) || out.split('/').some((s) => s === '..' || s === '.' || s === '') || /[\\\0]/.test(out)) return `output path outside the output folder: ${JSON.stringify(out)}`;
    const content = Buffer.from(bytes).toString('utf8');
    if (checked.has(content)) continue;
    checked.add(content);
    if (out.endsWith('.html')) {
      const errors: string[] = [];
      parse(content, { onParseError: (e) => errors.push(`${e.code} at ${e.startLine}:${e.startCol}`) });
      // Raw HTML in a post is passed through as written, so only pages made without it must be error-free.
      if (errors.length > 0 && !/<[a-z!/]/i.test(text.replace(/^---[\s\S]*?\n---/, ''))) return `${out} does not parse cleanly: ${errors.slice(0, 3).join(', ')}`;
    }
    if (out.endsWith('.xml')) {
      const valid = XMLValidator.validate(content);
      if (valid !== true) return `${out} is not well-formed XML: ${JSON.stringify(valid.err)}`;
    }
  }
  return undefined;
}

const property = (posts: fc.Arbitrary<string>, kind: keyof typeof succeeded) =>
  fc.asyncProperty(posts, async (text) => {
    const problem = await violation(text, kind);
    expect(problem, `post:\n${JSON.stringify(text)}`).toBeUndefined();
  });

describe(`fuzzed posts (seed ${seed}, ${runs} runs each)`, () => {
  it('any post file: builds, or located diagnostics', async () => {
    await fc.assert(property(postFile, 'any'), { seed, numRuns: runs, endOnFailure: true });
    // Enough of the random posts are valid that the output checks run too.
    expect(succeeded.any).toBeGreaterThan(0);
  }, Math.max(180_000, runs * 500));

  it('posts with valid front matter and random GFM bodies: builds with output that parses, or located diagnostics', async () => {
    await fc.assert(property(renderablePostFile, 'renderable'), { seed: seed + 1, numRuns: runs, endOnFailure: true });
    expect(succeeded.renderable).toBeGreaterThan(runs * 0.5);
  }, Math.max(180_000, runs * 500));
});
