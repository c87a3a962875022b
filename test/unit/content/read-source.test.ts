import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSource, type KnownSources } from '../../../src/content/read-source.js';

// With the post cache, a source is opened, its stat taken from the open file, and read only when the cache does not
// know that stat. What is read is the file as it is then, even if it changed after the stat.

let dir: string | undefined;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function sourceFile(text: string): string {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blogbuild-read-source-'));
  const file = path.join(dir, 'post.md');
  fs.writeFileSync(file, text);
  return file;
}

/** A post cache that knows no source, and changes the file (as an editor saving it would) when asked. */
function changingCache(change: () => void): KnownSources & { seen: number[] } {
  const seen: number[] = [];
  return {
    seen,
    isKnown(_source, stat) {
      seen.push(stat.size);
      change();
      return false;
    },
  };
}

const read = (file: string, cache: KnownSources) => {
  const result = readSource({ path: file, relPath: 'post.md', assets: [] }, undefined, cache);
  if (!('source' in result)) throw new Error(result.diagnostic.message);
  return result.source;
};

describe('readSource with the post cache', () => {
  it('reads a file that grew after its stat whole', () => {
    const file = sourceFile('---\ntitle: T\n---\nBody.\n');
    const cache = changingCache(() => fs.appendFileSync(file, 'A sentence added meanwhile.\n'.repeat(500)));
    const source = read(file, cache);
    expect(cache.seen).toEqual([23]);
    expect(source.text).toBe(fs.readFileSync(file, 'utf8'));
    expect(source.text.endsWith('A sentence added meanwhile.\n')).toBe(true);
  });

  it('reads a file that shrank after its stat as it is', () => {
    const file = sourceFile(`---\ntitle: T\n---\n${'Long body. '.repeat(1000)}\n`);
    const source = read(file, changingCache(() => fs.writeFileSync(file, '---\ntitle: T\n---\nShort.\n')));
    expect(source.text).toBe('---\ntitle: T\n---\nShort.\n');
  });

  it('does not read a source the cache knows, until its text is asked for', () => {
    const file = sourceFile('\uFEFF---\ntitle: Known\n---\nBody.\n');
    const known: KnownSources = { isKnown: (_source, stat) => stat.size === fs.statSync(file).size };
    const source = read(file, known);
    expect(source.bytes).toBeUndefined();
    expect(source.text).toBe('---\ntitle: Known\n---\nBody.\n');
  });
});
