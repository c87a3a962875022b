/**
 * What a one-post edit loads: `blogbuild build` after a post without code was edited renders that post without
 * loading Prism's grammars (src/markdown/highlight-grammars.ts); after a post with a code block was edited, it loads
 * them and highlights the block. Either way the output equals a --no-cache build's.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runRecordingLoads } from './helpers/record-loads.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixture = path.join(repo, 'test', 'fixtures', 'sites', 'kitchen-sink');
const bin = path.join(repo, 'bin', 'blogbuild.js');
const bundleDir = path.join(repo, 'lib', 'bundle');

let root: string;
const at = (...parts: string[]) => path.join(root, ...parts);

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'blogbuild-edit-loads-'));
  fs.cpSync(fixture, root, { recursive: true });
  // Saved an hour ago, so the post cache trusts every source's stat (a file saved within a tick of a build is not).
  const earlier = new Date(Date.now() - 3_600_000);
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) fs.utimesSync(path.join(entry.parentPath, entry.name), earlier, earlier);
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

/** Runs the CLI in the blog, recording the file name of every ES module it loads. */
function run(args: string[], out = 'dist') {
  const result = runRecordingLoads(bin, ['build', '--quiet', '--out', out, ...args], root);
  const loaded = result.loaded.map((file) => path.basename(file));
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return loaded;
}

/** Every file of an output folder, by path. */
function files(out: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const entry of fs.readdirSync(at(out), { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) found.set(path.relative(at(out), path.join(entry.parentPath, entry.name)), fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8'));
  }
  return found;
}

describe('a one-post edit', () => {
  it('loads Prism\'s grammars only when the edited post has code to highlight', () => {
    // The bundle's chunk holding the grammars (rolldown marks each module with a `// <path>` line).
    const grammars = fs.readdirSync(bundleDir).filter((file) => /^\/\/ lib\/markdown\/highlight-grammars\.js$/m.test(fs.readFileSync(path.join(bundleDir, file), 'utf8')));
    expect(grammars).toHaveLength(1);
    // A cold build renders the post with code.
    expect(run([])).toContain(grammars[0]);

    fs.appendFileSync(at('posts', '2025-02-01-short-note.md'), '\nOne more line, and no code.\n');
    const plain = run([]);
    expect(plain).not.toContain(grammars[0]);
    // It did render markdown: the edited post's page has the line.
    expect(files('dist').get(path.join('posts', 'short-note', 'index.html'))).toContain('One more line, and no code.');

    fs.appendFileSync(at('posts', '2025-05-10-cpp-notes.md'), '\n```js\nconst edited = true;\n```\n');
    expect(run([])).toContain(grammars[0]);
    const page = [...files('dist')].find(([file, html]) => file.endsWith('index.html') && html.includes('edited'))?.[1];
    expect(page).toMatch(/<span class="token keyword">const<\/span> edited/);

    // Both edits gave a clean build's output.
    run(['--no-cache'], 'clean');
    expect(files('dist')).toEqual(files('clean'));
  });
});
