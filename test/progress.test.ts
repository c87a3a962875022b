/**
 * The build's progress: what `build()` reports as posts are rendered (the CLI draws it on a terminal), and that the
 * CLI draws nothing when stderr is not a terminal.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { memoryWriter } from '../src/output/writer.js';

const bin = fileURLToPath(new URL('../bin/blogbuild.js', import.meta.url));
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'blogbuild-progress-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
const NOW = new Date('2026-01-01T00:00:00Z');
// Enough posts for the worker pool (64+ to render), whose results arrive in batches.
const postCount = 80;

function makeSite(name: string): string {
  const root = path.join(scratch, name);
  fs.mkdirSync(path.join(root, 'posts'), { recursive: true });
  fs.writeFileSync(path.join(root, 'blogbuild.config.json'), JSON.stringify({ title: 'Progress', url: 'https://example.org/' }));
  for (let i = 0; i < postCount; i++) {
    const day = String((i % 28) + 1).padStart(2, '0');
    fs.writeFileSync(path.join(root, 'posts', `post-${i}.md`), `---\ntitle: Post ${i}\ndate: 2024-03-${day}\ntags: [t${i % 5}]\n---\n\nBody of post ${i}, with a [link](https://example.org/${i}).\n\n| a | b |\n|---|---|\n| ${i} | x |\n`);
  }
  return root;
}

function progressOf(root: string) {
  const calls: [number, number][] = [];
  return build({ root, now: NOW, writer: memoryWriter(), onProgress: (done, total) => calls.push([done, total]) }).then((result) => ({ result, calls }));
}

describe('build progress', () => {
  it('counts rendered posts up to the total, starting from the posts the cache already had', async () => {
    const root = makeSite('counts');
    const cold = await progressOf(root);
    expect(cold.result.ok).toBe(true);
    expect(cold.result.stats.markdownRendered).toBe(postCount);
    expect(cold.calls[0]).toEqual([0, postCount]);
    expect(cold.calls.at(-1)).toEqual([postCount, postCount]);
    // One call a post rendered, each one more than the last, against the same total.
    expect(cold.calls.map(([done]) => done)).toEqual(Array.from({ length: postCount + 1 }, (_, i) => i));
    expect(new Set(cold.calls.map(([, total]) => total))).toEqual(new Set([postCount]));

    const file = path.join(root, 'posts', 'post-7.md');
    fs.appendFileSync(file, '\nEdited.\n');
    const edited = await progressOf(root);
    expect(edited.result.stats.markdownRendered).toBe(1);
    expect(edited.calls).toEqual([[postCount - 1, postCount], [postCount, postCount]]);
  });

  it('the CLI draws no progress line when stderr is not a terminal, even outside CI', () => {
    const root = makeSite('cli');
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', TERM: 'xterm-256color' };
    delete env.CI;
    delete env.FORCE_COLOR;
    const result = spawnSync(process.execPath, [bin, 'build'], { cwd: root, encoding: 'utf8', env });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Built 80 posts/);
    expect(result.stderr).not.toContain('rendering posts');
    expect(result.stderr).not.toContain('\r');
    expect(result.stderr).toBe('');
  });
});
