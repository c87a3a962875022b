/** The catalogue's usage codes (exit 2): flags, the config file, folders, the output folder and the cache. See codes.ts. */
import { define } from './define.js';

/** A config value as the user wrote it: `string "x"`, `7`, `a list`, `nothing`. */
function describeValue(value: unknown): string {
  if (value === undefined || value === null) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `${typeof value === 'number' ? '' : `${typeof value} `}${JSON.stringify(value)}`;
}

function article(type: string): string {
  if (type === 'int') return 'a whole number';
  if (type === 'object') return 'an object';
  return `a ${type}`;
}

/** What a config value needs, by key. */
const valueHints: Record<string, string> = {
  url: 'use the plain address the site is published at, starting with https://, e.g. "https://example.org/blog/" (no user:password@, ?query or #fragment)',
  timezone: 'use an IANA name such as "UTC", "Europe/Paris" or "America/New_York"',
  language: 'use a language tag such as "en", "en-GB" or "fr"',
  postsPerPage: 'use a whole number of at least 1, e.g. 10',
  'feed.items': 'use a whole number of at least 1, e.g. 20',
  readingSpeed: 'use words per minute, e.g. 230',
  'markdown.limits.maxDepth': 'use a whole number of at least 1, e.g. 100',
  'markdown.limits.maxBytes': 'use a whole number of bytes, e.g. 2000000',
  'markdown.limits.timeBudgetMs': 'use a whole number of milliseconds, e.g. 10000',
  'permalinks.post': 'write a path with :slug and, if you like, :year, :month and :day, e.g. "/:year/:month/:slug/"',
  'permalinks.tag': 'write a path with :slug that posts do not use, e.g. "/topics/:slug/"',
  'permalinks.page': 'write a path with :path (folders and name) or :slug (name), e.g. "/:path/" or "/pages/:slug/"',
  'markdown.tagfilter': 'use "safe" (escape the tags that hide the rest of a post), "gfm" (GitHub\'s whole list, <script>, <style> and <iframe> too) or false (none)',
};

/** Why a config value is refused, from its schema check. */
type ValueProblem =
  | { problem: 'custom'; text: string }
  | { problem: 'type'; expected: string }
  | { problem: 'empty' }
  | { problem: 'too-small'; minimum: string; isExclusive: boolean }
  | { problem: 'other'; text: string };

function valueWhy(a: ValueProblem & { value: unknown }): string {
  switch (a.problem) {
    case 'custom':
      return `${JSON.stringify(a.value)} ${a.text}`;
    case 'type':
      return `must be ${article(a.expected)}, got ${describeValue(a.value)}`;
    case 'empty':
      return 'must not be empty';
    case 'too-small':
      return `must be at least ${a.minimum}${a.isExclusive ? ' (exclusive)' : ''}, got ${describeValue(a.value)}`;
    case 'other':
      return `is invalid: ${a.text}`;
  }
}

type ConfigProblem =
  | { problem: 'unreadable'; reason: string }
  | { problem: 'no-default-export' }
  | { problem: 'js-syntax'; reason: string }
  | { problem: 'js-threw'; reason: string }
  | { problem: 'json-syntax'; reason: string; fix?: string }
  | { problem: 'not-object'; value: unknown }
  | { problem: 'plugin-missing'; where: string; specifier: string; packageName?: string }
  | { problem: 'plugin-options'; where: string; specifier: string }
  | { problem: 'theme-missing'; theme: string; isPackageName: boolean }
  | { problem: 'nav-unknown'; entry: string; known: readonly string[] }
  | ({ key: string; value: unknown; suggestion?: string } & ValueProblem);

type UsageProblem =
  | { problem: 'url-flag'; url: string; reason?: string; /** Where the URL came from: `BLOGBUILD_URL`. @default "--url" */ from?: string }
  | { problem: 'generator-unknown'; generator: string; known: readonly string[] }
  | { problem: 'import-source-missing'; generator: string }
  | { problem: 'import-into-source' }
  | { problem: 'import-target-not-empty'; entries: number };

