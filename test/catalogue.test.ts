/**
 * The error catalogue (src/diagnostics/codes.ts) against the tests: every code is printed or asserted by at least one
 * test, or is in `untested` below with the reason. A new code without a test fails here, and so does an entry of
 * `untested` that a test now triggers (remove it then).
 *
 * A test "triggers" a code when it asserts the code a user sees: the printed `[Code]` (an invalid fixture's
 * expected.json, or CLI output in a test), or a diagnostic's code (`code: 'Code'`, `toBe('Code')`,
 * `filter((d) => d.code === 'Code')`). Tests that only build diagnostics by hand (test/unit/diagnostics/) do not count.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { codes, describeCode, type ErrorCode } from '../src/diagnostics/codes.js';

const testDir = path.dirname(fileURLToPath(import.meta.url));

/** Codes no test triggers, and why. Keep it short: each entry is a gap. */
const untested: Partial<Record<ErrorCode, string>> = {};

/** The text of every test and fixture expectation that may assert a code. */
function testTexts(): { file: string; text: string }[] {
  const skip = new Set([path.join(testDir, 'catalogue.test.ts'), path.join(testDir, 'unit', 'diagnostics')]);
  const out: { file: string; text: string }[] = [];
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (skip.has(full) || entry.name === 'node_modules' || entry.name === 'golden') continue;
      if (entry.isDirectory()) visit(full);
      else if (/\.test\.ts$|^expected\.json$/.test(entry.name)) out.push({ file: path.relative(testDir, full), text: fs.readFileSync(full, 'utf8') });
    }
  };
  visit(testDir);
  return out;
}

function isTriggered(code: string, text: string): boolean {
  const patterns = [`[${code}]`, `\\[${code}\\]`, `code: '${code}'`, `toBe('${code}')`, `filter((d) => d.code === '${code}')`];
  return patterns.some((pattern) => text.includes(pattern));
}

describe('the error catalogue', () => {
  const names = Object.keys(codes) as ErrorCode[];

  it('has a title, an exit-code kind and a message for every code, and PascalCase names', () => {
    expect(names.length).toBeGreaterThan(30);
    for (const name of names) {
      const entry = codes[name];
      expect(name).toMatch(/^[A-Z][a-z]+(?:[A-Z][a-z]+)+$/);
      expect(entry.title, name).toMatch(/^[A-Z]\S*( \S+)+$/);
      expect(['usage', 'content'], name).toContain(entry.kind);
      expect(['string', 'function'], name).toContain(typeof entry.message);
    }
  });

  it('words a message without a location, an "Error:" prefix or a final period', () => {
    const message = describeCode('DuplicateOutputPath', { path: 'robots.txt', second: 'public/robots.txt' });
    expect(message).toEqual({
      message: 'robots.txt would be written twice: by a generated page and by public/robots.txt',
      hint: 'rename or remove one of them',
    });
    for (const name of names) {
      const text = codes[name].message;
      if (typeof text === 'string') expect(text, name).toMatch(/^[a-z`][^\n]*[^.]$/);
    }
  });

  it('is triggered by a test for every code, or the code is listed in `untested` with the reason', () => {
    const texts = testTexts();
    expect(texts.length).toBeGreaterThan(20);
    const missing = names.filter((name) => !untested[name] && !texts.some(({ text }) => isTriggered(name, text)));
    expect(missing, 'codes no test triggers: add an invalid fixture (test/fixtures/invalid/) or a test that prints them').toEqual([]);
    const stale = Object.keys(untested).filter((name) => texts.some(({ text }) => isTriggered(name, text)));
    expect(stale, 'codes in `untested` that a test now triggers: remove them from the list').toEqual([]);
    for (const name of Object.keys(untested)) expect(names, `untested names no code: ${name}`).toContain(name);
  });
});
