import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findImportCycles } from '../helpers/import-cycles.js';

const src = fileURLToPath(new URL('../../src/', import.meta.url));
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'blogbuild-cycles-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function tree(name: string, files: Record<string, string>): string {
  const root = path.join(scratch, name);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

describe('import cycles', () => {
  it('src/ has none: every module can be read (and loaded) before the ones that import it', () => {
    expect(findImportCycles(src)).toEqual([]);
  });

  it('the walk finds a cycle through type imports, re-exports and dynamic imports', () => {
    const root = tree('cyclic', {
      'a.ts': "import type { B } from './b/b.js';\nexport type A = B;\n",
      'b/b.ts': "export { c } from '../c.js';\nexport type B = string;\n",
      'c.ts': "export const c = () => import('./a.js');\n",
      'd.ts': "import { c } from './c.js';\nexport const d = c;\n",
    });
    expect(findImportCycles(root)).toEqual([['a.ts', 'b/b.ts', 'c.ts']]);
  });

  it('the walk finds no cycle in a tree of one-way imports', () => {
    const root = tree('acyclic', { 'a.ts': "import { b } from './b.js';\nexport const a = b;\n", 'b.ts': 'export const b = 1;\n' });
    expect(findImportCycles(root)).toEqual([]);
  });
});
