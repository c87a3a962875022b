import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type Handlebars from 'handlebars';
import { shippedTemplatesFile } from '../../../src/render/compile-theme.js';
import { builtinTemplatesDir, loadTemplates, templateHash } from '../../../src/render/templates.js';

/** The one helper the 404 page uses, as the theme's helpers make it: a site URL under the base path. */
function urlHelper(hb: typeof Handlebars) {
  hb.registerHelper('url', (url: string) => `/blog/${url}`);
}

/** Counts the templates compiled in each Handlebars environment a theme load makes. */
function countingCompiles() {
  const counter = { calls: 0 };
  const register = (hb: typeof Handlebars) => {
    urlHelper(hb);
    const precompile = hb.precompile.bind(hb);
    hb.precompile = ((...args: Parameters<typeof hb.precompile>) => {
      counter.calls++;
      return precompile(...args);
    }) as typeof hb.precompile;
  };
  return { counter, register };
}

describe('the built-in theme, precompiled when blogbuild is built', () => {
  it('ships a precompiled form of every built-in template (npm run build writes it)', () => {
    const shipped = JSON.parse(fs.readFileSync(shippedTemplatesFile, 'utf8')) as { handlebars: string; specs: Record<string, string> };
    const sources = (fs.readdirSync(builtinTemplatesDir, { recursive: true }) as string[]).filter((rel) => rel.endsWith('.hbs'));
    expect(sources.length).toBeGreaterThan(6);
    for (const rel of sources) expect(shipped.specs, rel).toHaveProperty(templateHash(fs.readFileSync(`${builtinTemplatesDir}/${rel}`, 'utf8')));
  });

  it('is revived with no cache, compiling none of its templates, and renders as compiled ones do', async () => {
    const shipped = countingCompiles();
    const { theme, diagnostics } = await loadTemplates(undefined, shipped.register);
    expect(diagnostics).toEqual([]);
    expect(shipped.counter.calls).toBe(0);
    // The same page through templates compiled here: the spec is Handlebars' own output for the same source.
    const { compileTheme } = await import('../../../src/render/compile-theme.js');
    const files = new Map((fs.readdirSync(builtinTemplatesDir, { recursive: true }) as string[]).filter((rel) => rel.endsWith('.hbs')).map((rel) => [rel.split('\\').join('/'), `${builtinTemplatesDir}/${rel}`]));
    const fresh = await compileTheme({ files, inline: new Map(), read: (_rel, file) => fs.readFileSync(file, 'utf8') }, urlHelper);
    const context = { site: { title: 'Café ☕', language: 'en' }, page: { title: 'Not found' }, title: 'Not found' };
    const page = theme!.pages['404'].render(context);
    expect(page).toContain('<a href="/blog/tags/">all tags</a>');
    expect(page).toBe(fresh.theme!.pages['404'].render(context));
  });

  it('compiles a template a blog overrides (its source has no shipped form)', async () => {
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blogbuild-shipped-'));
    try {
      fs.writeFileSync(path.join(dir, '404.hbs'), '<p>{{title}} — ours</p>\n');
      const overridden = countingCompiles();
      const { theme, diagnostics } = await loadTemplates(dir, overridden.register);
      expect(diagnostics).toEqual([]);
      expect(overridden.counter.calls).toBe(1);
      expect(theme!.pages['404'].render({ title: 'Gone' })).toBe('<p>Gone — ours</p>\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
