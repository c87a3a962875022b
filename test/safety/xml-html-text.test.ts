/**
 * Issue 9, item 7: a post whose title and body hold characters XML forbids (C0 controls, U+FFFE, U+FFFF) still
 * gives a feed and sitemap every XML parser accepts and pages the Nu Html Checker accepts; `check` parses every
 * feed and sitemap and fails on an ill-formed one.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SaxesParser } from 'saxes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkOutput } from '../../src/check/check-output.js';
import { buildFixture, copyFixture, type FixtureBuild } from '../helpers/build-fixture.js';
import { formatVnuMessages, isVnuError, runVnu } from '../helpers/vnu.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(repo, 'bin', 'blogbuild.js');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'blogbuild-xml-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** Parses XML with saxes (strict XML 1.0) and returns its errors. */
function xmlErrors(text: string): string[] {
  const errors: string[] = [];
  const parser = new SaxesParser({ xmlns: true });
  parser.on('error', (e) => errors.push(e.message));
  parser.write(text).close();
  return errors;
}

// Controls but tab, newline, form feed and carriage return; noncharacters; lone surrogates.
const forbiddenInHtml = /[^\P{Cc}\t\n\f\r]|\p{Noncharacter_Code_Point}|\p{Cs}/u;

let result: FixtureBuild;
beforeAll(async () => {
  result = await buildFixture('control-characters');
});

describe('characters XML and HTML forbid, in a post (control-characters fixture)', () => {
  it('the source really holds them (so the checks below can fail)', () => {
    const source = fs.readFileSync(path.join(repo, 'test/fixtures/sites/control-characters/posts/2024-01-01-controls.md'), 'utf8');
    expect(source).toMatch(/\ufffe.*\uffff.*\x0b.*\x1b.*\x01/s);
    expect(xmlErrors('<a>\uffff</a>')).not.toEqual([]);
  });

  it('builds, and the feed and sitemap are well-formed XML', () => {
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    // Each post's first forbidden character is reported where it is, as a warning: the output leaves it out.
    const warnings = result.diagnostics.filter((d) => d.code === 'CharacterInvalid');
    expect(warnings.length).toBeGreaterThan(0);
    for (const w of warnings) {
      expect(w.severity).toBe('warning');
      expect(w.loc?.file).toMatch(/controls\.md$/);
      expect(w.loc?.line).toBeGreaterThan(1);
    }
    expect(xmlErrors(result.read('rss.xml'))).toEqual([]);
    expect(xmlErrors(result.read('sitemap.xml'))).toEqual([]);
    expect(result.read('rss.xml')).toContain('A body with U+FFFE (), U+FFFF (), a vertical tab (), an escape () and U+0001 ().');
    expect(result.read('rss.xml')).toContain('<title>Bell  and start of heading </title>');
  });

  it('no page holds a control character or noncharacter; the title reaches <h1> and <title> without them', () => {
    const pages = [...result.writer.files.keys()].filter((file) => file.endsWith('.html'));
    expect(pages.length).toBeGreaterThan(3);
    for (const page of pages) expect({ page, match: forbiddenInHtml.exec(result.read(page))?.[0] }).toEqual({ page, match: undefined });
    const post = result.read('posts/controls/index.html');
    expect(post).toMatch(/<h1[^>]*>Bell {2}and start of heading <\/h1>/);
    expect(post).toMatch(/<title>Bell {2}and start of heading /);
    expect(post).toContain('code with a backspace  too');
  });

  it('the post page passes the Nu Html Checker', async () => {
    const file = path.join(scratch, 'controls.html');
    fs.writeFileSync(file, result.read('posts/controls/index.html'));
    const errors = (await runVnu([file])).filter(isVnuError);
    expect(formatVnuMessages(errors, scratch)).toBe('');
  }, 60_000);
});

describe('check parses every feed and sitemap', () => {
  it('reports an ill-formed XML file with the parser’s reason and position', () => {
    const files = new Map(result.writer.files);
    files.set('rss.xml', new TextEncoder().encode('<?xml version="1.0"?>\n<rss>\n  <title>a \uffff b</title>\n</rss>\n'));
    const report = checkOutput({ files, basePath: '/', url: 'https://example.org/' });
    expect(report.diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', code: 'XmlInvalid', message: expect.stringMatching(/^rss\.xml is not well-formed XML: disallowed character\. \(line 3, column 12\)$/) }),
    ]);
  });

  it('blogbuild check fails on a malformed XML file published from public/, and passes without it', async () => {
    const root = await copyFixture('control-characters', path.join(scratch, 'site'));
    const env = { ...process.env, NO_COLOR: '1', CI: '1' };
    const ok = spawnSync(process.execPath, [bin, 'check'], { cwd: root, encoding: 'utf8', env });
    expect(ok.stderr).not.toContain('XmlInvalid');
    expect(ok.status).toBe(0);
    fs.mkdirSync(path.join(root, 'public'));
    fs.writeFileSync(path.join(root, 'public', 'podcast.xml'), '<?xml version="1.0"?>\n<rss><channel><title>Fish&nbsp;and chips</title></channel></rss>\n');
    const bad = spawnSync(process.execPath, [bin, 'check'], { cwd: root, encoding: 'utf8', env });
    expect(bad.stderr).toMatch(/error: podcast\.xml is not well-formed XML: undefined entity\. \(line 2, column \d+\) \[XmlInvalid\]/);
    expect(bad.status).toBe(1);
  }, 60_000);
});
