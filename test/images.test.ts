/**
 * Images in posts, from real builds of the post-extras fixture (a bundle with a PNG, JPEG, GIF, WebP and SVG, a
 * missing file, an image from elsewhere and raw HTML) parsed with a DOM parser: sizes read from the files, lazy
 * loading after the first image, missing-image warnings at their lines, the cover image at the top of the post and
 * in og:image, and cached HTML following a changed image file.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { formatDiagnostic } from '../src/diagnostics/format.js';
import { buildFixture, FIXED_NOW, fixturePath, type FixtureBuild } from './helpers/build-fixture.js';

let site: FixtureBuild;
let scratch: string;
beforeAll(async () => {
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-images-'));
  site = await buildFixture('post-extras');
  expect(site.ok).toBe(true);
});
afterAll(async () => {
  await fs.rm(scratch, { recursive: true, force: true });
});

/** The post body's images: src and the attributes this feature sets. */
function images(html: string) {
  const { document } = parseHTML(html);
  return [...document.querySelectorAll('.post-content img')].map((img) => ({
    src: img.getAttribute('src'),
    width: img.getAttribute('width'),
    height: img.getAttribute('height'),
    loading: img.getAttribute('loading'),
    decoding: img.getAttribute('decoding'),
  }));
}

describe('images in posts', () => {
  it('get width and height from PNG, JPEG, GIF, WebP and SVG files, and lazy loading below the cover', () => {
    expect(images(site.read('posts/photo-walk/index.html'))).toEqual([
      // The post has a cover above its body: the cover is the page's first image, so this one is lazy too.
      { src: 'harbour.png', width: '64', height: '48', loading: 'lazy', decoding: 'async' },
      { src: 'dunes.jpg', width: '120', height: '80', loading: 'lazy', decoding: 'async' },
      { src: 'lighthouse.gif', width: '30', height: '20', loading: 'lazy', decoding: 'async' },
      { src: 'gulls.webp', width: '50', height: '40', loading: 'lazy', decoding: 'async' },
      { src: 'map.svg', width: '90', height: '60', loading: 'lazy', decoding: 'async' },
      // Missing, and from another origin: no size, still lazy.
      { src: 'fog.png', width: null, height: null, loading: 'lazy', decoding: 'async' },
      { src: 'https://images.example/boat.png', width: null, height: null, loading: 'lazy', decoding: 'async' },
      // Raw HTML that sets a width keeps it (no height is invented for it).
      { src: 'harbour.png', width: '32', height: null, loading: 'lazy', decoding: 'async' },
    ]);
  });

  it('keep their sizes in the feeds', () => {
    const xml = new XMLParser({ isArray: (name) => name === 'entry' });
    const entry = xml.parse(site.read('atom.xml')).feed.entry.find((e: { title: string }) => e.title === 'A photo walk along the harbour');
    expect(images(`<div class="post-content">${entry.content}</div>`)[1]).toEqual(
      { src: 'https://example.org/posts/photo-walk/dunes.jpg', width: '120', height: '80', loading: 'lazy', decoding: 'async' });
  });

  it('that do not exist are warnings naming the file, line and column', () => {
    const missing = site.diagnostics.filter((d) => d.code === 'ImageMissing');
    expect(missing.every((d) => d.severity === 'warning')).toBe(true);
    const where = missing.map((d) => [path.relative(fixturePath('post-extras'), d.loc!.file), d.loc!.line, d.loc!.column, d.message]);
    expect(where).toEqual([
      // A single-file post has nothing copied beside its page.
      // At the file name as written, with raw HTML in the post (the bundle) or not.
      ['posts/2025-05-01-loose-image.md', 10, 11, 'image beside.png does not exist'],
      ['posts/photo-walk/index.md', 21, 24, 'image fog.png does not exist'],
      ['posts/2025-05-01-loose-image.md', 5, 8, 'image missing-cover.png does not exist'],
    ]);
    const printed = formatDiagnostic(missing[0], { cwd: fixturePath('post-extras'), color: false });
    expect(printed).toContain('posts/2025-05-01-loose-image.md:10:11: warning: image beside.png does not exist [ImageMissing]');
    expect(printed).toContain('hint: put the image beside the post in a page bundle');
  });

  it('show the cover at the top of the post with its size and alt text, and give og:image', () => {
    const { document } = parseHTML(site.read('posts/photo-walk/index.html'));
    const cover = document.querySelector('article > img.post-cover')!;
    expect(cover.previousElementSibling?.tagName).toBe('HEADER');
    expect([cover.getAttribute('src'), cover.getAttribute('alt'), cover.getAttribute('width'), cover.getAttribute('height'), cover.getAttribute('loading'), cover.getAttribute('fetchpriority')])
      .toEqual(['/images/cover.png', 'The harbour at dusk', '200', '100', null, 'high']);
    // The page's first image (its likely largest paint) is the cover; every other image on the page is lazy.
    const all = [...document.querySelectorAll('img')];
    expect(all[0]).toBe(cover);
    expect(all.slice(1).map((img) => img.getAttribute('loading'))).toEqual(all.slice(1).map(() => 'lazy'));
    expect(document.querySelector('meta[property="og:image"]')?.getAttribute('content')).toBe('https://example.org/images/cover.png');
    expect(document.querySelector('meta[property="og:image:alt"]')?.getAttribute('content')).toBe('The harbour at dusk');
    expect(document.querySelector('meta[name="twitter:card"]')?.getAttribute('content')).toBe('summary_large_image');
  });

  it('load the first body image eagerly when no cover is above it, and follow the cover coming and going through the cache', async () => {
    const root = path.join(scratch, 'cover');
    await fs.cp(fixturePath('post-extras'), root, { recursive: true });
    const cacheDir = path.join(scratch, 'cover-cache');
    const source = path.join(root, 'posts/photo-walk/index.md');
    const withCover = await fs.readFile(source, 'utf8');
    const pageImages = async () => {
      const result = await buildFixture(root, { cacheDir });
      expect(result.ok).toBe(true);
      const { document } = parseHTML(result.read('posts/photo-walk/index.html'));
      return [...document.querySelectorAll('img')].map((img) => [img.classList.contains('post-cover'), img.getAttribute('src'), img.getAttribute('loading'), img.getAttribute('fetchpriority')]);
    };
    const withCoverImages = await pageImages();
    expect(withCoverImages[0]).toEqual([true, '/images/cover.png', null, 'high']);
    expect(withCoverImages.slice(1).every(([, , loading]) => loading === 'lazy')).toBe(true);
    // The same body without the cover (cached from the build above): its first image is now the page's first.
    await fs.writeFile(source, withCover.replace(/^image: .*\n/m, ''));
    const without = await pageImages();
    expect(without[0]).toEqual([false, 'harbour.png', null, null]);
    expect(without.slice(1).every(([, , loading]) => loading === 'lazy')).toBe(true);
    expect(without).toHaveLength(withCoverImages.length - 1);
    // And back.
    await fs.writeFile(source, withCover);
    expect(await pageImages()).toEqual(withCoverImages);
  });

  it('follow a changed image file through the markdown cache and the output folder', async () => {
    const root = path.join(scratch, 'changing');
    await fs.cp(fixturePath('post-extras'), root, { recursive: true });
    const cacheDir = path.join(scratch, 'changing-cache');
    const out = path.join(root, 'dist');
    const once = () => build({ root, now: FIXED_NOW, cacheDir });
    const page = () => fs.readFile(path.join(out, 'posts/photo-walk/index.html'), 'utf8');
    expect((await once()).ok).toBe(true);
    expect(images(await page())[0]).toMatchObject({ width: '64', height: '48' });
    // The same body, a bigger picture; and the missing one appears.
    const bundle = path.join(root, 'posts/photo-walk');
    await fs.copyFile(path.join(root, 'public/images/cover.png'), path.join(bundle, 'harbour.png'));
    await fs.copyFile(path.join(bundle, 'dunes.jpg'), path.join(bundle, 'fog.png'));
    const second = await once();
    expect(second.ok).toBe(true);
    expect(second.diagnostics.filter((d) => d.code === 'ImageMissing').map((d) => d.message)).not.toContain('image fog.png does not exist');
    const after = images(await page());
    expect(after[0]).toMatchObject({ width: '200', height: '100' });
    expect(after[5]).toMatchObject({ src: 'fog.png', width: '120', height: '80' });
    // In memory too, with the same cache.
    const memory = await buildFixture(root, { cacheDir });
    expect(images(memory.read('posts/photo-walk/index.html'))[0]).toMatchObject({ width: '200', height: '100' });
  });
});
