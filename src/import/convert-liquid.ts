import { type BodyText, fenceInPlace, labelledQuote, capitalize } from './body-text.js';

/** What body conversions look up: other posts' new URLs and include files. */
export interface BodyContext {
  /** The new URL path of the post a reference names (`2020-01-02-hello`, `_posts/x.md`, `other.md#part`), if any. */
  resolvePost(ref: string): string | undefined;
  /** The text of an include file, if it exists and holds no template code. */
  readInclude(name: string): string | undefined;
}

const tag = (body: string) => new RegExp(`\\{%-?\\s*${body}\\s*-?%\\}`, 'g');

/**
 * Converts the Liquid (and Nunjucks) tags of a Jekyll or Eleventy post: `raw`, `highlight`, `post_url`, `link`,
 * `include` of a plain file, `{{ site.baseurl }}` and `relative_url`. Every other tag is reported with its line.
 */
export function convertLiquid(body: BodyText, context: BodyContext): void {
  body.replace(new RegExp(`${tag('raw').source}([\\s\\S]*?)${tag('endraw').source}`, 'g'), '{% raw %} → text', (m) => body.hold(m[1]!));
  body.replace(
    new RegExp(`${tag('highlight\\s+["\']?([\\w+#.-]+)["\']?([^%]*)').source}([\\s\\S]*?)${tag('endhighlight').source}`, 'g'),
    '{% highlight %} → fenced code',
    (m) => body.hold(fenceInPlace(m, m[1]!, m[3]!)),
  );
  body.replace(/\{%-?\s*(post_url|link)\s+([^\s%]+)\s*-?%\}/g, '{% post_url %}/{% link %} → post URL', (m) => {
    const url = context.resolvePost(m[2]!);
    // `{% link %}` may also name a page or a file, which keep their paths as root-relative links.
    return url ?? (m[1] === 'link' && !m[2]!.startsWith('_posts/') ? `/${m[2]!.replace(/^\/+/, '').replace(/\.(md|markdown|html)$/, '/')}` : undefined);
  }, (m) => `${m[0]}: no post ${m[2]} in the site`);
  body.replace(/\{%-?\s*include\s+["']?([\w./-]+)["']?([^%]*?)-?%\}/g, '{% include %} → its text', (m) => {
    if (m[2]!.trim()) return undefined; // parameters make it a template
    return context.readInclude(m[1]!);
  }, (m) => `${m[0].trim()}: the include takes parameters or holds template code`);
  body.replace(/\{\{-?\s*site\.baseurl\s*-?\}\}/g, '{{ site.baseurl }} → root-relative link', () => '');
  body.replace(/\{\{-?\s*["']([^"']*)["']\s*\|\s*(relative_url|absolute_url|url)\s*-?\}\}/g, '| relative_url → root-relative link', (m) => m[1]!);
  convertContainers(body);
  body.report(/\{%-?[\s\S]*?-?%\}|\{\{-?[\s\S]*?-?\}\}/g, 'template tag', (m) => `${oneLine(m[0])} has no markdown form; left as text`);
}

/**
 * Admonitions that have a markdown form (a blockquote with a bold label): `:::note … :::` containers
 * (markdown-it-container, remark-directive) and GitHub alerts (`> [!NOTE]`).
 */
export function convertContainers(body: BodyText): void {
  body.replace(/^:::\s*(\w+)[^\n]*\n([\s\S]*?)^:::[ \t]*$/gm, ':::container → blockquote', (m) => labelledQuote(capitalize(m[1]!), m[2]!));
  body.replace(/^>[ \t]*\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*$/gim, 'alert → blockquote', (m) => `> **${capitalize(m[1]!)}**\\`);
}

/** A construct on one line for the report, cut at 80 characters. */
export function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 79)}…` : flat;
}
