/**
 * The plain front-matter reader (plain-yaml.ts) against gray-matter + js-yaml (core schema), the reader it stands
 * in for: on generated front matter (every kind of YAML scalar, quoted and not, flow and block lists, odd spacing,
 * comments, CRLF, a byte-order mark, tabs, nesting, errors), it gives the same data, matter and body, or leaves the
 * text to them. A fixed seed in `npm test`; FUZZ_SEED=random and FUZZ_RUNS widen it.
 */
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstHeading } from '../../../src/content/field-values.js';
import { parseFrontMatter, plainResolver, type FrontMatter } from '../../../src/content/front-matter.js';
import { plainFrontMatter, plainFrontMatterOfBytes } from '../../../src/content/plain-yaml.js';
import { findPostLinks, mayHavePostLinks } from '../../../src/content/post-links.js';

const require = createRequire(import.meta.url);
const matter = require('gray-matter') as typeof import('gray-matter');
const yaml = require('js-yaml') as typeof import('js-yaml');

const runs = Number(process.env.FUZZ_RUNS ?? 3000);
const seed = process.env.FUZZ_SEED === 'random' ? Date.now() : Number(process.env.FUZZ_SEED ?? 15);

/** What gray-matter and js-yaml make of `text`, as parseFrontMatter used them before the plain reader. */
function reference(text: string): { data: unknown; matter: string; content: string } | { error: unknown } {
  try {
    const file = matter(text, { engines: { yaml: (s: string) => yaml.load(s, { schema: yaml.CORE_SCHEMA }) as object } });
    return { data: file.data, matter: file.matter, content: file.content };
  } catch (error) {
    return { error };
  }
}

const plainScalars = [
  'Hello world', "It's fine", 'a [b] {c}', 'C# tips', 'a #b', 'a: b', 'a:b', 'ends:', 'x,y', 'a  b', 'https://example.com/a?b=c#d',
  '~', 'null', 'Null', 'NULL', 'nULL', 'true', 'True', 'TRUE', 'tRue', 'false', 'False', 'yes', 'no', 'on', 'off', 'y',
  '0', '-1', '+1', '1_000', '0x1F', '0o17', '0b101', '017', '09', '1.5', '.5', '1.', '1e3', '1.0e+3', '6.02E23', '-0', '1__0', '0x_1',
  '.inf', '-.Inf', '+.INF', '.NaN', '.nan', '1,000', '3.14.15',
  '2024-01-31', '2024-1-31', '2024-01-31T10:00:00Z', '2024-01-31 10:00:00 +02:00', '12:30', '1:2:3', '20:00:00',
  'éèü', '🍞 bread', '\u00A0x', 'x\u00A0', 'x\u2028y', 'a\u0085b', 'x\uFEFFy', 'a\tb', 'a\u0007b', '\uD800x',
  '---', '...', '- a', '-a', '?a', ':a', '!tag x', '!!str 1', '&a x', '*a', '|', '>', '@x', '`x`', '%x', '[a', ']', '{a: 1}', 'a, b',
  '"quoted"', "'single'", '"with \\" escape"', '"\\u00e9"', "'it''s'", '""', "''", '"a # b"', '"a: b"', '"a, b"', "'a, b'",
  '"x" trailing', '"open', "'open", '"tab\t"', '"🍞"', '"2024-01-31"', "'true'",
];
const keys = ['title', 'date', 'tags', 'draft', 'n', 'true', 'Null', '~', '_x', 'a-b', 'key_1', '__proto__', '2024', 'a b', '"q"', 'x.y', 'é'];

// Mostly what blogs write, so that most cases exercise the plain reader's answers rather than its refusals.
const commonScalars = plainScalars.filter((s) => /^[\w"'.~+🍞é][^#\t\u0007\u0085\uD800\uFEFF]*$/.test(s) && !/: |:$|^"[^"]*$|\\/.test(s));
const scalar = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...commonScalars) }, { weight: 1, arbitrary: fc.constantFrom(...plainScalars) });
const spaces = fc.constantFrom('', '', '', '', '', '', ' ', ' ', '  ', '\t');
const flowList = fc.tuple(fc.array(fc.tuple(spaces, scalar, spaces), { maxLength: 4 }), fc.constantFrom(false, false, false, true))
  .map(([items, isTrailingComma]) => `[${items.map(([a, s, b]) => `${a}${s}${b}`).join(',')}${isTrailingComma ? ',' : ''}]`);
