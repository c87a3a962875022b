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
  const plugins = (list: readonly PluginDescription[]) => list.map(({ specifier, options, fromConfig, identity }) => [fromConfig ? 'config' : specifier, identity ?? moduleIdentity(specifier), options ?? null]);
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
 * (helpers read it; the config's own helpers by their source), the data files and the process's default time zone and locale (a Date in front matter prints in the default
 * zone).
 */
export function renderCacheSalt(theme: { pages: Record<string, { source: string }>; partials: Map<string, { source: string }> }, config: unknown, dataFiles: readonly { file: string; text: string }[] = []): string {
  const hash = createHash('sha1');
  // The config's helpers are functions: their source stands for them.
  const configText = JSON.stringify(config, (_key, value: unknown) => (typeof value === 'function' ? `function ${String(value)}` : value));
  hash.update(JSON.stringify({ format: 2, code: codeSalt(), config: configText, intl: Intl.DateTimeFormat().resolvedOptions(), tz: process.env.TZ ?? null }));
  for (const { file, text } of dataFiles) hash.update(`\0data ${file}\0`).update(text);
  for (const [name, page] of Object.entries(theme.pages).sort(([a], [b]) => a.localeCompare(b))) hash.update(`\0page ${name}\0`).update(page.source);
  for (const [name, partial] of [...theme.partials].sort(([a], [b]) => a.localeCompare(b))) hash.update(`\0partial ${name}\0`).update(partial.source);
  return hash.digest('hex');
}
