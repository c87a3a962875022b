import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixture, listFiles } from './helpers/build-fixture.js';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../bin/blogbuild.js', import.meta.url));
/** UTC+14 and UTC-11: a calendar date must not move a day either way. */
const ahead = 'Pacific/Kiritimati';
const behind = 'Pacific/Pago_Pago';

let scratch: string;
beforeAll(async () => {
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-tz-'));
});
afterAll(async () => {
  await fs.rm(scratch, { recursive: true, force: true });
});

/** Copies a fixture and builds it with the real CLI under the machine time zone `tz`; returns the output folder. */
async function cliBuild(fixture: string, tz: string): Promise<string> {
  const root = path.join(scratch, `${fixture}-${tz.replace(/\W/g, '_')}`);
  await copyFixture(fixture, root);
  await run(process.execPath, [bin, 'build', '--quiet'], { cwd: root, env: { ...process.env, TZ: tz } });
  return path.join(root, 'dist');
}

const page = async (dist: string, file: string) => parseHTML(await fs.readFile(path.join(dist, file), 'utf8')).document;

describe('dates do not depend on the machine time zone', () => {
  it('runs the child processes in the time zones asked for', async () => {
    // Guards the tests below: if TZ were ignored, they would pass without testing anything.
    const offset = async (tz: string) =>
      Number((await run(process.execPath, ['-e', 'process.stdout.write(String(new Date("2024-12-31T12:00:00Z").getTimezoneOffset()))'], { env: { ...process.env, TZ: tz } })).stdout);
    expect(await offset(ahead)).toBe(-14 * 60);
    expect(await offset(behind)).toBe(11 * 60);
  });

  it('shows a post dated 2024-12-31 as December 31, 2024 under UTC+14 and UTC-11, with identical output', async () => {
    const east = await cliBuild('timezone-utc', ahead);
    const west = await cliBuild('timezone-utc', behind);
    for (const dist of [east, west]) {
      for (const file of ['posts/new-years-eve/index.html', 'index.html', 'tags/holidays/index.html']) {
        const time = (await page(dist, file)).querySelector('time')!;
        expect(time.getAttribute('datetime'), `${dist} ${file}`).toBe('2024-12-31');
        expect(time.textContent, `${dist} ${file}`).toBe('December 31, 2024');
      }
      // Search engines and link previews get the same calendar day, as a date-time with the site's (UTC) offset.
      const post = await page(dist, 'posts/new-years-eve/index.html');
      expect(JSON.parse(post.querySelector('script[type="application/ld+json"]')!.textContent!).datePublished).toBe('2024-12-31T00:00:00+00:00');
      expect(post.querySelector('meta[property="article:published_time"]')!.getAttribute('content')).toBe('2024-12-31T00:00:00+00:00');
      const rss = await fs.readFile(path.join(dist, 'rss.xml'), 'utf8');
      expect(rss).toContain('<pubDate>Tue, 31 Dec 2024 00:00:00 GMT</pubDate>');
      expect(await fs.readFile(path.join(dist, 'sitemap.xml'), 'utf8')).toContain('<lastmod>2024-12-31</lastmod>');
    }
    const files = await listFiles(east);
    expect(await listFiles(west)).toEqual(files);
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const [a, b] = await Promise.all([fs.readFile(path.join(east, file)), fs.readFile(path.join(west, file))]);
      expect(a.equals(b), file).toBe(true);
    }
  });

  it('shows a date-time in the site time zone: 2024-12-31T20:00:00Z is January 1, 2025 in Asia/Tokyo', async () => {
    for (const tz of [ahead, behind]) {
      const dist = await cliBuild('timezone-tokyo', tz);
      const time = (await page(dist, 'posts/late-evening/index.html')).querySelector('time')!;
      expect(time.textContent).toBe('January 1, 2025');
      expect(time.getAttribute('datetime')).toBe('2025-01-01T05:00:00+09:00');
      const data = JSON.parse((await page(dist, 'posts/late-evening/index.html')).querySelector('script[type="application/ld+json"]')!.textContent!);
      expect([data.datePublished, data.dateModified]).toEqual(['2025-01-01T05:00:00+09:00', '2025-01-01T05:00:00+09:00']);
    }
  });

  it('formats dates in the site language: en-GB shows 31 December 2024', async () => {
    const dist = await cliBuild('language-en-gb', behind);
    const d = await page(dist, 'posts/new-years-eve/index.html');
    expect(d.querySelector('time')!.textContent).toBe('31 December 2024');
    expect(d.querySelector('time')!.getAttribute('datetime')).toBe('2024-12-31');
    expect(d.documentElement.getAttribute('lang')).toBe('en-GB');
  });
});