const blockList = fc.tuple(fc.constantFrom(0, 2, 2, 4), fc.array(fc.tuple(scalar, fc.constantFrom(0, 0, 0, 1), fc.boolean()), { minLength: 0, maxLength: 4 }))
  .map(([indent, items]) => items.map(([s, shift, isBlankBefore]) => `${isBlankBefore ? '\n' : ''}${' '.repeat(indent + shift)}- ${s}`).join('\n'));
const blogValue = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom(' ', ' ', '  '), scalar).map(([space, s]) => `${space}${s}`) },
  { weight: 2, arbitrary: flowList.map((s) => ` ${s}`) },
  { weight: 2, arbitrary: blockList.map((s) => (s ? `\n${s}` : '')) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ') },
);
const value = fc.oneof(
  { weight: 10, arbitrary: blogValue },
  { weight: 1, arbitrary: fc.constantFrom(' # comment', '\n  nested: map', '\n  continued line', ' |\n  block', ' &anchor x', ' *anchor') },
);
const line = fc.oneof(
  { weight: 10, arbitrary: fc.tuple(fc.constantFrom('', '', '', ' ', '  '), fc.constantFrom(...keys), fc.constantFrom(':', ':', ':', ' :', ':  '), value, fc.constantFrom('', '', ' ', '  ', ' # c'))
    .map(([indent, key, colon, v, tail]) => `${indent}${key}${colon}${v}${tail}`) },
  { weight: 1, arbitrary: fc.constantFrom('', '  ', '# a comment', '- item', '...', '%YAML 1.2', 'a', '\t') },
);
const oddFrontMatter = fc.tuple(
  fc.array(line, { maxLength: 7 }),
  fc.constantFrom('---\n', '---\n', '---\n', '--- \n', '---yaml\n', '---\r\n', '\uFEFF---\n', '---', '----\n', ''),
  fc.constantFrom('\n---\n', '\n---\n', '\n---', '\n--- x\n', '\n----\n', ''),
  fc.constantFrom('\n', '\n', '\r\n'),
  fc.constantFrom('Body text.\n', '\n# Heading\n', '', '\r\nBody\r\n---\nmore\n'),
).map(([lines, open, close, eol, body]) => `${open}${lines.join('\n')}${close}${body}`.replace(/\n/g, eol));

const blogKeys = ['title', 'date', 'tags', 'draft', 'n', 'true', 'Null', '_x', 'a-b', 'key_1'];
const blogFrontMatter = fc.tuple(
  fc.uniqueArray(fc.tuple(fc.constantFrom(...blogKeys), blogValue, fc.constantFrom('', '', '', ' ')), { maxLength: 6, selector: ([key]) => key }),
  fc.constantFrom('\n', '\n', '\r\n'),
).map(([lines, eol]) => `---\n${lines.map(([key, v, tail]) => `${key}:${v}${tail}`).join('\n')}\n---\nBody.\n`.replace(/\n/g, eol));
const frontMatter = fc.oneof({ weight: 2, arbitrary: oddFrontMatter }, { weight: 3, arbitrary: blogFrontMatter });

