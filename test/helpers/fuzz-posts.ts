/**
 * fast-check arbitraries for whole post files: front matter (YAML scalars of every type, nesting, unicode,
 * control characters, broken syntax) and markdown bodies (random mixes of GFM constructs, moderately nested, now
 * and then nested around the depth limit).
 * Used by test/fuzz.test.ts; `npm run fuzz` runs the same property for longer.
 */
import fc from 'fast-check';
import yaml from 'js-yaml';

/** Text of any code points, control characters and lone surrogates included. */
const anyText = fc.string({ unit: 'binary', maxLength: 40 });
/** Text a writer might type: letters, punctuation, markdown and YAML specials, a few non-ASCII letters. */
const proseChar = fc.constantFrom(...'abcdefgh xyz ABC 0123 .,;:!?-_/\\\'"`*~#[](){}<>|&%@+=^$é日本😀\t'.split(''));
const prose = fc.string({ unit: proseChar, minLength: 0, maxLength: 30 });
const word = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnop-'.split('')), minLength: 1, maxLength: 10 });
const someText = fc.oneof({ weight: 6, arbitrary: prose }, { weight: 1, arbitrary: anyText });

/** Dates: valid ones, impossible ones, years before 1000, date-times with and without offsets, junk. */
const dateText = fc.oneof(
  fc.date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 14 }), fc.integer({ min: 0, max: 32 })).map(
    ([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
  ),
  fc.constantFrom('2024-02-29T25:00:00', '2024-03-31T02:30:00+14:00', '2024-01-01T00:00:00-23:59', 'tomorrow', '', '2024-1-1'),
);

/** A YAML-able value: scalars of every type, lists and mappings, nested a few levels. */
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    someText,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    dateText,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(word, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** Front-matter keys: the ones blogbuild reads, with plausible and implausible values, plus others. */
const fields = fc.record(
  {
    title: fc.oneof({ weight: 5, arbitrary: prose.filter((t) => t.trim() !== '') }, { weight: 1, arbitrary: value }),
    date: fc.oneof({ weight: 5, arbitrary: dateText }, { weight: 1, arbitrary: value }),
    updated: dateText,
    tags: fc.oneof(fc.array(fc.oneof(word, prose, anyText), { maxLength: 5 }), prose, value),
    slug: fc.oneof(word, prose, anyText, fc.constantFrom('..', '../x', '/etc', 'a'.repeat(250), '.', 'CON', 'x\0y')),
    author: someText,
    description: someText,
    draft: fc.oneof(fc.boolean(), value),
    readTime: fc.oneof(fc.integer({ min: -5, max: 500 }), prose, value),
    image: fc.oneof(word.map((w) => `${w}.png`), prose),
    extra: value,
  },
  { requiredKeys: [] },
);

/** Front matter as YAML text: dumped by js-yaml (valid), or written raw (unquoted, possibly invalid). */
const frontMatter = fc.oneof(
  { weight: 4, arbitrary: fields.map((data) => yaml.dump(data, { lineWidth: -1, skipInvalid: true })) },
  {
    weight: 2,
    arbitrary: fields.map((data) =>
      Object.entries(data)
        .map(([key, v]) => `${key}: ${typeof v === 'string' ? v : JSON.stringify(v) ?? ''}`)
        .join('\n'),
    ),
  },
  { weight: 1, arbitrary: fc.array(fc.oneof(prose, anyText, fc.constantFrom('&a [1, 2]', 'b: *a', '- item', '  nested: 1', '[', '{', '"', '? key')), { maxLength: 6 }).map((lines) => lines.join('\n')) },
);

/** Inline markdown: text, emphasis, code, links (with unsafe schemes too), images, autolinks, footnote refs, HTML. */
const inline: fc.Arbitrary<string> = fc.letrec((tie) => ({
  inline: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    someText,
    fc.array(tie('inline'), { maxLength: 3 }).map((parts) => `*${parts.join('')}*`),
    fc.array(tie('inline'), { maxLength: 3 }).map((parts) => `**${parts.join('')}**`),
    fc.array(tie('inline'), { maxLength: 3 }).map((parts) => `~~${parts.join('')}~~`),
    prose.map((t) => `\`${t}\``),
    fc.tuple(tie('inline'), fc.oneof(word, prose, fc.constantFrom('https://example.org/a b', 'javascript:alert(1)', '/posts/x/', '#top', '../../etc', 'mailto:a@b.c', '<>'))).map(([text, url]) => `[${text}](${url})`),
    fc.tuple(prose, fc.oneof(word.map((w) => `${w}.png`), prose)).map(([alt, src]) => `![${alt}](${src})`),
    fc.constantFrom('https://example.org', 'www.example.com', 'a@example.org', '[^1]', '[^note]', '<span>x</span>', '<b>', '&amp;', '&#0;', '\\', '<!-- c -->', '<script>alert(1)</script>'),
  ),
})).inline;

const line = fc.array(inline, { minLength: 1, maxLength: 5 }).map((parts) => parts.join(' ').replace(/\n/g, ' '));

/** Block markdown: headings, paragraphs, nested lists and quotes, tables, code, HTML, footnotes, breaks. */
const block: fc.Arbitrary<string> = fc.letrec((tie) => ({
  block: fc.oneof(
    { depthSize: 'small', withCrossShrink: true, maxDepth: 4 },
    line,
    fc.tuple(fc.integer({ min: 1, max: 7 }), line).map(([level, text]) => `${'#'.repeat(level)} ${text}`),
    fc.tuple(fc.constantFrom('- ', '* ', '1. ', '- [ ] ', '- [x] '), fc.array(tie('block'), { minLength: 1, maxLength: 3 })).map(([marker, items]) =>
      items.map((item) => marker + item.split('\n').join(`\n${' '.repeat(marker.length)}`)).join('\n'),
    ),
    fc.array(tie('block'), { minLength: 1, maxLength: 3 }).map((blocks) => blocks.join('\n\n').split('\n').map((l) => `> ${l}`).join('\n')),
    fc.tuple(fc.integer({ min: 1, max: 4 }), fc.array(line, { minLength: 1, maxLength: 3 })).map(([columns, rows]) => {
      const cells = (text: string) => `| ${Array.from({ length: columns }, (_, i) => text.split('|')[i] ?? '').join(' | ')} |`;
      return [cells(rows[0]), `|${' --- |'.repeat(columns)}`, ...rows.slice(1).map(cells)].join('\n');
    }),
    fc.tuple(fc.constantFrom('```', '~~~', '````'), fc.oneof(word, fc.constant(''), prose), fc.array(someText, { maxLength: 3 })).map(([fence, lang, lines]) => `${fence}${lang}\n${lines.join('\n')}\n${fence}`),
    fc.constantFrom('---', '***', '<div>\n\n*md in html*\n\n</div>', '<details><summary>s</summary>x</details>', '<iframe src="javascript:alert(1)"></iframe>', '[^1]: A footnote.', '[^note]: Another.', '[ref]: https://example.org', '<!-- more -->', '<style>body{}</style>', '    indented code'),
  ),
})).block;

/**
 * Deep nesting around `markdown.limits.maxDepth` (100 by default): quotes, lists, brackets, raw HTML, emphasis.
 * Beyond the limit it must fail with a located MarkdownTooComplex; within it, build.
 */
const deepBlock = fc.tuple(fc.integer({ min: 10, max: 140 }), fc.constantFrom('quote', 'quote-lines', 'list', 'markers', 'brackets', 'html', 'emphasis'), word).map(([n, kind, text]) => {
  const levels = Array.from({ length: n }, (_, i) => i);
  switch (kind) {
    case 'quote':
      return `${'> '.repeat(n)}${text}`;
    case 'quote-lines':
      return levels.map((i) => `${'>'.repeat(i + 1)} ${text}`).join('\n');
    case 'list':
      return levels.map((i) => `${'  '.repeat(i)}- ${text}`).join('\n');
    case 'markers':
      return `${'- '.repeat(n)}${text}`;
    case 'brackets':
      return `${'!['.repeat(n)}${text}${'](y)'.repeat(n)}`;
    case 'html':
      return `<div>${'<span>'.repeat(n)}${text}${'</span>'.repeat(n)}</div>`;
    default:
      return `${'*a **b '.repeat(n)}${text}`;
  }
});

/** A markdown body: blocks separated by blank lines (or not), sometimes with a leading `# Title`, and one in twenty with a deep block. */
const body = fc.tuple(fc.boolean(), fc.array(block, { maxLength: 8 }), fc.oneof({ weight: 19, arbitrary: fc.constant('') }, { weight: 1, arbitrary: deepBlock }), fc.constantFrom('\n\n', '\n', '\r\n\r\n'))
  .map(([heading, blocks, deep, separator]) => (heading ? '# Heading title\n\n' : '') + (deep ? [...blocks, deep] : blocks).join(separator));

/** A whole post file: front matter fenced (or unclosed, or absent) and a body. */
export const postFile = fc.tuple(frontMatter, body, fc.constantFrom('closed', 'closed', 'closed', 'closed', 'unclosed', 'none', 'crlf')).map(([yamlText, markdown, shape]) => {
  if (shape === 'none') return markdown;
  if (shape === 'unclosed') return `---\n${yamlText}\n${markdown}`;
  const text = `---\n${yamlText}\n---\n${markdown}\n`;
  return shape === 'crlf' ? text.replace(/\n/g, '\r\n') : text;
});

/** A post whose front matter is valid and complete, so the body reaches the markdown stage. */
export const renderablePostFile = fc.tuple(prose.filter((t) => /\p{L}/u.test(t)), fields, body).map(([title, data, markdown]) => {
  const { title: _title, date: _date, slug: _slug, tags: _tags, updated: _updated, draft: _draft, readTime: _readTime, image: _image, ...rest } = data;
  return `---\n${yaml.dump({ ...rest, title, date: '2024-05-01', tags: ['fuzz'] }, { lineWidth: -1, skipInvalid: true })}---\n${markdown}\n`;
});
