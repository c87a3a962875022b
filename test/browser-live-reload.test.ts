// @module-tag chromium
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { overlayId } from '../src/dev/client.js';
import { serve, type ServeHandle } from '../src/dev/serve.js';
import { launchChromium } from './helpers/browser.js';

/**
 * A real browser on a served post: saving the markdown file updates the open page without a manual reload, a
 * broken front matter shows the error overlay (the page underneath stays), and fixing it recovers.
 * Needs Chromium (the `chromium` tag above skips the file without one, outside CI).
 */
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixture = path.join(repo, 'test/fixtures/sites/serve-basic');

let browser: Browser;
let tmp: string;
let handle: ServeHandle | undefined;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-live-'));
  await fs.cp(fixture, tmp, { recursive: true });
  handle = await serve({ root: tmp, port: 0, host: '127.0.0.1', debounce: 30 });
});
afterEach(async () => {
  await handle?.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

it('reloads an open post on save, shows an overlay on a content error, and recovers', async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${handle!.url}posts/second-try/`);
  await expect.poll(() => page.locator('h1').textContent()).toBe('Second try');
  const content = page.locator('.post-content');
  await expect.poll(() => content.textContent()).toContain('Better shaping made all the difference.');
  // No need to wait for the event stream to connect: the page carries its build id, so a rebuild that ends
  // before the stream connects still reloads it (the script compares ids on connect).

  // 1. Edit the markdown: the open page shows the new text by itself.
  const file = path.join(tmp, 'posts/2024-02-12-second-try.md');
  const original = await fs.readFile(file, 'utf8');
  await fs.writeFile(file, original.replace('Better shaping made all the difference.', 'Live reload shows this sentence.'));
  await expect.poll(() => content.textContent(), { timeout: 20_000 }).toContain('Live reload shows this sentence.');

  // 2. Break the front matter: the overlay appears with the diagnostic, the last good page stays underneath.
  await fs.writeFile(file, original.replace('title: Second try', 'title: [Second try'));
  const overlay = page.locator(`#${overlayId}`);
  await expect.poll(() => overlay.count(), { timeout: 20_000 }).toBe(1);
  const overlayText = (await overlay.textContent()) ?? '';
  expect(overlayText).toMatch(/posts\/2024-02-12-second-try\.md:\d+:\d+: error: front matter is not valid YAML/);
  expect(overlayText).toContain('[FrontMatterSyntax]');
  expect(overlayText).toBe(`blogbuild: the last change has errors; the page shows the last good build.${handle!.session.state.errorText}Fix the file and save: this page updates by itself.`);
  expect(await page.locator('h1').textContent()).toBe('Second try');
  expect(await content.textContent()).toContain('Live reload shows this sentence.');

  // The overlay shows text, never markup from the file.
  await fs.writeFile(file, original.replace('title: Second try', 'title: <b id="injected">bold</b>: [x'));
  await expect.poll(() => overlay.textContent(), { timeout: 20_000 }).toContain('<b id="injected">bold</b>');
  expect(await page.locator('#injected').count()).toBe(0);

  // 3. Fix it: the overlay goes and the page shows the fixed content.
  await fs.writeFile(file, original.replace('title: Second try', 'title: Second try, fixed'));
  await expect.poll(() => page.locator('h1').textContent(), { timeout: 20_000 }).toBe('Second try, fixed');
  await expect.poll(() => overlay.count()).toBe(0);
  expect(await content.textContent()).toContain('Better shaping made all the difference.');
  expect(errors).toEqual([]);
  await page.close();
});
