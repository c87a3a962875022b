/** The catalogue's codes for markdown, templates, output paths, feeds and `blogbuild check` (exit 1). See codes.ts. */
import { define } from './define.js';

type SyntaxProblem =
  | { problem: 'mismatch'; open: string; close: string }
  | { problem: 'parse'; unexpected?: string }
  | { problem: 'other'; reason: string };

type RenderProblem =
  | { problem: 'missing-helper'; reason: string; name: string }
  | { problem: 'missing-partial'; reason: string; name: string }
  | { problem: 'other'; reason: string };

type FilteredProblem =
  | { problem: 'gfm-embed'; tag: string }
  | { problem: 'closing'; tag: string; name: string }
  | { problem: 'opening'; tag: string; name: string };

/** A link, image or anchor that `check` found wrong. `pages` lists where, when the source file is unknown. */
export interface ReferenceProblem {
  url: string;
  problem: 'outside' | 'missing' | 'anchor';
  /** The site's base path, e.g. `/blog/`. */
  basePath: string;
  /** The missing #fragment, for `anchor`. */
  fragment?: string;
  /** The pages holding the reference, when it is not located in a post. */
  pages?: readonly string[];
  /** Whether the reference was located in a post's markdown (else it comes from a template). */
  isInPost: boolean;
}

function describePages(pages: readonly string[]): string {
  const sorted = [...pages].sort();
  if (sorted.length <= 3) return sorted.join(', ');
  return `${sorted.length} pages: ${sorted.slice(0, 2).join(', ')}, …`;
}

function referenceMessage(what: string, a: ReferenceProblem): string {
  const detail = a.problem === 'outside' ? `is outside the site's base path ${a.basePath}`
    : a.problem === 'anchor' ? `has no element with id "${a.fragment}"`
      : what === 'image' ? 'does not exist' : 'points to no page or file';
  return `${what} ${a.url} ${detail}${a.pages ? ` (in ${describePages(a.pages)})` : ''}`;
}

const outsideHint = (a: ReferenceProblem) =>
  `write site links from the root (/posts/…) in posts, or with the {{url "…"}} helper in templates, so ${a.basePath} is added`;

export const outputCodes = {
  MarkdownFailed: define({
    kind: 'content',
    title: 'Markdown could not be rendered',
    message: (a: { reason: string }) => `markdown could not be rendered: ${a.reason}`,
    hint: 'the markdown plugins failed on this post; run with --debug for the cause, and report it if the post is plain markdown',
  }),
  RawHtmlFiltered: define({
    kind: 'content',
    title: 'Raw HTML tag shown as text by the tag filter',
    message: (a: FilteredProblem) => {
      switch (a.problem) {
        case 'gfm-embed':
          return `raw HTML \`${a.tag}\` is shown as text: \`markdown.tagfilter\` is "gfm", which escapes GitHub's whole list of tags`;
        case 'closing':
          return `raw HTML \`${a.tag}\` is shown as text, like the \`<${a.name}>\` tags it closes`;
        case 'opening':
          return `raw HTML \`${a.tag}\` is shown as text: a browser would read the rest of the page as the \`<${a.name}>\` element's text, up to a closing tag that may never come`;
      }
    },
    hint: (a) => (a.problem === 'gfm-embed'
      ? `to keep \`<script>\`, \`<style>\` and \`<iframe>\` as HTML, set \`markdown.tagfilter\` to "safe"; to show the tag, write it as code in backticks: \`${a.tag}\``
      : `to show the tag, write it as code in backticks: \`${a.tag}\`; to keep it as HTML, set \`markdown.tagfilter\` to false`),
  }),
  TemplateSyntax: define({
    kind: 'content',
    title: 'Template cannot be compiled',
    message: (a: SyntaxProblem) => {
      switch (a.problem) {
        case 'mismatch':
          return `template syntax error: {{#${a.open}}} is closed by {{/${a.close}}}`;
        case 'parse':
          return `template syntax error${a.unexpected ? `: unexpected ${a.unexpected === 'INVALID' ? 'text inside {{ }}' : a.unexpected}` : ''}`;
        case 'other':
          return `template syntax error: ${a.reason}`;
      }
    },
    hint: (a) => (a.problem === 'mismatch' ? `close the block with {{/${a.open}}}, or open a {{#${a.close}}} block before it`
      : 'check that every {{ has a matching }} and every {{#block}} its {{/block}}'),
  }),
  TemplateRender: define({
    kind: 'content',
    title: 'Template failed while rendering',
    message: (a: RenderProblem) => `template failed: ${a.reason}`,
    hint: (a) => {
      if (a.problem === 'missing-partial') return `create partials/${a.name}.hbs or fix the partial's name`;
      if (a.problem === 'missing-helper') return 'built-in helpers are url, absUrl, formatDate, eq, json; check the spelling';
      return 'check the values the template uses on this page; run with --debug for the cause';
    },
  }),
  TemplateNotFound: define({
    kind: 'content',
    title: 'Template not found',
    message: (a: { problem: 'page' | 'partial'; name: string }) =>
      (a.problem === 'page' ? `template ${a.name}.hbs is missing from the theme` : `partial \`${a.name}\` is not in the theme: there is no partials/${a.name}.hbs`),
    hint: (a) => (a.problem === 'page' ? `add ${a.name}.hbs to your templates folder, or delete the override so the built-in one is used`
      : `create templates/partials/${a.name}.hbs, or fix the name (the built-in partials are in blogbuild's templates/partials/)`),
  }),
  DuplicateOutputPath: define({
    kind: 'content',
    title: 'Two files would be written to the same path',
    message: (a: { path: string; first?: string; second?: string }) =>
      `${a.path} would be written twice: by ${a.first ?? 'a generated page'} and by ${a.second ?? 'a generated page'}`,
    hint: 'rename or remove one of them',
  }),
  FeedWithoutUrl: define({
    kind: 'content',
    title: 'Feed and sitemap have no absolute URLs',
    message: 'no `url` is configured, so the feed and sitemap use root-relative links',
    hint: 'set `url` in blogbuild.config.json or pass --url https://example.org/ when building for publishing',
  }),
  LinkBroken: define({
    kind: 'content',
    title: 'Internal link points to no page',
    message: (a: ReferenceProblem) => referenceMessage('link to', a),
    hint: (a) => (a.problem === 'outside' ? outsideHint(a)
      : a.isInPost ? 'posts are at /posts/<slug>/, where the slug is the file name without its date; check the spelling' : 'fix the link in the template'),
  }),
  AnchorMissing: define({
    kind: 'content',
    title: 'Link points to an #anchor that is not on the page',
    message: (a: ReferenceProblem) => referenceMessage('link to', a),
    hint: (a) => (a.problem === 'outside' ? outsideHint(a) : 'headings get ids from their text (## My heading → #my-heading); check the spelling'),
  }),
  ImageMissing: define({
    kind: 'content',
    title: 'Local image does not exist',
    message: (a: ReferenceProblem) => referenceMessage('image', a),
    hint: (a) => (a.problem === 'outside' ? outsideHint(a)
      : a.isInPost ? 'put the image beside the post in a page bundle (posts/my-post/index.md + image), or under public/' : 'add the file under public/ or fix the template'),
  }),
  XmlInvalid: define({
    kind: 'content',
    title: 'Feed or sitemap is not well-formed XML',
    message: (a: { file: string; reason: string; line: number; column: number }) =>
      `${a.file} is not well-formed XML: ${a.reason} (line ${a.line}, column ${a.column})`,
    hint: 'feed readers and search engines reject the whole file; remove the character or markup the message names',
  }),
};
