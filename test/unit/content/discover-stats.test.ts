import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverSources, type KnownSources, type SourceStat } from '../../../src/content/discover.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blogbuild-discover-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A post index that records the stats it is shown and when it was prepared (taking `prepareMs` to read). */
function recordingIndex(prepareMs = 0): KnownSources & { seen: Map<string, SourceStat>; events: string[] } {
  const seen = new Map<string, SourceStat>();
  const events: string[] = [];
  return {
    seen,
    events,
    prepare: () => {
      events.push('prepare');
      const until = Date.now() + prepareMs;
      while (Date.now() < until) {
        // Reading a large index keeps this thread busy.
      }
    },
    isKnown(source, stat) {
      if (seen.size === 0) events.push('first isKnown');
      seen.set(source.path, stat);
      return false;
    },
  };
}

describe('discoverSources with a post index to prepare (the dev server\'s start)', () => {
  /** 1,200 sources whose sizes and mtimes differ from file to file, so a stat handed to the wrong file shows. */
  function manySources(): { posts: string; files: string[] } {
    const posts = path.join(dir, 'posts');
    fs.mkdirSync(path.join(posts, 'nested'), { recursive: true });
    const files = Array.from({ length: 1200 }, (_, i) => path.join(posts, i % 7 === 0 ? 'nested' : '', `post-${String(i).padStart(4, '0')}.md`));
    files.forEach((file, i) => {
      fs.writeFileSync(file, `---\ntitle: Post ${i}\n---\n${'x'.repeat(i)}\n`);
      fs.utimesSync(file, new Date(1_600_000_000_000 + i * 1000), new Date(1_600_000_000_000 + i * 1000));
    });
    return { posts, files };
  }

  const fieldsOf = (stat: SourceStat | undefined) => stat && { size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino };

  it('does not wait for the worker: a source it has not stat\'ed yet is stat\'ed on this thread (no index to read)', async () => {
    const { posts, files } = manySources();
    const index = recordingIndex(0);
    const { sources, diagnostics } = await discoverSources(posts, undefined, index, dir);
    expect(diagnostics).toEqual([]);
    expect(sources.map((source) => source.path).sort()).toEqual([...files].sort());
    for (const file of files) {
      const stat = fs.statSync(file);
      expect(fieldsOf(index.seen.get(file)), file).toEqual(fieldsOf(stat));
    }
    expect(sources.find((source) => source.path === files[1199])!.text).toBe(`---\ntitle: Post 1199\n---\n${'x'.repeat(1199)}\n`);
  });

  it('stats 1,000 sources in a worker while the index is read: every stat is the file\'s own, and the posts read as usual', async () => {
    const { posts, files } = manySources();
    // The index takes long enough to read for the worker to stat every source meanwhile.
    const index = recordingIndex(400);
    const { sources, diagnostics } = await discoverSources(posts, undefined, index, dir);
    expect(diagnostics).toEqual([]);
    expect(sources).toHaveLength(files.length);
    expect(index.events).toEqual(['prepare', 'first isKnown']);
    for (const file of files) {
      const stat = fs.statSync(file);
      // The worker's stats are plain records of these four fields (this thread's would be fs.Stats).
      expect(index.seen.get(file), file).toEqual({ size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino });
    }
    const third = sources.find((source) => source.path === files[3])!;
    expect(third.text).toBe(`---\ntitle: Post 3\n---\nxxx\n`);
  });

  it('stats a few sources on this thread, without preparing the index first', async () => {
    const posts = path.join(dir, 'posts');
    fs.mkdirSync(posts);
    fs.writeFileSync(path.join(posts, 'one.md'), '---\ntitle: One\n---\nBody.\n');
    const index = recordingIndex();
    const { sources } = await discoverSources(posts, undefined, index, dir);
    expect(sources).toHaveLength(1);
    expect(index.events).toEqual(['first isKnown']);
    expect(index.seen.get(path.join(posts, 'one.md'))?.size).toBe(fs.statSync(path.join(posts, 'one.md')).size);
  });
});
