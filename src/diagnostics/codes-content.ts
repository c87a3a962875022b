/** The catalogue's codes for posts (exit 1): reading them, their front matter and their fields. See codes.ts. */
import { define } from './define.js';

const unclosedHint = 'the front matter has no closing `---` line, so the whole post was read as YAML; end the front matter with a line holding only `---`';

/** A code point as `U+0007`. */
const codePointName = (code: number) => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;

/** A code point as `U+0000 (NUL)`, naming the two an author most likely meets in YAML. */
const codePointLabel = (code: number) => `${codePointName(code)}${code === 0 ? ' (NUL)' : code === 0x1b ? ' (ESC)' : ''}`;

/** What to do about a js-yaml error (`reason` is its text), in an author's words. */
function yamlHint(a: { reason: string; isClosed: boolean; key?: string }): string {
  if (!a.isClosed) return unclosedHint;
  if (/duplicated mapping key/.test(a.reason)) return `remove one of the two \`${a.key ?? 'key'}:\` lines`;
  if (/tab characters/.test(a.reason)) return 'indent with spaces, not tabs';
  if (/flow collection|flow mapping/.test(a.reason)) return 'close the list with `]` and separate items with commas, e.g. `tags: [news, recipes]`';
  if (/quoted scalar/.test(a.reason)) return 'a quoted value is missing its closing quote';
  return 'quote values that contain `: ` or start with a special character, e.g. `title: "Recipes: bread"`';
}

/** Why a data file (data/*.json, *.yaml) cannot be used. */
type DataProblem =
  | { problem: 'json'; reason?: string; fix?: string }
  | { problem: 'yaml'; reason: string }
  | { problem: 'too-large'; reason: string }
  | { problem: 'duplicate'; first: string; second: string; name: string };

type SyntaxProblem =
  | { problem: 'control-character'; codePoint: number }
  | { problem: 'colon-in-value'; key: string; value: string }
  | { problem: 'duplicate-key'; key: string; reason: string; isClosed: boolean }
  | { problem: 'unclosed-bracket'; bracket: string; reason: string; isClosed: boolean }
  | { problem: 'yaml'; reason: string; isClosed: boolean; key?: string }
  | { problem: 'import-unclosed'; fence: string }
  | { problem: 'import-unreadable'; language: string; reason: string }
  | { problem: 'toml'; reason: string }
  | { problem: 'toml-unclosed' };

type FieldProblem =
  | { problem: 'language'; language: string }
  | { problem: 'not-mapping'; isClosed: boolean }
  | { problem: 'not-text'; key: string }
  | { problem: 'not-boolean'; key: string }
  | { problem: 'read-time'; key: string }
  | { problem: 'slug-empty'; slug: string }
  | { problem: 'import-not-mapping' }
  | { problem: 'conflict'; key: string; other: string; keyLine: number; otherLine: number; meaning: string }
  | { problem: 'image-object'; key: string }
  | { problem: 'not-number'; key: string }
  | { problem: 'aliases'; reason: string }
  | { problem: 'related' }
  | { problem: 'not-names'; key: string };

type SlugProblem =
  | { problem: 'tag-path'; tag: string }
  | { problem: 'tag-too-long'; tag: string; reason: string }
  | { problem: 'slug-path'; slug: string }
  | { problem: 'url-too-long'; reason: string; isSlugSet: boolean }
  | { problem: 'output-outside'; path: string; outDir: string }
  | { problem: 'page-slug'; slug: string }
  | { problem: 'page-url-too-long'; reason: string };

