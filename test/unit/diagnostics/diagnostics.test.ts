import { describe, expect, it } from 'vitest';
import { codes } from '../../../src/diagnostics/codes.js';
import { BlogbuildError, error, exitCodeFor, hasErrors, warning } from '../../../src/diagnostics/error.js';
import { formatDiagnostic } from '../../../src/diagnostics/format.js';
import { findYamlKey, offsetToPosition } from '../../../src/diagnostics/position.js';

const cwd = '/blog';
const post = '---\ntitle: Hello\ndate: 2024-13-31\n---\n\tindented\n';
const readSource = (file: string) => (file === '/blog/posts/hello.md' ? post : undefined);

const dateHint = 'use YYYY-MM-DD (e.g. 2024-01-31) or an ISO date-time with offset (e.g. 2024-01-31T09:30:00+01:00)';
const badDate = { key: 'date', reason: '"2024-13-31" has no month 13' } as const;

describe('formatDiagnostic', () => {
  it('prints path:line:col, the message from the catalogue, the code, a code frame and the hint', () => {
    const d = error('DateInvalid', badDate, { file: '/blog/posts/hello.md', line: 3, column: 7, length: 10 });
    expect(formatDiagnostic(d, { cwd, readSource })).toBe(
      [
        'posts/hello.md:3:7: error: `date` is not a valid date: "2024-13-31" has no month 13 [DateInvalid]',
        '   |',
        ' 3 | date: 2024-13-31',
        '   |       ^^^^^^^^^^',
        `  hint: ${dateHint}`,
      ].join('\n'),
    );
  });

  it('aligns the gutter for wide line numbers and shows tabs as one space', () => {
    const long = Array.from({ length: 120 }, (_, i) => `line ${i + 1}`).join('\n');
    const yaml = { problem: 'yaml', reason: 'bad', isClosed: true } as const;
    const text = formatDiagnostic(error('FrontMatterSyntax', yaml, { file: '/blog/x.md', line: 100, column: 6 }), { cwd, readSource: () => long });
    expect(text.split('\n').slice(1, 4)).toEqual(['     |', ' 100 | line 100', '     |      ^']);
    const tab = formatDiagnostic(error('FrontMatterSyntax', yaml, { file: '/blog/posts/hello.md', line: 5, column: 2 }), { cwd, readSource });
    expect(tab).toContain(' 5 |  indented\n   |  ^');
  });

  it('clamps the underline to the line', () => {
    const text = formatDiagnostic(error('DateInvalid', badDate, { file: '/blog/posts/hello.md', line: 2, column: 8, length: 50 }), { cwd, readSource });
    expect(text).toContain(' 2 | title: Hello\n   |        ^^^^^');
  });

  it('without a line prints the file only, and without a file prints no location', () => {
    expect(formatDiagnostic(error('PostsFolderMissing', { isFile: false }, { file: '/blog/posts' }), { cwd, readSource })).toBe(
      'posts: error: the posts folder does not exist [PostsFolderMissing]\n' +
        "  hint: create the folder and put your markdown posts in it, run blogbuild in your blog's folder, or pass --posts DIR",
    );
    expect(formatDiagnostic(error('UsageInvalid', { problem: 'url-flag', url: 'example.org' }), { cwd })).toBe(
      'error: --url "example.org" is not an absolute http(s) URL [UsageInvalid]\n  hint: pass the address the site is published at, e.g. --url https://example.org/blog/',
    );
  });

  it('prints paths outside cwd as they are, with / separators', () => {
    expect(formatDiagnostic(error('ConfigInvalid', { problem: 'unreadable', reason: 'EACCES' }, { file: '/elsewhere/c.json' }), { cwd }))
      .toBe('/elsewhere/c.json: error: config file cannot be read: EACCES [ConfigInvalid]');
  });

  it('prints warnings as warnings', () => {
    expect(formatDiagnostic(warning('FeedWithoutUrl', {}), { cwd })).toBe(
      'warning: no `url` is configured, so the feed and sitemap use root-relative links [FeedWithoutUrl]\n' +
        '  hint: set `url` in blogbuild.config.json or pass --url https://example.org/ when building for publishing',
    );
  });

  it('uses colour only when asked', () => {
    const d = error('DateInvalid', badDate, { file: '/blog/posts/hello.md', line: 3, column: 7 });
    expect(formatDiagnostic(d, { cwd, readSource })).not.toContain('\x1b[');
    expect(formatDiagnostic(d, { cwd, readSource, color: true })).toContain('\x1b[31;1merror\x1b[0m');
  });

  it('prints the cause chain only with debug', () => {
    const cause = new Error('inner problem', { cause: new Error('root problem') });
    const d = error('ConfigInvalid', { problem: 'unreadable', reason: 'outer' }, { file: '/blog/c.json' }, cause);
    expect(formatDiagnostic(d, { cwd })).not.toContain('inner problem');
    const debug = formatDiagnostic(d, { cwd, debug: true });
    expect(debug).toContain('caused by: Error: inner problem');
    expect(debug).toContain('caused by: Error: root problem');
    expect(debug).toMatch(/^\s+at /m);
  });
});

