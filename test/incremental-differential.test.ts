/**
 * Repeated builds against clean ones (issue 15): the incremental seam, the persistent caches and the previous output
 * must never show in what a build writes. Each case starts a small blog, builds it, then applies a random sequence of
 * edits (a body, a same-length or longer title, tags, a date moved into the future or back, the draft flag, a post
 * added, deleted or renamed, the config's page size or title), building to disk with the cache and the previous
 * output after each. After each step the output folder must hold exactly the files a clean build (no cache, an empty
 * output folder) writes for the same sources, byte for byte, with `--drafts` and `--future` off or on. fast-check
 * shrinks a failing sequence to the shortest and prints it with the seed. `npm test` runs a fixed seed; a longer search:
 * `FUZZ_RUNS=200 FUZZ_SEED=random npx vitest run test/incremental-differential.test.ts` (the same variables drive the
 * dev server's random sequences in serve-on-demand.test.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { FIXED_NOW, listFiles, pastRacyWindow } from './helpers/build-fixture.js';
import { anyEdit, apply, configText, postSpec, postText, type Posts } from './helpers/edit-sequences.js';

const runs = Number(process.env.FUZZ_RUNS ?? 12);
const seed = process.env.FUZZ_SEED === 'random' ? Date.now() : Number(process.env.FUZZ_SEED ?? 15);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'blogbuild-differential-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Every file under `dir` (the marker file aside), by relative path. */
async function filesOf(dir: string): Promise<Map<string, Buffer>> {
  const found = new Map<string, Buffer>();
  if (!fs.existsSync(dir)) return found;
  for (const file of await listFiles(dir)) if (path.basename(file) !== '.blogbuild') found.set(file, fs.readFileSync(path.join(dir, file)));
  return found;
}

let caseNumber = 0;

describe(`repeated builds equal clean builds (seed ${seed}, ${runs} runs)`, () => {
  it('after every step of a random sequence of edits, with --drafts and --future off or on', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(postSpec, { minLength: 1, maxLength: 5 }), fc.array(anyEdit, { minLength: 1, maxLength: 6 }), fc.boolean(), fc.boolean(), async (initial, edits, drafts, future) => {
        const blog = path.join(work, `case-${++caseNumber}`);
        const cacheDir = path.join(blog, 'cache');
        fs.mkdirSync(path.join(blog, 'posts'), { recursive: true });
        fs.writeFileSync(path.join(blog, 'blogbuild.config.json'), configText(3, 'Fuzz blog'));
        const posts: Posts = initial.map((spec, i) => ({ file: `post-${i}.md`, spec }));
        for (const { file, spec } of posts) fs.writeFileSync(path.join(blog, 'posts', file), postText(spec));
        let counter = 0;
        const options = { root: blog, now: FIXED_NOW, drafts, future, workers: 0 };
        try {
          await pastRacyWindow();
          await build({ ...options, cacheDir });
          for (const [step, e] of edits.entries()) {
            apply(blog, posts, e, () => ++counter);
            await pastRacyWindow();
            const repeated = await build({ ...options, cacheDir });
            const clean = await build({ ...options, cache: false, out: `clean-${step}` });
            const codes = (result: typeof clean) => result.diagnostics.map((d) => `${d.severity} ${d.code} ${d.loc?.file ?? ''}`).sort();
            expect(codes(repeated)).toEqual(codes(clean));
            const got = await filesOf(path.join(blog, 'dist'));
            const want = await filesOf(path.join(blog, `clean-${step}`));
            expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
            for (const [file, bytes] of want) expect(got.get(file)?.toString('utf8'), `${file} after step ${step + 1} (${e.kind})`).toBe(bytes.toString('utf8'));
            fs.rmSync(path.join(blog, `clean-${step}`), { recursive: true, force: true });
          }
        } finally {
          fs.rmSync(blog, { recursive: true, force: true });
        }
      }),
      { numRuns: runs, seed },
    );
  }, 240_000);
});
