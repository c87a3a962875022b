import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { findJsonProblem } from '../../../src/config/json-error.js';
import { closest } from '../../../src/config/suggest.js';
import type { Diagnostic } from '../../../src/diagnostics/error.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'blogbuild-config-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
let count = 0;

/** A fresh blog folder holding the given files. */
function folder(files: Record<string, string> = {}): string {
  const dir = path.join(scratch, `case-${++count}`);
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const brief = (d: Diagnostic) => ({
  code: d.code,
  at: d.loc ? `${path.basename(d.loc.file)}:${d.loc.line}:${d.loc.column}` : undefined,
  message: d.message,
  hint: d.hint,
});

describe('loadConfig: defaults', () => {
  it('without a config file', async () => {
    const root = folder();
    const { config, diagnostics } = await loadConfig(root);
    expect(diagnostics).toEqual([]);
    expect(config).toMatchObject({
      root,
      configFile: undefined,
      title: 'My Blog',
      description: '',
      url: '',
      basePath: '/',
      language: 'en',
      author: '',
      timezone: 'UTC',
      postsPerPage: 10,
      feed: { items: 20 },
      readingSpeed: 230,
      markdown: { rawHtml: true, tagfilter: 'safe' },
      postsDir: path.join(root, 'posts'),
      templatesDir: path.join(root, 'templates'),
      outDir: path.join(root, 'dist'),
      publicDir: path.join(root, 'public'),
      drafts: false,
      future: false,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('fills what the config file leaves out, and ends url with /', async () => {
    const root = folder({ 'blogbuild.config.json': '{ "title": "Mine", "url": "https://example.org/blog", "feed": {} }' });
    const { config } = await loadConfig(root);
    expect(config).toMatchObject({ title: 'Mine', url: 'https://example.org/blog/', basePath: '/blog/', postsPerPage: 10, feed: { items: 20 } });
    expect(config!.configFile).toBe(path.join(root, 'blogbuild.config.json'));
  });
});

describe('loadConfig: precedence', () => {
  const configText = JSON.stringify({ url: 'https://config.example/', postsDir: 'articles', outDir: 'public_html', templatesDir: 'theme' });

  it('the config file wins over defaults, and command-line flags win over the config file', async () => {
    const root = folder({ 'blogbuild.config.json': configText });
    const fromFile = (await loadConfig(root)).config!;
    expect(fromFile).toMatchObject({ url: 'https://config.example/', postsDir: path.join(root, 'articles'), outDir: path.join(root, 'public_html') });

    const flags = (await loadConfig(root, { url: 'https://flag.example/sub', posts: 'p', out: 'o', templates: 't', drafts: true, future: true })).config!;
    expect(flags).toMatchObject({
      url: 'https://flag.example/sub/',
      basePath: '/sub/',
      postsDir: path.join(root, 'p'),
      outDir: path.join(root, 'o'),
      templatesDir: path.join(root, 't'),
      drafts: true,
      future: true,
    });
  });

  it('--config picks another file, relative to the root', async () => {
    const root = folder({ 'blogbuild.config.json': '{ "title": "Default file" }', 'other.json': '{ "title": "Other file" }' });
    expect((await loadConfig(root, { config: 'other.json' })).config!.title).toBe('Other file');
  });

  it('a missing --config file is an error, not a silent default', async () => {
    const { config, diagnostics } = await loadConfig(folder(), { config: 'missing.json' });
    expect(config).toBeUndefined();
    expect(diagnostics.map(brief)).toEqual([
      expect.objectContaining({ code: 'ConfigNotFound', message: 'config file missing.json does not exist' }),
    ]);
  });

  it('a bad --url is a usage error', async () => {
    const { diagnostics } = await loadConfig(folder(), { url: 'example.org' });
    expect(diagnostics.map((d) => d.code)).toEqual(['UsageInvalid']);
  });

  it('prefers blogbuild.config.json, then .js, then .mjs', async () => {
    const root = folder({ 'blogbuild.config.mjs': 'export default { title: "mjs" };\n', 'blogbuild.config.js': 'export default { title: "js" };\n' });
    fs.writeFileSync(path.join(root, 'package.json'), '{ "type": "module" }');
    expect((await loadConfig(root)).config!.title).toBe('js');
    fs.writeFileSync(path.join(root, 'blogbuild.config.json'), '{ "title": "json" }');
    expect((await loadConfig(root)).config!.title).toBe('json');
  });
});

describe('loadConfig: unknown keys', () => {
  it('are errors at the key, with "did you mean" for typos, in file order', async () => {
    const root = folder({
      'blogbuild.config.json': '{\n  "title": "T",\n  "postsPerPgae": 5,\n  "markdown": { "rawHTML": false },\n  "colour": "red"\n}\n',
    });
    const { config, diagnostics } = await loadConfig(root);
    expect(config).toBeUndefined();
    expect(diagnostics.map(brief)).toEqual([
      { code: 'ConfigUnknownKey', at: 'blogbuild.config.json:3:3', message: 'unknown config key `postsPerPgae`', hint: 'did you mean `postsPerPage`?' },
      { code: 'ConfigUnknownKey', at: 'blogbuild.config.json:4:17', message: 'unknown config key `markdown.rawHTML`', hint: 'did you mean `markdown.rawHtml`?' },
      expect.objectContaining({ at: 'blogbuild.config.json:5:3', message: 'unknown config key `colour`', hint: expect.stringMatching(/^remove it; known keys are: title, description, url,/) }),
    ]);
  });
});

describe('loadConfig: invalid values', () => {
  it('point at the value and say what is wrong with it', async () => {
    const root = folder({
      'blogbuild.config.json': '{\n  "url": "/blog/",\n  "timezone": "Europe/Pari",\n  "postsPerPage": 2.5,\n  "readingSpeed": "fast",\n  "language": "not a tag!",\n  "outDir": ""\n}\n',
    });
    const { diagnostics } = await loadConfig(root);
    expect(diagnostics.map(brief)).toEqual([
      { code: 'ConfigInvalid', at: 'blogbuild.config.json:2:10', message: '`url` "/blog/" is not an absolute http(s) URL', hint: expect.stringMatching(/^use the plain address/) },
      { code: 'ConfigInvalid', at: 'blogbuild.config.json:3:15', message: '`timezone` "Europe/Pari" is not an IANA time zone name', hint: 'did you mean "Europe/Paris"?' },
      { code: 'ConfigInvalid', at: 'blogbuild.config.json:4:19', message: '`postsPerPage` must be a whole number, got 2.5', hint: 'use a whole number of at least 1, e.g. 10' },
      { code: 'ConfigInvalid', at: 'blogbuild.config.json:5:19', message: '`readingSpeed` must be a number, got string "fast"', hint: 'use words per minute, e.g. 230' },
      expect.objectContaining({ at: 'blogbuild.config.json:6:15', message: '`language` "not a tag!" is not a BCP 47 language tag' }),
      expect.objectContaining({ at: 'blogbuild.config.json:7:13', message: '`outDir` must not be empty' }),
    ]);
  });

  it('a config that is not an object', async () => {
    const { diagnostics } = await loadConfig(folder({ 'blogbuild.config.json': '["title"]' }));
    expect(diagnostics.map(brief)).toEqual([expect.objectContaining({ code: 'ConfigInvalid', at: 'blogbuild.config.json:1:1', message: 'config must be an object of settings, got a list' })]);
  });
});

describe('loadConfig: JSON syntax', () => {
  it.each([
    ['{\n  "title": "T"\n  "url": "https://e.org/"\n}', '2:15', 'a comma is missing between two entries', 'add a comma here, after the value'],
    ['{\n  "title": "T",\n}', '2:15', 'there is a comma after the last entry', 'remove this comma: JSON allows no comma after the last entry'],
    ['{\n  "tags": [1, 2,]\n}', '2:16', 'there is a comma after the last entry', 'remove this comma: JSON allows no comma after the last entry'],
    ['{\n  title: "T"\n}', '2:3', 'the key `title` is not in double quotes', 'write "title": …'],
    ["{\n  \"title\": 'T'\n}", '2:12', 'strings must be in double quotes', 'use "…" instead of \'…\''],
    ['{\n  // my blog\n  "title": "T"\n}', '2:3', 'JSON does not allow comments', 'remove the comment, or write the config as blogbuild.config.js'],
    ['{\n  "title": "T"', '2:15', 'the file ends before a { is closed', 'check that every { and [ is closed'],
    ['{\n  "title": "T\n}', '2:12', 'this string has no closing "', 'close the string with " on the same line'],
    ['{ "postsPerPage": ten }', '1:19', '`ten` is not a JSON value', 'put text in double quotes; numbers, true, false and null go without'],
    ['', '1:1', 'the file is empty', 'write the settings as an object, e.g. { "title": "My Blog" }'],
  ])('%j → %s %s', async (text, at, reason, hint) => {
    const { config, diagnostics } = await loadConfig(folder({ 'blogbuild.config.json': text }));
    expect(config).toBeUndefined();
    expect(diagnostics.map(brief)).toEqual([
      { code: 'ConfigInvalid', at: `blogbuild.config.json:${at}`, message: `config file is not valid JSON: ${reason}`, hint },
    ]);
  });

  it('finds no problem in valid JSON', () => {
    expect(findJsonProblem('{ "a": [1, -2.5e3, true, null, "x\\"y"], "b": {} }')).toBeUndefined();
  });
});

describe('loadConfig: JS configs', () => {
  it('reads the default export', async () => {
    const { config } = await loadConfig(folder({ 'blogbuild.config.mjs': 'export default { title: "From JS", postsPerPage: 3 };\n' }));
    expect(config).toMatchObject({ title: 'From JS', postsPerPage: 3 });
  });

  it('locates invalid values and unknown keys in the source', async () => {
    const { diagnostics } = await loadConfig(folder({ 'blogbuild.config.mjs': "export default {\n  title: 'T',\n  timezone: 'Mars/Base',\n  'postsPerPge': 3,\n};\n" }));
    expect(diagnostics.map((d) => [d.code, brief(d).at])).toEqual([
      ['ConfigInvalid', 'blogbuild.config.mjs:3:13'],
      ['ConfigUnknownKey', 'blogbuild.config.mjs:4:3'],
    ]);
  });

  // A throwing module and a syntax error are located from Node's own errors; vitest's module runner reports
  // them differently, so those cases are pinned by spawning the CLI (test/fixtures/invalid/config-js-*).

  it('requires a default export object', async () => {
    const { diagnostics } = await loadConfig(folder({ 'blogbuild.config.mjs': 'export const title = "T";\n' }));
    expect(diagnostics.map(brief)).toEqual([expect.objectContaining({ code: 'ConfigInvalid', message: 'config file has no default export object, so there are no settings to read' })]);
  });
});

describe('closest', () => {
  it('suggests near misses only', () => {
    const keys = ['title', 'url', 'postsPerPage', 'timezone'];
    expect(closest('postsPerPgae', keys)).toBe('postsPerPage');
    expect(closest('Title', keys)).toBe('title');
    expect(closest('timeZone', keys)).toBe('timezone');
    expect(closest('colour', keys)).toBeUndefined();
  });
});