describe('exit codes', () => {
  const feed = warning('FeedWithoutUrl', {});
  const date = error('DateInvalid', badDate);
  it('2 for usage and config errors, 1 for content errors, 0 otherwise', () => {
    expect(exitCodeFor([])).toBe(0);
    expect(exitCodeFor([feed])).toBe(0);
    expect(exitCodeFor([feed], true)).toBe(1);
    expect(exitCodeFor([date])).toBe(1);
    expect(exitCodeFor([error('TemplateSyntax', { problem: 'parse' })])).toBe(1);
    expect(exitCodeFor([date, error('ConfigNotFound', { path: 'x.json' })])).toBe(2);
    for (const code of ['ConfigNotFound', 'ConfigInvalid', 'ConfigUnknownKey', 'PostsFolderMissing', 'UsageInvalid', 'TemplatesFolderMissing', 'OutputFailed'] as const) {
      expect(codes[code].kind).toBe('usage');
    }
    for (const code of ['FrontMatterSyntax', 'TitleMissing', 'DateInvalid', 'TagsInvalid', 'SlugUnsafe', 'DuplicateSlug', 'TemplateNotFound', 'FileUnreadable'] as const) {
      expect(codes[code].kind).toBe('content');
    }
  });

  it('hasErrors ignores warnings', () => {
    expect(hasErrors([feed])).toBe(false);
    expect(hasErrors([feed, date])).toBe(true);
  });

  it('BlogbuildError carries its diagnostic, worded by the catalogue, and its cause', () => {
    const cause = new Error('original');
    const e = new BlogbuildError('TemplateSyntax', { problem: 'other', reason: 'bad template' }, { file: '/t.hbs', line: 2 }, { cause });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('BlogbuildError');
    expect(e.toDiagnostic()).toEqual({
      severity: 'error', code: 'TemplateSyntax', message: 'template syntax error: bad template', loc: { file: '/t.hbs', line: 2 },
      hint: 'check that every {{ has a matching }} and every {{#block}} its {{/block}}', cause,
    });
  });
});

describe('positions', () => {
  it('offsetToPosition is 1-based', () => {
    const text = 'ab\ncd\n\nef';
    expect(offsetToPosition(text, 0)).toEqual({ line: 1, column: 1 });
    expect(offsetToPosition(text, 4)).toEqual({ line: 2, column: 2 });
    expect(offsetToPosition(text, 6)).toEqual({ line: 3, column: 1 });
    expect(offsetToPosition(text, 8)).toEqual({ line: 4, column: 2 });
  });

  it('findYamlKey finds a top-level key and its value in file lines', () => {
    const yaml = '\ntitle: Hello # greeting\n"date": 2024-01-01\ntags:\n  - a\n';
    expect(findYamlKey(yaml, 'title', 1)).toEqual({ line: 2, column: 8, length: 5 });
    expect(findYamlKey(yaml, 'date', 1)).toEqual({ line: 3, column: 9, length: 10 });
    expect(findYamlKey(yaml, 'tags', 1)).toEqual({ line: 4, column: 1, length: 4 });
    expect(findYamlKey(yaml, 'a', 1)).toBeUndefined();
    expect(findYamlKey(yaml, 'missing', 1)).toBeUndefined();
  });
});
