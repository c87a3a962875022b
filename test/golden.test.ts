// Golden sites: the whole output of a few fixture blogs, committed under test/golden/<name>/expected/ and compared
// file by file. A refactor must leave them unchanged; a feature that means to change them rewrites them with
// `UPDATE_GOLDEN=1 npm test`, and the changed files are reviewed in the commit like code.
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { memoryWriter } from '../src/output/writer.js';
import { FIXED_NOW, fixturePath, listFiles } from './helpers/build-fixture.js';

const goldenDir = fileURLToPath(new URL('./golden/', import.meta.url));
const projectRoot = fileURLToPath(new URL('../', import.meta.url));
const isUpdating = process.env.UPDATE_GOLDEN === '1';

/** Golden name → the blog's folder. */
const sites: Record<string, string> = {
  'example-blog': projectRoot,
  'kitchen-sink': fixturePath('kitchen-sink'),
  'subpath-blog': fixturePath('subpath-blog'),
};

describe('golden sites', () => {
  for (const [name, root] of Object.entries(sites)) {
    it(`builds ${name} exactly as test/golden/${name}/expected/`, async () => {
      const writer = memoryWriter();
      const result = await build({ root, writer, cache: false, now: FIXED_NOW });
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const expectedDir = path.join(goldenDir, name, 'expected');
      const isMissing = !(await fs.stat(expectedDir).then(() => true, () => false));
      if (isUpdating || isMissing) {
        await fs.rm(expectedDir, { recursive: true, force: true });
        for (const [file, bytes] of writer.files) {
          await fs.mkdir(path.dirname(path.join(expectedDir, file)), { recursive: true });
          await fs.writeFile(path.join(expectedDir, file), bytes);
        }
      }
      const expectedFiles = await listFiles(expectedDir);
      expect([...writer.files.keys()].sort()).toEqual(expectedFiles);
      const differing: string[] = [];
      for (const file of expectedFiles) {
        const expected = await fs.readFile(path.join(expectedDir, file));
        if (!expected.equals(Buffer.from(writer.files.get(file)!))) differing.push(file);
      }
      // On a difference, show the first differing text file whole, so the diff is readable in the test output.
      if (differing.length > 0) {
        const first = differing[0]!;
        expect.soft(new TextDecoder().decode(writer.files.get(first)), `${name}/${first}`).toBe(await fs.readFile(path.join(expectedDir, first), 'utf8'));
      }
      expect(differing, 'files that differ from the golden tree (UPDATE_GOLDEN=1 rewrites it)').toEqual([]);
    });
  }
});
