import { createHash } from 'node:crypto';
import type { MarkdownLimits } from '../markdown/markdown-limits.js';
import type { MarkdownOptions, PluginDescription } from '../markdown/processor.js';
import { codeSalt, moduleIdentity } from './code-salt.js';

/**
 * Everything besides a post's body that decides its rendered HTML: the markdown options, the plugins (each one's
 * module identity, see moduleIdentity, and options) and the code salt (blogbuild's modules and version, and the
 * versions of the packages it uses).
 */
export function markdownCacheSalt(options: Required<MarkdownOptions>, limits?: Pick<MarkdownLimits, 'maxDepth' | 'maxBytes'>): string {
  const plugins = (list: readonly PluginDescription[]) => list.map(({ specifier, options }) => [specifier, moduleIdentity(specifier), options ?? null]);
  return JSON.stringify({
    format: 4,
    rawHtml: options.rawHtml,
    highlight: options.highlight,
    tagfilter: options.tagfilter,
    basePath: options.basePath,
    remarkPlugins: plugins(options.remarkPlugins),
    rehypePlugins: plugins(options.rehypePlugins),
    // A post beyond a lowered limit must fail, not come from the cache. (The time budget decides nothing cached.)
    limits: limits ? [limits.maxDepth, limits.maxBytes] : null,
    code: codeSalt(),
  });
}

/**
 * Everything besides a page's context that decides its HTML: every template and partial source, the code salt
 * (blogbuild's modules, helpers included, and the Handlebars version among the packages'), the resolved config
 * (helpers read it) and the process's default time zone and locale (a Date in front matter prints in the default
 * zone).
 */
export function renderCacheSalt(theme: { pages: Record<string, { source: string }>; partials: Map<string, { source: string }> }, config: unknown): string {
  const hash = createHash('sha1');
  hash.update(JSON.stringify({ format: 2, code: codeSalt(), config, intl: Intl.DateTimeFormat().resolvedOptions(), tz: process.env.TZ ?? null }));
  for (const [name, page] of Object.entries(theme.pages).sort(([a], [b]) => a.localeCompare(b))) hash.update(`\0page ${name}\0`).update(page.source);
  for (const [name, partial] of [...theme.partials].sort(([a], [b]) => a.localeCompare(b))) hash.update(`\0partial ${name}\0`).update(partial.source);
  return hash.digest('hex');
}
