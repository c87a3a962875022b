/** The catalogue's codes for markdown, templates, output paths, feeds and `blogbuild check` (exit 1). See codes.ts. */
import { define } from './define.js';

type SyntaxProblem =
  | { problem: 'mismatch'; open: string; close: string }
  | { problem: 'parse'; unexpected?: string }
  | { problem: 'other'; reason: string };

type RenderProblem =
  | { problem: 'missing-helper'; reason: string; name: string }
  | { problem: 'helper-failed'; reason: string; name: string }
  | { problem: 'missing-partial'; reason: string; name: string }
  | { problem: 'other'; reason: string };

type FilteredProblem =
  | { problem: 'gfm-embed'; tag: string }
  | { problem: 'closing'; tag: string; name: string }
  | { problem: 'opening'; tag: string; name: string };

/** A post beyond one of `markdown.limits` (see markdown/markdown-limits.ts): the value found and the limit. */
export interface TooComplexProblem {
  problem: 'depth' | 'stack' | 'bytes' | 'time' | 'slow' | 'unguarded' | 'memory';
  /** For `slow`, the milliseconds it took; for `unguarded`, its depth (with `construct`) or its estimated milliseconds. */
  found: number;
  limit: number;
  /** What is nested (`blockquotes and lists`, `brackets`), for depth, stack and a deep `unguarded`. */
  construct: string;
  /** What the markdown is the body of. @default 'post' */
  of?: 'post' | 'page';
}

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
    /** `where`: the config's place of the plugin that failed (`markdown.rehypePlugins[0]`), when it was one of the config's. */
    message: (a: { reason: string; where?: string }) => `markdown could not be rendered: ${a.reason}`,
    hint: (a) => (a.where ? `fix the plugin or the post, or take the plugin out of ${a.where} in the config; --debug prints its stack`
      : 'the markdown plugins failed on this post; run with --debug for the cause, and report it if the post is plain markdown'),
  }),
  MarkdownTooComplex: define({
    kind: 'content',
    title: 'Markdown is too deep, too large or too slow to render',
    message: (a: TooComplexProblem) => {
      const of = a.of ?? 'post';
      switch (a.problem) {
        case 'depth':
          return `${a.construct} are nested ${a.found} deep, beyond the limit of ${a.limit} (\`markdown.limits.maxDepth\`)`;
        case 'stack':
          return `the ${of} is nested too deeply to render: the parser ran out of stack${a.found > 1 ? ` (${a.construct} are nested ${a.found} deep here)` : ''}`;
        case 'bytes':
          return `the ${of}'s body is ${a.found.toLocaleString('en')} bytes, beyond the limit of ${a.limit.toLocaleString('en')} (\`markdown.limits.maxBytes\`)`;
        case 'time':
          return `rendering took longer than the time budget of ${a.limit.toLocaleString('en')} ms (\`markdown.limits.timeBudgetMs\`) and was stopped`;
        case 'slow':
          return `rendering took ${a.found.toLocaleString('en')} ms, longer than the time budget of ${a.limit.toLocaleString('en')} ms (\`markdown.limits.timeBudgetMs\`)`;
        case 'unguarded':
          return `the ${of} was not rendered: no worker thread could start to stop it at the time budget of ${a.limit.toLocaleString('en')} ms (\`markdown.limits.timeBudgetMs\`), and ${a.construct ? `with ${a.construct} nested ${a.found} deep` : `at up to ~${a.found.toLocaleString('en')} ms`} it may overrun it`;
        case 'memory':
          return `rendering needed more than the ${a.found} MB a markdown worker may use, and was stopped`;
      }
    },
    hint: (a) => {
      const of = a.of ?? 'post';
      const raise = (key: string, example: number) => `if the ${of} really needs it, raise \`markdown.limits.${key}\` in the config (e.g. ${example})`;
      switch (a.problem) {
        case 'depth':
          return `${a.construct === 'brackets' ? 'close the brackets, or escape the ones that are text as \\[' : 'nest less deeply (a nested list or quote rarely needs more than a few levels)'}; ${raise('maxDepth', a.limit * 2)}`;
        case 'stack':
          return 'nest less deeply: deep raw HTML or deeply nested markdown; `markdown.limits.maxDepth` stops such posts before they are parsed';
        case 'bytes':
          return `split it into several ${of}s, or move large data out of it; ${raise('maxBytes', a.limit * 2)}`;
        case 'time':
          return `look for deeply nested or long runs of brackets, emphasis or lists; ${raise('timeBudgetMs', a.limit * 3)}`;
        case 'slow':
          return `look for long runs of links, brackets or emphasis, or a slow markdown plugin; ${raise('timeBudgetMs', a.limit * 3)}`;
        case 'unguarded':
          return `run with --debug to see why the worker failed (often too little memory); or split the ${of}, or nest less deeply`;
        case 'memory':
          return `split the ${of}, or look for deeply nested or long runs of brackets, emphasis or lists`;
      }
    },
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
  UnsafeUrlDropped: define({
    kind: 'content',
    title: 'URL that could run script dropped',
    /** `what`: `link`, `image`, or the element; `attribute`: the one that held the URL (`href`, `src`…). */
    message: (a: { scheme: string; what: string; attribute: string }) =>
      `the ${a.what}'s \`${a.scheme}:\` URL was dropped${a.what === 'image' ? ' (its alt text is shown)' : ''}: \`markdown.rawHtml\` is false, and a \`${a.scheme}:\` URL could run script in the page`,
    hint: (a) => (a.what === 'image'
      ? 'use an http(s) URL, a relative path or a PNG, GIF, JPEG, WebP or AVIF data: URL; for posts you trust, set `markdown.rawHtml` to true to keep URLs as written'
      : 'use an http(s), mailto: or tel: URL, or a relative one; for posts you trust, set `markdown.rawHtml` to true to keep URLs as written'),
  }),
  CodeLanguageUnknown: define({
    kind: 'content',
    title: 'Code block language cannot be highlighted',
    message: (a: { language: string }) => `code block language \`${a.language}\` is not one blogbuild can highlight, so the block is shown as plain code`,
    hint: 'check the spelling after the opening fence (e.g. `js`, `ts`, `sh`, `py`, `yaml`, `html`, `diff`), or write `text` for code that needs no colours',
  }),
  TemplateSyntax: define({
    kind: 'content',
    title: 'Template cannot be compiled',
    // `partial`: a partial written in the config, whose lines are not the config file's, so the message names it.
    message: (a: SyntaxProblem & { partial?: string }) => {
      const prefix = a.partial ? `partial \`${a.partial}\` of the config: ` : '';
      switch (a.problem) {
        case 'mismatch':
          return `${prefix}template syntax error: {{#${a.open}}} is closed by {{/${a.close}}}`;
        case 'parse':
          return `${prefix}template syntax error${a.unexpected ? `: unexpected ${a.unexpected === 'INVALID' ? 'text inside {{ }}' : a.unexpected}` : ''}`;
        case 'other':
          return `${prefix}template syntax error: ${a.reason}`;
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
      if (a.problem === 'helper-failed') return `fix the helper ${a.name} in the config, or the arguments given to it here; run with --debug for its stack`;
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
    message: (a: { path: string; first?: string; second?: string } | { problem: 'route'; what: string; path: string; other: string; isAlias: boolean }) =>
      ('problem' in a ? `${a.what} would be written to ${a.path}, where ${a.other} is written too`
        : `${a.path} would be written twice: by ${a.first ?? 'a generated page'} and by ${a.second ?? 'a generated page'}`),
    hint: (a) => (!('problem' in a) ? 'rename or remove one of them'
      : a.isAlias ? 'remove this alias, or move what is at that path' : 'rename the page (its file name or `slug:`), or move what is at that path'),
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
