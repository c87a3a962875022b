import { describe, expect, it } from 'vitest';
import { parseFrontMatter } from '../../../src/content/front-matter.js';
import type { Diagnostic } from '../../../src/diagnostics/error.js';

const file = '/blog/posts/p.md';

function failure(text: string): Diagnostic {
  const result = parseFrontMatter(file, text);
  if (!('code' in result)) throw new Error('expected a diagnostic');
  return result;
}

describe('parseFrontMatter', () => {
  it('splits data and body and keeps dates as strings', () => {
    const result = parseFrontMatter(file, '---\ntitle: Hello\ndate: 2024-12-31\n---\n\n# Body\n');
    if ('code' in result) throw new Error(result.message);
    expect(result.data).toEqual({ title: 'Hello', date: '2024-12-31' });
    expect(result.body).toBe('\n# Body\n');
    expect(result.bodyStartLine).toBe(5);
  });

  it('accepts a file without front matter', () => {
    const result = parseFrontMatter(file, '# Just markdown\n');
    if ('code' in result) throw new Error(result.message);
    expect(result.data).toEqual({});
    expect(result.bodyStartLine).toBe(1);
  });

  it('reports YAML errors in file coordinates, not YAML-block coordinates', () => {
    const d = failure('---\ntitle: Hello\ndate: 2024-01-01\nfoo: bar: baz\n---\nBody\n');
    expect(d.code).toBe('FrontMatterSyntax');
    expect(d.loc).toEqual({ file, line: 4, column: 9 });
    expect(d.message).toBe('front matter is not valid YAML: the value of `foo` contains `: `, which YAML reads as the start of another key');
    expect(d.hint).toBe('put the value in quotes: `foo: "bar: baz"`');
  });

  it('reports the same position with CRLF line endings', () => {
    expect(failure('---\r\ntitle: Hello\r\ndate: 2024-01-01\r\nfoo: bar: baz\r\n---\r\nBody\r\n').loc).toEqual({ file, line: 4, column: 9 });
  });

  it('points at an unclosed bracket, not at the end of the front matter', () => {
    const d = failure('---\ntitle: T\ntags: [a, b\ndate: 2024-01-01\n---\n');
    expect(d.loc).toEqual({ file, line: 3, column: 7 });
    expect(d.message).toBe('front matter is not valid YAML: this `[` is never closed');
  });

  it('names a key set twice', () => {
    const d = failure('---\ntitle: A\ndate: 2024-01-01\ntitle: B\n---\n');
    expect(d.loc).toMatchObject({ line: 4, column: 1 });
    expect(d.message).toBe('front matter is not valid YAML: `title` is set twice');
    expect(d.hint).toBe('remove one of the two `title:` lines');
  });

  it('explains tabs and unclosed quotes', () => {
    expect(failure('---\ntitle: T\n\tdate: 2024-01-01\n---\n')).toMatchObject({ loc: { line: 3, column: 1 }, hint: 'indent with spaces, not tabs' });
    expect(failure('---\ntitle: "open\ndate: 2024-01-01\n---\n')).toMatchObject({ loc: { line: 2, column: 8 }, hint: 'a quoted value is missing its closing quote' });
    // At the quote that opens the value, not where the front matter ends; escaped and doubled quotes are inside it.
    expect(failure('---\ndate: 2024-01-01\ntitle: \'It\'\'s open\n---\n')).toMatchObject({ loc: { line: 3, column: 8 }, message: 'front matter is not valid YAML: this `\'` is never closed' });
    expect(failure('---\ntags:\n  - "a \\"b\\" c\n---\n').loc).toMatchObject({ line: 3, column: 5 });
  });

  it('says so when the closing --- is missing', () => {
    const d = failure('---\ntitle: T\ndate: 2024-01-01\n\nSome text.\n\nNote: a colon.\n');
    expect(d.code).toBe('FrontMatterSyntax');
    expect(d.hint).toMatch(/^the front matter has no closing `---` line/);
  });

  it('rejects front matter that is not a mapping', () => {
    expect(failure('---\n- a\n- b\n---\n')).toMatchObject({ code: 'FrontMatterInvalid', loc: { file, line: 2, column: 1 } });
  });

  it('never runs front matter fenced as JavaScript (gray-matter would eval it)', () => {
    const marker = globalThis as { blogbuildPwned?: boolean };
    for (const fence of ['---js', '---javascript', '---coffee']) {
      const text = `${fence}\n{ title: (globalThis.blogbuildPwned = true, "x") }\n---\nBody.\n`;
      const result = parseFrontMatter('/blog/posts/a.md', text) as Diagnostic;
      expect(result.code).toBe('FrontMatterInvalid');
      expect(result.message).toContain('is not supported');
      expect(result.loc).toMatchObject({ line: 1, column: 4 });
    }
    expect(marker.blogbuildPwned).toBeUndefined();
  });

  it('reads front matter fenced as ---yaml or ---json', () => {
    expect(parseFrontMatter('/a.md', '---yaml\ntitle: Hi\n---\nBody.\n')).toMatchObject({ data: { title: 'Hi' }, body: 'Body.\n' });
    expect(parseFrontMatter('/a.md', '---json\n{ "title": "Hi" }\n---\nBody.\n')).toMatchObject({ data: { title: 'Hi' }, body: 'Body.\n' });
  });
});

