import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MarkdownOptions } from '../markdown/processor.js';
import { version } from '../version.js';

/** Packages whose code shapes the rendered HTML; their versions are part of every cache key. */
const markdownPackages = [
  'unified', 'remark-parse', 'remark-gfm', 'remark-rehype', 'rehype-slug', 'rehype-stringify', 'micromark',
  'micromark-extension-gfm', 'mdast-util-from-markdown', 'mdast-util-gfm', 'mdast-util-to-hast', 'hast-util-raw',
  'hast-util-to-html', 'hast-util-to-string', 'mdast-util-to-string', 'github-slugger',
  // The feed's absolutized HTML is cached too (site/absolute-urls.ts).
  'hast-util-from-html', 'parse5',
];

let codeSalt: string | undefined;

/**
 * Everything besides a post's body that decides its rendered HTML: the markdown options, blogbuild's version,
 * the markdown plugins' versions, and a hash of blogbuild's own markdown modules (so a development build with
 * changed plugin code but the same version number does not reuse old results).
 */
export function markdownCacheSalt(options: Required<MarkdownOptions>): string {
  codeSalt ??= computeCodeSalt();
  return JSON.stringify({ format: 1, version, rawHtml: options.rawHtml, tagfilter: options.tagfilter, basePath: options.basePath, code: codeSalt });
}

function computeCodeSalt(): string {
  const hash = createHash('sha1');
  const here = path.dirname(fileURLToPath(import.meta.url));
  hash.update(hashCodeFolder('markdown'));
  // The feed's absolutized HTML is cached as well; its code is part of the salt too.
  const absoluteUrls = ['absolute-urls.js', 'absolute-urls.ts'].map((name) => path.join(here, '..', 'site', name)).find((file) => fs.existsSync(file));
  hash.update(absoluteUrls ? fs.readFileSync(absoluteUrls) : 'no-absolute-urls');
  for (const name of markdownPackages) hash.update(`${name}@${packageVersion(name, here)};`);
  return hash.digest('hex');
}

/** The installed version of a package, found by walking up node_modules folders (exports maps may hide package.json). */
function packageVersion(name: string, from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      return (JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      // Not here; look one folder up.
    }
    if (path.dirname(dir) === dir) return 'missing';
  }
}

let renderCodeSalt: string | undefined;

/**
 * Everything besides a page's context that decides its HTML: every template and partial source, the Handlebars
 * version, blogbuild's version and render code (helpers), the resolved config (helpers read it) and the
 * process's default time zone and locale (a Date in front matter prints in the default zone).
 */
export function renderCacheSalt(theme: { pages: Record<string, { source: string }>; partials: Map<string, { source: string }> }, config: unknown, handlebarsVersion: string): string {
  renderCodeSalt ??= hashCodeFolder('render');
  const hash = createHash('sha1');
  hash.update(JSON.stringify({ format: 1, version, handlebarsVersion, code: renderCodeSalt, config, intl: Intl.DateTimeFormat().resolvedOptions(), tz: process.env.TZ ?? null }));
  for (const [name, page] of Object.entries(theme.pages).sort(([a], [b]) => a.localeCompare(b))) hash.update(`\0page ${name}\0`).update(page.source);
  for (const [name, partial] of [...theme.partials].sort(([a], [b]) => a.localeCompare(b))) hash.update(`\0partial ${name}\0`).update(partial.source);
  return hash.digest('hex');
}

/**
 * A hash of blogbuild's own modules in one folder of src/ (or lib/), e.g. `markdown`: caches salted with it are
 * invalidated by changed code even when the version number stays the same (development builds).
 */
export function hashCodeFolder(folder: string): string {
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', folder);
  const hash = createHash('sha1');
  try {
    for (const name of fs.readdirSync(dir).sort()) {
      if (/\.(js|ts)$/.test(name) && !name.endsWith('.d.ts')) hash.update(name).update(fs.readFileSync(path.join(dir, name)));
    }
  } catch {
    hash.update(`no-${folder}-folder`);
  }
  return hash.digest('hex');
}
