import { describe, expect, it } from 'vitest';
import { codes } from '../../../src/diagnostics/codes.js';
import { BlogbuildError, error, exitCodeFor, hasErrors, warning } from '../../../src/diagnostics/error.js';
import { formatDiagnostic } from '../../../src/diagnostics/format.js';
import { findYamlKey, offsetToPosition } from '../../../src/diagnostics/position.js';

const cwd = '/blog';
const post = '---\ntitle: Hello\ndate: 2024-13-31\n---\n\tindented\n';
const readSource = (file: string) => (file === '/blog/posts/hello.md' ? post : undefined);

describe('formatDiagnostic', () => {
  it('prints path:line:col, the message, the code, a code frame and the hint', () => {
    const d = error('DateInvalid', '`date` is not a valid date', { file: '/blog/posts/hello.md', line: 3, column: 7, length: 10 }, 'use YYYY-MM-DD');
    expect(formatDiagnostic(d, { cwd, readSource })).toBe(
      [
        'posts/hello.md:3:7: error: `date` is not a valid date [DateInvalid]',
        '   |',
        ' 3 | date: 2024-13-31',
        '   |       ^^^^^^^^^^',
        '  hint: use YYYY-MM-DD',
      ].join('\n'),
    );
  });

  it('aligns the gutter for wide line numbers and shows tabs as one space', () => {
    const long = Array.from({ length: 120 }, (_, i) => `line ${i + 1}`).join('\n');
    const text = formatDiagnostic(error('FrontMatterSyntax', 'bad', { file: '/blog/x.md', line: 100, column: 6 }), { cwd, readSource: () => long });
    expect(text.split('\n').slice(1)).toEqual(['     |', ' 100 | line 100', '     |      ^']);
    const tab = formatDiagnostic(error('FrontMatterSyntax', 'tab', { file: '/blog/posts/hello.md', line: 5, column: 2 }), { cwd, readSource });
    expect(tab).toContain(' 5 |  indented\n   |  ^');
  });

  it('clamps the underline to the line', () => {
    const text = formatDiagnostic(error('DateInvalid', 'x', { file: '/blog/posts/hello.md', line: 2, column: 8, length: 50 }), { cwd, readSource });
    expect(text).toContain(' 2 | title: Hello\n   |        ^^^^^');
  });

  it('without a line prints the file only, and without a file prints no location', () => {
    expect(formatDiagnostic(error('PostsFolderMissing', 'the posts folder does not exist', { file: '/blog/posts' }, 'create it'), { cwd, readSource }))
      .toBe('posts: error: the posts folder does not exist [PostsFolderMissing]\n  hint: create it');
    expect(formatDiagnostic(error('UsageInvalid', 'bad flag'), { cwd })).toBe('error: bad flag [UsageInvalid]');
  });

  it('prints paths outside cwd as they are, with / separators', () => {
    expect(formatDiagnostic(error('ConfigInvalid', 'x', { file: '/elsewhere/c.json' }), { cwd })).toBe('/elsewhere/c.json: error: x [ConfigInvalid]');
  });

  it('prints warnings as warnings', () => {
    expect(formatDiagnostic(warning('FeedWithoutUrl', 'no url', undefined, 'set url'), { cwd })).toBe('warning: no url [FeedWithoutUrl]\n  hint: set url');
  });

  it('uses colour only when asked', () => {
    const d = error('DateInvalid', 'x', { file: '/blog/posts/hello.md', line: 3, column: 7 }, 'y');
    expect(formatDiagnostic(d, { cwd, readSource })).not.toContain('\x1b[');
    expect(formatDiagnostic(d, { cwd, readSource, color: true })).toContain('\x1b[31;1merror\x1b[0m');
  });

  it('prints the cause chain only with debug', () => {
    const cause = new Error('inner problem', { cause: new Error('root problem') });
    const d = error('ConfigInvalid', 'outer', { file: '/blog/c.json' }, undefined, cause);
    expect(formatDiagnostic(d, { cwd })).not.toContain('inner problem');
    const debug = formatDiagnostic(d, { cwd, debug: true });
    expect(debug).toContain('caused by: Error: inner problem');
    expect(debug).toContain('caused by: Error: root problem');
    expect(debug).toMatch(/^\s+at /m);
  });
});

describe('exit codes', () => {
  it('2 for usage and config errors, 1 for content errors, 0 otherwise', () => {
    expect(exitCodeFor([])).toBe(0);
    expect(exitCodeFor([warning('FeedWithoutUrl', 'w')])).toBe(0);
    expect(exitCodeFor([warning('FeedWithoutUrl', 'w')], true)).toBe(1);
    expect(exitCodeFor([error('DateInvalid', 'x')])).toBe(1);
    expect(exitCodeFor([error('TemplateSyntax', 'x')])).toBe(1);
    expect(exitCodeFor([error('DateInvalid', 'x'), error('ConfigInvalid', 'y')])).toBe(2);
    for (const code of ['ConfigNotFound', 'ConfigInvalid', 'ConfigUnknownKey', 'PostsFolderMissing', 'UsageInvalid'] as const) {
      expect(exitCodeFor([error(code, 'x')])).toBe(2);
    }
    for (const code of ['FrontMatterSyntax', 'TitleMissing', 'DateInvalid', 'TagsInvalid', 'SlugUnsafe', 'DuplicateSlug'] as const) {
      expect(codes[code].kind).toBe('content');
    }
  });

  it('hasErrors ignores warnings', () => {
    expect(hasErrors([warning('FeedWithoutUrl', 'w')])).toBe(false);
    expect(hasErrors([warning('FeedWithoutUrl', 'w'), error('DateInvalid', 'x')])).toBe(true);
  });

  it('BlogbuildError carries its diagnostic and cause', () => {
    const cause = new Error('original');
    const e = new BlogbuildError('TemplateSyntax', 'bad template', { file: '/t.hbs', line: 2 }, 'fix it', { cause });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('BlogbuildError');
    expect(e.toDiagnostic()).toEqual({ severity: 'error', code: 'TemplateSyntax', message: 'bad template', loc: { file: '/t.hbs', line: 2 }, hint: 'fix it', cause });
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