export const contentCodes = {
  FrontMatterSyntax: define({
    kind: 'content',
    title: 'Front matter is not valid YAML',
    message: (a: SyntaxProblem) => {
      switch (a.problem) {
        case 'control-character':
          return `front matter contains the control character ${codePointLabel(a.codePoint)}, which YAML does not allow`;
        case 'colon-in-value':
          return `front matter is not valid YAML: the value of \`${a.key}\` contains \`: \`, which YAML reads as the start of another key`;
        case 'duplicate-key':
          return `front matter is not valid YAML: \`${a.key}\` is set twice`;
        case 'unclosed-bracket':
          return `front matter is not valid YAML: this \`${a.bracket}\` is never closed`;
        case 'yaml':
          return `front matter is not valid YAML: ${a.reason}`;
        case 'import-unclosed':
          return `the front matter opened with \`${a.fence}\` is never closed`;
        case 'import-unreadable':
          return `the front matter cannot be read as ${a.language.toUpperCase()}: ${a.reason}`;
        case 'toml':
          return `front matter is not valid TOML: ${a.reason}`;
        case 'toml-unclosed':
          return 'the TOML front matter opened with `+++` is never closed';
      }
    },
    hint: (a) => {
      switch (a.problem) {
        case 'control-character':
          return 'remove it (editors often show it as a box, `^@` or nothing at all); in a double-quoted value YAML can write it as an escape such as `\\e`';
        case 'colon-in-value':
          return `put the value in quotes: \`${a.key}: ${JSON.stringify(a.value.trim())}\``;
        case 'unclosed-bracket':
          return a.bracket === '{' ? 'close it with `}` on the same line, or write the entries as indented `key: value` lines' : yamlHint(a);
        case 'duplicate-key':
        case 'yaml':
          return yamlHint(a);
        case 'import-unclosed':
          return `end the front matter with a \`${a.fence}\` line`;
        case 'import-unreadable':
          return 'fix the front matter in the source site, then import again';
        case 'toml':
          return 'write one `key = "value"` per line between the `+++` lines; text values need quotes';
        case 'toml-unclosed':
          return 'end the front matter with a line holding only `+++`';
      }
    },
  }),
  FrontMatterInvalid: define({
    kind: 'content',
    title: 'Front matter value is invalid',
    message: (a: FieldProblem) => {
      switch (a.problem) {
        case 'language':
          return `front matter in \`${a.language}\` is not supported: blogbuild reads YAML (or JSON) front matter, and never runs code from a post`;
        case 'not-mapping':
          return 'front matter must be a set of `key: value` lines';
        case 'not-text':
          return `\`${a.key}\` must be text`;
        case 'not-boolean':
          return `\`${a.key}\` must be true or false`;
        case 'read-time':
          return `\`${a.key}\` must be a number of minutes or text such as "3 min read"`;
        case 'slug-empty':
          return `slug ${JSON.stringify(a.slug)} has no letters or digits`;
        case 'not-number':
          return `\`${a.key}\` must be a number`;
        case 'aliases':
          return a.reason;
        case 'import-not-mapping':
          return 'the front matter is not a set of `key: value` lines';
        case 'conflict':
          return `\`${a.other}\` (line ${a.otherLine}) and \`${a.key}\` (line ${a.keyLine}) both give ${a.meaning}`;
        case 'image-object':
          return `\`${a.key}\` has no \`url\`, \`src\` or \`image\` naming the picture`;
        case 'related':
          return '`related` must be a whole number of posts (0 or false: none)';
        case 'not-names':
          return `\`${a.key}\` must be a name or a list of names`;
      }
    },
    hint: (a) => {
      switch (a.problem) {
        case 'language':
          return 'remove the word after the opening `---` and write the front matter as YAML `key: value` lines';
        case 'not-mapping':
          return a.isClosed ? 'write one `key: value` per line between the `---` lines' : unclosedHint;
        case 'not-text':
          if (a.key === 'title') return 'write `title: My post`';
          if (a.key === 'slug') return 'write e.g. `slug: my-first-post`';
          return `write \`${a.key}: …\` on one line, or quote it`;
        case 'not-boolean':
          return `write \`${a.key}: true\` or remove the line`;
        case 'read-time':
          return 'write e.g. `readTime: 3` or `readTime: 3 min read`, or remove it to have it computed';
        case 'slug-empty':
          return 'use e.g. `slug: my-first-post`';
        case 'not-number':
          return a.key === 'weight' ? 'write e.g. `weight: 10`; lower weights come first in the navigation' : `write e.g. \`${a.key}: 10\``;
        case 'aliases':
          return 'write the old URLs as a list of paths: `aliases: [/old-url/, /2019/05/hello.html]`';
        case 'import-not-mapping':
          return undefined;
        case 'conflict':
          return `keep one of the two lines: blogbuild reads \`${a.other}\` as \`${a.key}\``;
        case 'image-object':
          return `write \`${a.key}: { url: photo.jpg, alt: "What it shows" }\`, or \`${a.key}: photo.jpg\``;
        case 'related':
          return 'write e.g. `related: 5`, or `related: 0` to show no related posts';
        case 'not-names':
          return `write \`${a.key}: alice\` or \`${a.key}: [alice, bob]\``;
      }
    },
  }),
  FrontMatterTooLarge: define({
    kind: 'content',
    title: 'Front matter expands beyond the size limits',
    message: (a: { reason: string; isAlias: boolean }) => `front matter ${a.reason}${a.isAlias ? ' through its aliases' : ''}`,
    hint: (a) => (a.isAlias ? 'write the values out instead of repeating aliases (`*name`) of aliases' : 'move large data out of the front matter'),
  }),
  TitleMissing: define({
    kind: 'content',
    title: 'Post has no title',
    message: (a: { isPage?: boolean }) => (a.isPage ? 'page has no title' : 'post has no title'),
    hint: 'add `title: …` to the front matter, or start the body with a `# Heading`',
  }),
  DateMissing: define({
    kind: 'content',
    title: 'Post has no date',
    message: 'post has no `date`',
    hint: 'add `date: YYYY-MM-DD` to the front matter, e.g. `date: 2024-01-31`, or start the file name with it (`2024-01-31-title.md`)',
  }),
  DateInvalid: define({
    kind: 'content',
    title: 'Date cannot be parsed',
    // `key` is the key as written: `pubDate`, `lastmod`… (content/front-matter-keys.ts); none for a file-name date.
    message: (a: { key?: string; isUpdated?: boolean; reason: string }) => `${a.key === undefined ? 'the date in the file name' : `\`${a.key}\``} is not a valid date: ${a.reason}`,
    hint: (a) => (a.key === undefined ? 'rename the file, or add `date: YYYY-MM-DD` to the front matter' : !a.isUpdated && a.key !== 'updated' ? 'use YYYY-MM-DD (e.g. 2024-01-31) or an ISO date-time with offset (e.g. 2024-01-31T09:30:00+01:00)' : 'use YYYY-MM-DD, e.g. 2024-02-15'),
  }),
  TagsInvalid: define({
    kind: 'content',
    title: 'Tags are not a list',
    message: (a: { got: string; key?: string }) => `\`${a.key ?? 'tags'}\` must be a list of names, got ${a.got}`,
    hint: 'write `tags: [news, recipes]`, a `- name` list, or a comma-separated string `tags: news, recipes`',
  }),
  SlugUnsafe: define({
    kind: 'content',
    title: 'Slug or tag would write outside the output folder',
    message: (a: SlugProblem) => {
      switch (a.problem) {
        case 'tag-path':
          return `tag ${JSON.stringify(a.tag)} is a path, so its page would be written outside the tags/ folder of the site`;
        case 'tag-too-long':
          return `tag ${JSON.stringify(a.tag.length > 40 ? `${a.tag.slice(0, 40)}…` : a.tag)} is too long: ${a.reason}`;
        case 'slug-path':
          return `\`slug\` ${JSON.stringify(a.slug)} is a path, so the post would be written outside the posts/ folder of the site`;
        case 'url-too-long':
          return `the post's URL would be too long: ${a.reason}`;
        case 'output-outside':
          return `output path ${a.path} would be written outside ${a.outDir}`;
        case 'page-slug':
          return `\`slug\` ${JSON.stringify(a.slug)} is not a URL segment`;
        case 'page-url-too-long':
          return `the page's URL would be too long: ${a.reason}`;
      }
    },
    hint: (a) => {
      switch (a.problem) {
        case 'tag-path':
          return 'use a plain name for the tag, without `..` or a leading slash';
        case 'tag-too-long':
          return 'use a shorter name for the tag';
        case 'slug-path':
          return 'use letters, digits and dashes only, e.g. `slug: my-first-post`';
        case 'url-too-long':
          return a.isSlugSet ? 'shorten the `slug:` value' : 'shorten the file name, or set a shorter `slug:` in the front matter';
        case 'output-outside':
          return 'use a plain name without `..` for the slug, tag or file that makes this path';
        case 'page-slug':
          return 'use letters, digits and dashes only, e.g. `slug: about-me`';
        case 'page-url-too-long':
          return 'use a shorter file or folder name, or a shorter `slug:`';
      }
    },
  }),
  DuplicateSlug: define({
    kind: 'content',
    title: 'Two posts have the same slug',
    message: (a: { slug: string; other: string }) => `slug "${a.slug}" is also used by ${a.other}; both would be written to posts/${a.slug}/`,
    hint: 'give one of them another file name or a `slug:` in its front matter',
  }),
  FileUnreadable: define({
    kind: 'content',
    title: 'File cannot be read',
    // Node's text ends with the call and the path (`…, open '/abs/posts/x.md'`): the location already names the file.
    message: (a: { reason: string }) => `cannot read file: ${a.reason.replace(/, \w+ '[^']*'$/, '')}`,
    hint: 'check that the file exists and that you may read it (its permissions), then build again',
  }),
  DataInvalid: define({
    kind: 'content',
    title: 'Data file cannot be read',
    message: (a: DataProblem) => {
      switch (a.problem) {
        case 'json':
          return `data file is not valid JSON${a.reason ? `: ${a.reason}` : ''}`;
        case 'yaml':
          return `data file is not valid YAML: ${a.reason}`;
        case 'too-large':
          return `data file ${a.reason}`;
        case 'duplicate':
          return `data files ${a.first} and ${a.second} both give \`data.${a.name}\``;
      }
    },
    hint: (a) => {
      switch (a.problem) {
        case 'json':
          return a.fix ?? 'check for a missing comma or quote';
        case 'yaml':
          return 'check the indentation and that a value with `: ` or `#` in it is quoted';
        case 'too-large':
          return 'write the values out instead of repeating them through aliases (*name)';
        case 'duplicate':
          return 'keep one of them, or rename one';
      }
    },
  }),
  CharacterInvalid: define({
    kind: 'content',
    title: 'Text holds a character a web page cannot hold',
    message: (a: { codePoint: number; key?: string }) =>
      `${a.key === undefined ? 'the post' : `\`${a.key}\``} holds the control character ${codePointName(a.codePoint)}, which a web page cannot hold; it is left out of the pages and feeds`,
    hint: (a) => (a.key === undefined ? 'remove it (editors often show it as a box or nothing at all)' : 'remove it; in a double-quoted value, look for escapes such as `\\0` or `\\x05`'),
  }),
  PostSkipped: define({
    kind: 'content',
    title: 'File in the posts folder is not read as a post',
    message: (a: { extension: string }) => `${a.extension} files are not read as posts, so this one is not on the site`,
    hint: 'blogbuild reads markdown posts (.md, .markdown, .mdown, .mkd): rename it if it is markdown, convert it to markdown, or move it out of the posts folder',
  }),
  ForeignTemplateSyntax: define({
    kind: 'content',
    title: "Another generator's template tag in a post",
    message: (a: { tag: string; isHugo: boolean; isCode?: boolean; isPaired?: boolean }) =>
      `\`${a.tag}\` is ${a.isHugo ? 'a Hugo shortcode' : 'a Liquid tag (Jekyll, Eleventy)'}, which blogbuild does not run: ${
        a.isCode ? 'its block is shown as code' : a.isPaired ? 'it is shown as text, and raw HTML up to its closing tag as text too' : 'it is shown as text'}`,
    hint: (a) => `run \`blogbuild import ${a.isHugo ? 'hugo' : '<jekyll|eleventy>'} <old-site> --out <new-blog>\` to convert the posts, or write it in markdown; ` +
      `to show it as it is without a warning, put it in backticks or write \`\\${a.tag.startsWith('{%') ? '{%' : a.tag.slice(0, 3)}\``,
  }),
  PostLinkBroken: define({
    kind: 'content',
    title: 'Link to a markdown file that is no published post or page',
    message: (a: { href: string; problem: 'missing'; target: string } | { href: string; problem: 'unpublished'; isDraft: boolean }) =>
      a.problem === 'missing' ? `\`${a.href}\` links to no post or page: there is no ${a.target} in the posts folder, and no page at that path`
        : `\`${a.href}\` links to ${a.isDraft ? 'a draft' : 'a scheduled post'}, whose page is not on the site yet`,
    hint: (a) => (a.problem === 'missing' ? 'the path is relative to this post\'s file; fix it, or link to the page\'s URL instead'
      : a.isDraft ? 'publish it (remove `draft: true`) or remove the link' : 'the link works once that post is published'),
  }),
  SymlinkSkipped: define({
    kind: 'content',
    title: 'Symbolic link not followed',
    message: (a: { reason: string }) => `symbolic link skipped: ${a.reason}`,
    hint: 'blogbuild follows links to files inside the blog only; copy the file or folder here instead of linking to it',
  }),
};
