import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importGraph } from '../helpers/import-cycles.js';

const src = fileURLToPath(new URL('../../src/', import.meta.url));

/** The stages: they take their inputs and return their outputs; what earlier builds kept reaches them only through build(). */
const stages = ['config', 'content', 'markdown', 'site', 'render', 'output'];

/** Where incremental builds keep and key what they computed. */
const isIncremental = (file: string) => /^(?:incremental|cache)\/|^build-state\.ts$/.test(file);

/** Known exceptions, each with the work that removes it (none now: the writer gets its manifest file through a port). */
const pending = new Set<string>();

describe('stage imports', () => {
  it('no stage module imports the store, the caches or the build state', () => {
    const found: string[] = [];
    for (const [file, targets] of importGraph(src)) {
      const from = path.relative(src, file).split(path.sep).join('/');
      if (!stages.includes(from.split('/')[0])) continue;
      for (const target of targets) {
        const to = path.relative(src, target).split(path.sep).join('/');
        if (isIncremental(to)) found.push(`${from} -> ${to}`);
      }
    }
    expect(found.filter((edge) => !pending.has(edge))).toEqual([]);
    // An exception that no longer exists is taken off the list.
    for (const edge of pending) expect(found).toContain(edge);
  });
});
