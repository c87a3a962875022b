/**
 * No error is dropped in silence: every `catch` in src/ that discards the error (`catch {`, `.catch(() => …)`) has a
 * comment naming what is ignored and why, on its line, the line above, or the first line of the block. A catch that
 * binds the error (`catch (cause)`) uses it (wraps, rethrows or reports it) and needs none.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../../src/', import.meta.url));
const discarding = /\bcatch\s*\{|\.catch\(\s*\(\s*\)\s*=>/;

/** `file:line: code` for each catch that discards its error without a comment. */
function silentCatches(file: string, text: string): string[] {
  const lines = text.split('\n');
  const found: string[] = [];
  lines.forEach((line, i) => {
    const match = discarding.exec(line);
    if (!match) return;
    const before = (lines[i - 1] ?? '').trim();
    const after = (lines[i + 1] ?? '').trim();
    const isCommented =
      line.slice(match.index).includes('//') ||
      line.includes('/*') ||
      before.startsWith('//') ||
      before.startsWith('*') ||
      before.endsWith('*/') ||
      (/catch\s*\{\s*$/.test(line) && after.startsWith('//'));
    if (!isCommented) found.push(`${file}:${i + 1}: ${line.trim()}`);
  });
  return found;
}

describe('catches in src/', () => {
  it('finds a silent catch, and accepts one with a comment (so the check below can fail)', () => {
    expect(silentCatches('x.ts', 'try {\n  f();\n} catch {\n  return undefined;\n}')).toEqual(['x.ts:3: } catch {']);
    expect(silentCatches('x.ts', 'await g().catch(() => undefined);')).toHaveLength(1);
    expect(silentCatches('x.ts', 'try {\n  f();\n} catch {\n  // Not there: nothing to do.\n  return undefined;\n}')).toEqual([]);
    expect(silentCatches('x.ts', '// Gone already: fine.\nawait g().catch(() => undefined);')).toEqual([]);
    expect(silentCatches('x.ts', 'try {\n  f();\n} catch (cause) {\n  throw wrap(cause);\n}')).toEqual([]);
  });

  it('each say what they ignore and why when they discard the error', () => {
    const files = (fs.readdirSync(src, { recursive: true }) as string[]).filter((file) => file.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(50);
    const silent = files.flatMap((file) => silentCatches(path.join('src', file).split(path.sep).join('/'), fs.readFileSync(path.join(src, file), 'utf8')));
    expect(silent, 'add a comment naming what is ignored and why, or handle the error').toEqual([]);
  });
});
