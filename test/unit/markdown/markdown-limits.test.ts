import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkMarkdownLimits, defaultLimits, MarkdownTooComplexError, scanMarkdown } from '../../../src/markdown/markdown-limits.js';

const quote = (levels: number) => Array.from({ length: levels }, (_, i) => `${'>'.repeat(i + 1)} x`).join('\n');
const list = (levels: number, step = '  ') => Array.from({ length: levels }, (_, i) => `${step.repeat(i)}- item`).join('\n');
const thrown = (body: string, limits = {}) => {
  try {
    checkMarkdownLimits(body, { ...defaultLimits, ...limits });
  } catch (e) {
    return e as MarkdownTooComplexError;
  }
  return undefined;
};

describe('scanMarkdown', () => {
  it('counts blockquotes, nested lists (two- and four-space steps, ordered too) and markers on one line', () => {
    expect(scanMarkdown(quote(25)).depth).toBe(25);
    expect(scanMarkdown(list(25)).depth).toBe(25);
    expect(scanMarkdown(list(12, '    ')).depth).toBe(12);
    expect(scanMarkdown('1. a\n   1. b\n      1. c\n').depth).toBe(3);
    expect(scanMarkdown('- - - x').depth).toBe(3);
    expect(scanMarkdown('> - > - x').depth).toBe(4);
  });

  it('closes list items by indentation: siblings and a paragraph after a list are not deeper', () => {
    expect(scanMarkdown('- a\n  - b\n  - c\n  - d\n- e\n\ntext\n').depth).toBe(2);
    expect(scanMarkdown(`${list(5)}\n\n${list(5)}`).depth).toBe(5);
  });

  it('counts nested [ brackets within a paragraph, not past a blank line, an escape or a code span', () => {
    expect(scanMarkdown(`${'!['.repeat(30)}x${'](y)'.repeat(30)}`).depth).toBe(30);
    expect(scanMarkdown('[[[\n[[[').depth).toBe(6);
    expect(scanMarkdown('[[[\n\n[[[').depth).toBe(3);
    expect(scanMarkdown('\\[\\[\\[\\[ `[[[[[[` [a](b)').depth).toBe(1);
  });

  it('does not count thematic breaks or fenced code', () => {
    expect(scanMarkdown('- - - - - - - - - - - - - - - - - - - -').depth).toBe(0);
    expect(scanMarkdown('* * * * * * * * * * * * * * * * * * * *').depth).toBe(0);
    expect(scanMarkdown(`\`\`\`\n${quote(40)}\n${'['.repeat(40)}\n\`\`\`\nafter`).depth).toBe(0);
    expect(scanMarkdown(`~~~~\n\`\`\`\n${quote(40)}\n~~~~`).depth).toBe(0);
  });

  it('finds every post of the fixture sites plain, to render without a worker', () => {
    const sites = path.resolve(import.meta.dirname, '../../fixtures/sites');
    const posts = (fs.readdirSync(sites, { recursive: true }) as string[]).filter((file) => file.endsWith('.md'));
    expect(posts.length).toBeGreaterThan(10);
    for (const post of posts) expect(scanMarkdown(fs.readFileSync(path.join(sites, post), 'utf8')), post).toMatchObject({ isPlain: true });
    expect(scanMarkdown(list(17)).isPlain).toBe(false);
    expect(scanMarkdown('word '.repeat(10_001)).isPlain).toBe(false);
    expect(scanMarkdown('word '.repeat(10_000)).isPlain).toBe(true);
  });
});

describe('checkMarkdownLimits', () => {
  it('refuses a body nested beyond maxDepth at the first place beyond it, with the deepest level found', () => {
    const e = thrown(`intro\n\n${quote(25)}`, { maxDepth: 20 });
    expect(e).toBeInstanceOf(MarkdownTooComplexError);
    expect(e).toMatchObject({ kind: 'depth', found: 25, limit: 20, line: 23, column: 21, construct: 'blockquotes and lists' });
    expect(thrown(`${'!['.repeat(30)}x${'](y)'.repeat(30)}`, { maxDepth: 20 })).toMatchObject({ kind: 'depth', found: 30, line: 1, column: 42, construct: 'brackets' });
    expect(thrown(quote(20), { maxDepth: 20 })).toBeUndefined();
  });

  it('refuses a body beyond maxBytes, counting UTF-8 bytes', () => {
    expect(thrown('é'.repeat(600), { maxBytes: 1000 })).toMatchObject({ kind: 'bytes', found: 1200, limit: 1000, line: 1, column: 1 });
    expect(thrown('é'.repeat(500), { maxBytes: 1000 })).toBeUndefined();
  });

  it('takes the three repros of issue 14 at the default limits', () => {
    expect(thrown(Array.from({ length: 2000 }, (_, i) => `${'>'.repeat(i + 1)} x`).join('\n'), { maxBytes: 10_000_000 })).toMatchObject({ kind: 'depth', found: 2000, line: 101 });
    expect(thrown(list(1000))).toMatchObject({ kind: 'depth', found: 1000, line: 101 });
    expect(thrown(`${'!['.repeat(4000)}x${'](y)'.repeat(4000)}`)).toMatchObject({ kind: 'depth', found: 4000, line: 1 });
  });
});

describe('isPlain', () => {
  it('sends deep raw HTML to the worker, but not void elements or a few closed tags', () => {
    expect(scanMarkdown(`${'<div>'.repeat(20)}x${'</div>'.repeat(20)}`).isPlain).toBe(false);
    expect(scanMarkdown(`${'a<br>b<img src="x">'.repeat(40)}\n<details><summary>s</summary><p>x</p></details>`).isPlain).toBe(true);
  });
});