type OverlapProblem =
  | { problem: 'output-holds-source'; folder: string }
  | { problem: 'output-inside-source'; folder: string }
  | { problem: 'public-holds'; publicDir: string; what: string };

export const configCodes = {
  ConfigNotFound: define({
    kind: 'usage',
    title: 'Config file not found',
    message: (a: { path: string }) => `config file ${a.path} does not exist`,
    hint: 'check the --config path, or leave it out to use blogbuild.config.json in the current folder',
  }),
  ConfigInvalid: define({
    kind: 'usage',
    title: 'Config file is invalid',
    message: (a: ConfigProblem) => {
      if ('key' in a) return `\`${a.key}\` ${valueWhy(a)}`;
      switch (a.problem) {
        case 'unreadable':
          return `config file cannot be read: ${a.reason}`;
        case 'no-default-export':
          return 'config file has no default export object, so there are no settings to read';
        case 'js-syntax':
          return `config file is not valid JavaScript: ${a.reason}`;
        case 'js-threw':
          return `config file threw an error while loading: ${a.reason}`;
        case 'json-syntax':
          return `config file is not valid JSON: ${a.reason}`;
        case 'not-object':
          return `config must be an object of settings, got ${describeValue(a.value)}`;
        case 'plugin-missing':
          return `\`${a.where}\` names ${a.packageName ? 'the package' : 'the file'} ${a.specifier}, which is not installed`;
        case 'plugin-options':
          return `\`${a.where}\` has options that cannot be sent to the worker threads (a function or class instance)`;
        case 'theme-missing':
          return `\`theme\` names ${a.theme}, which is neither a folder of the blog nor an installed package`;
        case 'nav-unknown':
          return `\`nav\` lists ${JSON.stringify(a.entry)}, which is no page of the pages folder`;
      }
    },
    hint: (a) => {
      if ('key' in a) return a.suggestion ? `did you mean "${a.suggestion}"?` : valueHints[a.key];
      switch (a.problem) {
        case 'unreadable':
          return undefined;
        case 'no-default-export':
          return 'write `export default { title: "My Blog" }`, or `export default defineConfig({ … })` with defineConfig from \'blogbuild\'';
        case 'js-syntax':
          return 'fix the JavaScript syntax here; often a comma or bracket is missing on this line or the one before';
        case 'js-threw':
          return 'fix the error in the config module; run with --debug for the stack';
        case 'json-syntax':
          return a.fix ?? 'check for a missing comma or quote, or a trailing comma before } or ]';
        case 'not-object':
          return 'write e.g. { "title": "My Blog" }';
        case 'plugin-missing':
          return a.packageName ? `install it in the blog's folder: npm install --save-dev ${a.packageName}` : 'check the path; it is relative to the config file';
        case 'plugin-options':
          return `in a JS config, import the plugin and write [plugin, options] instead of its name: ${a.specifier}`;
        case 'theme-missing':
          return a.isPackageName ? `install it (npm install ${a.theme}) or give the path of a folder holding templates/, e.g. "./themes/${a.theme}"` : 'check the path; it is relative to the blog\'s folder';
        case 'nav-unknown':
          return a.known.length > 0 ? `list pages by their path: ${a.known.map((key) => `"${key}"`).join(', ')}`
            : 'add the page to the pages folder (e.g. pages/about.md for "about"), or remove the entry';
      }
    },
  }),
  ConfigUnknownKey: define({
    kind: 'usage',
    title: 'Unknown config key',
    message: (a: { key: string; suggestion?: string; known: readonly string[] }) => `unknown config key \`${a.key}\``,
    hint: (a) => (a.suggestion ? `did you mean \`${a.suggestion}\`?` : `remove it; known keys are: ${a.known.join(', ')}`),
  }),
  PostsFolderMissing: define({
    kind: 'usage',
    title: 'Posts folder not found',
    message: (a: { isFile: boolean }) => (a.isFile ? 'the posts folder is a file, not a folder' : 'the posts folder does not exist'),
    hint: 'create the folder and put your markdown posts in it, run blogbuild in your blog\'s folder, or pass --posts DIR',
  }),
  TemplatesFolderMissing: define({
    kind: 'usage',
    title: 'Templates folder not found',
    message: 'the templates folder does not exist',
    hint: 'check the --templates path, or leave it out to use the built-in theme',
  }),
  UsageInvalid: define({
    kind: 'usage',
    title: 'Invalid command-line usage',
    message: (a: UsageProblem) => {
      switch (a.problem) {
        case 'url-flag':
          return `${a.from ?? '--url'} ${JSON.stringify(a.url)} ${a.reason ?? 'is not an absolute http(s) URL'}`;
        case 'generator-unknown':
          return `\`${a.generator}\` is not a generator blogbuild imports from`;
        case 'import-source-missing':
          return 'the site folder does not exist';
        case 'import-into-source':
          return 'the blog folder is inside the site being imported, and import never writes into its source';
        case 'import-target-not-empty':
          return `the blog folder is not empty (it holds ${a.entries} ${a.entries === 1 ? 'entry' : 'entries'}), and import would overwrite files in it`;
      }
    },
    hint: (a) => {
      switch (a.problem) {
        case 'url-flag':
          return `pass the address the site is published at, e.g. ${a.from === 'BLOGBUILD_URL' ? 'BLOGBUILD_URL=' : '--url '}https://example.org/blog/`;
        case 'generator-unknown':
          return `use one of: ${a.known.join(', ')}`;
        case 'import-source-missing':
          return `pass the folder of your ${a.generator} site`;
        case 'import-into-source':
          return 'pass --out with a folder outside the site, e.g. --out ../my-blog';
        case 'import-target-not-empty':
          return 'pass --out with a new or empty folder, or --force to write into it anyway (files with the same names are replaced)';
      }
    },
  }),
  OutputFailed: define({
    kind: 'usage',
    title: 'Output folder cannot be written',
    message: (a: { reason: string; isPartial: boolean; errno?: string }) =>
      `cannot write the output folder: ${a.reason}${a.isPartial ? '; the output folder holds part of the new site' : '; it was left as it was'}`,
    hint: (a) => {
      if (a.isPartial) return 'free space or fix the permissions, then run blogbuild again: it finishes the write first';
      // A file where a folder goes, or the other way round: a static file named like a folder of pages.
      if (a.errno === 'EISDIR' || a.errno === 'ENOTDIR' || a.errno === 'EEXIST') {
        return 'a file and a folder of the site have the same name (often a file in public/ named like a folder of pages, such as public/posts); rename one of them';
      }
      return 'check that the output folder is writable and the disk is not full';
    },
  }),
  OutputFolderForeign: define({
    kind: 'usage',
    title: 'Output folder holds files blogbuild did not write',
    message: (a: { folder: string; problem: string; marker: string }) =>
      `the output folder ${a.folder} ${a.problem}; a build replaces everything in it, so nothing was changed`,
    hint: (a) => `choose a new or empty output folder (--out), or pass --force to delete everything in ${a.folder} and build there (it then gets a ${a.marker} marker)`,
  }),
  FoldersOverlap: define({
    kind: 'usage',
    title: 'Output, source and public folders overlap',
    message: (a: OverlapProblem) => {
      switch (a.problem) {
        case 'output-holds-source':
          return `the output folder is or contains ${a.folder}, which every build replaces`;
        case 'output-inside-source':
          return `the output folder is inside ${a.folder}, so every build would read its own output back in`;
        case 'public-holds':
          return `the public folder ${a.publicDir} holds ${a.what}, which every build would publish`;
      }
    },
    hint: (a) => (a.problem === 'public-holds' ? 'set `publicDir` to a folder of static files only, such as "public"' : 'use a separate output folder such as dist/ (--out dist)'),
  }),
  CacheUnwritable: define({
    kind: 'usage',
    title: 'Build cache cannot be written',
    message: (a: { reason: string; folder: string }) => `the build cache cannot be written (${a.reason}); the site was built without it`,
    hint: (a) => `make ${a.folder} a writable folder (or run blogbuild clean), or build with --no-cache`,
  }),
};