describe('matterOf: gray-matter given only the front matter', () => {
  it('gives what gray-matter gives for the whole text', async () => {
    const { matterOf } = await import('../../../src/content/front-matter.js');
    const { createRequire } = await import('node:module');
    const require = createRequire(import.meta.url);
    const matter = require('gray-matter') as typeof import('gray-matter');
    const yaml = require('js-yaml') as typeof import('js-yaml');
    const options = { engines: { yaml: (s: string) => yaml.load(s, { schema: yaml.CORE_SCHEMA }) as object } };
    const texts = [
      '---\ntitle: Hello\ndate: 2024-12-31\n---\n\n# Body\n',
      '---\r\ntitle: Hello\r\n---\r\nBody\r\n',
      '---\r\ntitle: Hello\r\n---\r\n\r\nBody\r\n',
      '---\ntitle: Hello\n---Body on the fence line\n',
      '---\ntitle: Hello\n----\nfour dashes close it too\n',
      '---\ntitle: Hello\n---',
      '---\ntitle: Hello\n---\n',
      '---\n---\nempty front matter\n',
      '---\n# a comment only\n---\nbody\n',
      '---yaml\ntitle: Language\n---\nbody\n',
      '--- \ntitle: Trailing space\n---\nbody\n',
      '----\ntitle: not front matter\n----\nbody\n',
      '# No front matter\n\n---\n\ntext after a rule\n',
      '---\ntitle: Never closed\nbody\n',
      '---\ntitle: "Dashes in --- a value"\ntags: [a, b]\n---\n\n---\n\nA rule in the body.\n',
      '---\ntitle: Crème 🍮\n---\n🍞 bread\n',
      '',
      '---',
    ];
    const outcome = (parse: () => { data: unknown; matter: string; content: string }) => {
      try {
        const { data, matter: yamlText, content } = parse();
        return { data, matter: yamlText, content };
      } catch (cause) {
        return { error: (cause as Error).message };
      }
    };
    for (const text of texts) {
      const whole = outcome(() => matter(text, options));
      expect(outcome(() => matterOf(text, (head) => matter(head, options))), JSON.stringify(text)).toEqual(whole);
    }
  });
});

describe('front matter limits (issue 14)', () => {
  it('refuses an alias bomb at its first alias, quickly and without expanding it', () => {
    const levels = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (const [prev, name] of ['ab', 'bc', 'cd', 'de', 'ef', 'fg', 'gh', 'hi']) levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    const d = failure(`---\ntitle: Bomb\n${levels.join('\n')}\n---\nBody.\n`);
    expect(d.code).toBe('FrontMatterTooLarge');
    expect(d.loc).toMatchObject({ line: 4, column: 8, length: 2 });
  });

  it('refuses text that aliases multiply past 10 million characters, and accepts ordinary reuse', () => {
    const big = 'x'.repeat(2_000_000);
    const d = failure(`---\ntitle: Big\ns: &s "${big}"\nl: [*s, *s, *s, *s, *s]\n---\n`);
    expect(d.code).toBe('FrontMatterTooLarge');
    expect(d.message).toMatch(/more than 10,000,000 characters/);
    const ok = parseFrontMatter(file, '---\ntitle: Fine\nbase: &base { lang: en }\nother: *base\n---\n');
    expect('code' in ok ? ok.message : ok.data.other).toEqual({ lang: 'en' });
  });

  it('reports NUL and other control characters where they are, not at js-yaml\'s mark', () => {
    const nul = failure('---\ntitle: Hel\0lo\ndate: 2024-01-01\n---\n');
    expect([nul.code, nul.loc?.line, nul.loc?.column]).toEqual(['FrontMatterSyntax', 2, 11]);
    expect(nul.message).toContain('U+0000 (NUL)');
    const esc = failure('---\ntitle: ok\ndate: 2024-01-01\nx: a\x1b[2Jb\n---\n');
    expect([esc.loc?.line, esc.loc?.column]).toEqual([4, 5]);
  });
});

describe('YAML errors at the end of a file without a final newline (found by fuzzing)', () => {
  it('are reported on the last line, not one past it', () => {
    const text = "---\ntitle: x\nextra:\n  - jgnf: tomorrow\n\n# Heading title\n\n<div>\n\n</div>\n\n` ` {{\ufffd!d本%2\t- `\\<}(%]A` `A\ufffd'B<A`";
    const d = failure(text);
    expect(d.code).toBe('FrontMatterSyntax');
    expect(d.loc?.line).toBeLessThanOrEqual(text.split('\n').length);
  });
});