describe('the plain front-matter reader', () => {
  it('gives what gray-matter and js-yaml give, or leaves the text to them', () => {
    let taken = 0;
    let total = 0;
    fc.assert(
      fc.property(frontMatter, (text) => {
        total++;
        const expected = reference(text);
        const plain = plainFrontMatter(text, plainResolver);
        if (plain) {
          taken++;
          expect(expected).not.toHaveProperty('error');
          const { data, matter: yamlText, content } = expected as { data: unknown; matter: string; content: string };
          expect(plain.data).toStrictEqual(data);
          expect(plain.yaml).toBe(yamlText);
          expect(plain.body).toBe(content);
          expect(plain.bodyStartLine).toBe(text.slice(0, text.length - content.length).split('\n').length);
        }
        // Read from the file's bytes, only the front matter is decoded; the body is the same once decoded.
        // (A lone surrogate has no UTF-8 form: it is compared as the file would hold it.)
        const fromBytes = plainFrontMatterOfBytes(Buffer.from(text), plainResolver);
        const decoded = Buffer.from(text).toString('utf8');
        const fromText = plainFrontMatter(decoded, plainResolver);
        expect(fromBytes === undefined).toBe(fromText === undefined || decoded.startsWith('\uFEFF'));
        if (fromBytes && fromText) {
          expect({ ...fromBytes, bodyBytes: undefined, body: fromBytes.body }).toStrictEqual({ ...fromText, bodyBytes: undefined });
        }
        // And what parseFrontMatter gives (either way) is what it gave before: the same data, or an error.
        const parsed = parseFrontMatter('/blog/posts/p.md', text);
        if ('error' in expected) expect(parsed).toHaveProperty('code');
        else if (!('code' in parsed)) {
          expect(parsed.data).toStrictEqual(expected.data ?? {});
          expect(parsed.body).toBe(expected.content);
        }
      }),
      { numRuns: runs, seed },
    );
    // The generator is not so odd that the plain reader never answers (the property would then test nothing).
    console.log(`plain reader: ${taken} of ${total}`);
    expect(taken / total).toBeGreaterThan(0.25);
  });

  it('reads the front matter blogs write', () => {
    const text = '---\ntitle: "Was crumb knead number 28"\ndate: 2015-01-22\ntags:\n  - behind the scenes 1\n  - events 6\ndescription: "Closed bright."\nreadTime: 4\ndraft: false\nseries: [bread, "oven"]\n---\nBody\n';
    expect(plainFrontMatter(text, plainResolver)).toEqual({
      data: { title: 'Was crumb knead number 28', date: '2015-01-22', tags: ['behind the scenes 1', 'events 6'], description: 'Closed bright.', readTime: 4, draft: false, series: ['bread', 'oven'] },
      yaml: text.slice(3, text.indexOf('\n---', 3)),
      yamlStartLine: 1,
      body: 'Body\n',
      bodyStartLine: 12,
    });
  });

  it('leaves what it does not read to js-yaml, whose errors keep their positions', () => {
    for (const text of ['---\ntitle: A\ntitle: B\n---\n', '---\nfoo: bar: baz\n---\n', '---\ntags: [a, b\n---\n', '---\ntitle: "open\n---\n', '---\ntitle: x # note\n---\n', '---\n\ttitle: x\n---\n']) {
      expect(plainFrontMatter(text, plainResolver)).toBeUndefined();
    }
    expect(parseFrontMatter('/p.md', '---\ntitle: A\ndate: 2024-01-01\ntitle: B\n---\n')).toMatchObject({ code: 'FrontMatterSyntax', loc: { line: 4, column: 1 } });
  });
});

const bodyLine = fc.oneof(
  fc.constantFrom('', 'Some text.', '# Title', '#Title', '  # Indented *title* #', '    # code', '## Second', '\u00A0\u00A0\u00A0# Spaced', 'é# no', '🍞 # no', 'Setext',
    '===', '  ==  ', '---', '```', '```js', '~~~', '````', '| a | b |', 'See [x](other.md#part).', '[id]: ../b/index.MARKDOWN', 'a.m b', '`x.md`', 'x\r'),
  fc.string({ maxLength: 12 }),
);
const body = fc.tuple(fc.array(bodyLine, { maxLength: 12 }), fc.constantFrom('\n', '\r\n')).map(([lines, eol]) => lines.join(eol));

describe('a body kept as bytes', () => {
  it('has the first heading and the post links of its text', () => {
    fc.assert(
      fc.property(body, (text) => {
        const bytes = new Uint8Array(Buffer.from(text));
        const asText = { body: Buffer.from(bytes).toString('utf8') } as FrontMatter;
        expect(firstHeading({ body: '', bodyBytes: bytes } as FrontMatter)).toBe(firstHeading(asText));
        if (!mayHavePostLinks(bytes)) expect(findPostLinks(asText.body)).toEqual([]);
      }),
      { numRuns: runs, seed },
    );
  });

  it('has the first heading of its text when the heading is past the first kilobytes', () => {
    // Long lines (one- and two-byte characters) before the heading: the bytes are decoded a growing prefix at a time.
    const longLine = fc.tuple(fc.constantFrom('x', 'é', '🍞', '`'), fc.nat({ max: 3000 })).map(([char, n]) => char.repeat(n));
    const longBody = fc.tuple(fc.array(fc.oneof(longLine, bodyLine), { maxLength: 10 }), body).map(([lines, rest]) => [...lines, rest].join('\n'));
    fc.assert(
      fc.property(longBody, (text) => {
        const bytes = new Uint8Array(Buffer.from(text));
        expect(firstHeading({ body: '', bodyBytes: bytes } as FrontMatter)).toBe(firstHeading({ body: text } as FrontMatter));
      }),
      { numRuns: runs, seed },
    );
  });
});
