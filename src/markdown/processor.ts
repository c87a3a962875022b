import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified, type Pluggable } from 'unified';
import { rehypeExcerpt } from './rehype-excerpt.js';
import { rehypePostTree, rehypeRawIfNeeded } from './rehype-helpers.js';
import { rehypeImages } from './rehype-images.js';
import { remarkAutolinkLiteralGuard } from './remark-autolink-guard.js';
import { remarkForeignSyntax } from './remark-foreign-syntax.js';
import { remarkPostBody } from './remark-post-body.js';
import { remarkPostLinks } from './remark-post-links.js';
import { remarkTagfilter, type Tagfilter } from './remark-tagfilter.js';

/** A remark or rehype plugin as a description a worker thread can receive: where to import it from, and its options. */
export interface PluginDescription {
  /** Module specifier (a package name, or a `file:` URL), whose default export is the plugin. */
  specifier: string;
  /** The plugin's options (JSON-like: they are sent to the workers). @default undefined */
  options?: unknown;
  /**
   * A plugin function written in a JS config: `specifier` is the config module, and the plugin (with its options)
   * is entry `index` of its `markdown[list]`. @default undefined (the module's default export is the plugin)
   */
  fromConfig?: { list: 'remarkPlugins' | 'rehypePlugins'; index: number };
  /** The plugin's name and where it is configured, for error messages. @default specifier */
  name?: string;
  /** What identifies the plugin's code and versions in the cache salt. @default moduleIdentity(specifier) */
  identity?: string;
}

/**
 * The description a markdown processor is built from, in this thread or in a worker: options plus plugins. Its
 * plugins' identities and versions are part of the markdown cache's salt (see cache-salt.ts).
 */
export interface MarkdownOptions {
  /** Keep raw HTML written in markdown. @default true */
  rawHtml?: boolean;
  /** Raw HTML tags escaped as text (GFM's tag filter): `"safe"`, `"gfm"` or `false`. @default "safe" */
  tagfilter?: Tagfilter;
  /** Highlight fenced code that names its language, at build time (see rehype-highlight-code.ts). @default true */
  highlight?: boolean;
  /** The site's base path, prefixed to root-relative links. @default "/" */
  basePath?: string;
  /** remark plugins run after blogbuild's own, before the tree becomes HTML. @default [] */
  remarkPlugins?: PluginDescription[];
  /** rehype plugins run after blogbuild's own HTML steps, before serialising. @default [] */
  rehypePlugins?: PluginDescription[];
}

/**
 * The unified pipeline, built from a description and frozen: remark-parse → remark-gfm → remark-rehype →
 * rehype-stringify, with blogbuild's own steps: the post body (title heading, excerpt), GFM's tag filter and raw HTML
 * when present, one walk for heading ids (rehype-slug semantics) and anchors, base paths, accessibility fixes and the
 * word count, images' sizes and lazy loading (rehypeImages), and code highlighting (unless `highlight` is false); the
 * description's plugins are imported and added after blogbuild's steps of their kind. Run it with `process()`
 * (async: plugins may transform asynchronously). This module is imported lazily: a build whose posts all come
 * from the cache never loads unified.
 */
export async function createMarkdownProcessor(options: MarkdownOptions = {}): Promise<MarkdownProcessor> {
  const [remarkPlugins, rehypePlugins, highlight] = await Promise.all([
    importPlugins(options.remarkPlugins),
    importPlugins(options.rehypePlugins),
    // The grammars load only when highlighting is on.
    options.highlight === false ? [] : import('./rehype-highlight-code.js').then(({ rehypeHighlightCode }): Pluggable[] => [rehypeHighlightCode]),
  ]);
  return buildProcessor(options, remarkPlugins, [...highlight, rehypeExcerpt, ...rehypePlugins]);
}

function buildProcessor(options: MarkdownOptions, remarkPlugins: Pluggable[], rehypePlugins: Pluggable[]) {
  const rawHtml = options.rawHtml ?? true;
  const processor = unified()
    .use(remarkParse)
    .use(remarkGfm)
    .use(remarkAutolinkLiteralGuard)
    // Before the tag filter: raw HTML inside another generator's template tags becomes text or code first.
    .use(remarkForeignSyntax)
    // Before the post body, whose excerpt then has escaped tags as the text they are.
    .use(remarkTagfilter, { tagfilter: rawHtml ? options.tagfilter : false })
    .use(remarkPostBody)
    .use(remarkPostLinks)
    .use(remarkPlugins)
    .use(remarkRehype, { allowDangerousHtml: rawHtml });
  if (rawHtml) processor.use(rehypeRawIfNeeded);
  return processor
    // Before base paths are added, so images are recorded (and warned about) by their src as written.
    .use(rehypeImages)
    .use(rehypePostTree, { basePath: options.basePath, shouldDropUnsafeUrls: !rawHtml })
    .use(rehypePlugins)
    .use(rehypeStringify)
    .freeze();
}

async function importPlugins(plugins: readonly PluginDescription[] = []): Promise<Pluggable[]> {
  return Promise.all(
    plugins.map(async (description): Promise<Pluggable> => {
      const { plugin, options } = await importPlugin(description);
      const name = description.name ?? description.specifier;
      if (typeof plugin !== 'function') throw new Error(`the markdown plugin ${name} is not a function`);
      const named = namedPlugin(plugin as Plugin, name);
      return (options === undefined ? [named] : [named, options]) as Pluggable;
    }),
  );
}

async function importPlugin({ specifier, options, fromConfig }: PluginDescription): Promise<{ plugin: unknown; options: unknown }> {
  const module = (await import(specifier)) as { default?: unknown };
  if (!fromConfig) return { plugin: module.default, options };
  const entry = (module.default as { markdown?: Record<string, unknown[]> } | undefined)?.markdown?.[fromConfig.list]?.[fromConfig.index];
  return Array.isArray(entry) ? { plugin: entry[0], options: entry[1] } : { plugin: entry, options: undefined };
}

type Plugin = (this: unknown, ...args: unknown[]) => unknown;
type Transformer = (this: unknown, tree: unknown, file: unknown, next?: (error?: unknown, ...rest: unknown[]) => void) => unknown;

/**
 * A user plugin whose failures say which plugin failed: an error thrown by its attacher or its transformer (sync,
 * async or with a callback, as unified runs them) is rethrown as `the plugin <name> failed: <message>`, the
 * original kept as `cause`. Its message is what crosses from a worker thread, so the name is in the text.
 */
function namedPlugin(plugin: Plugin, name: string): Plugin {
  const named = (cause: unknown) => {
    const failure = new Error(`the plugin ${name} failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    // A plugin that fails at a node (`file.fail(reason, node)`) says where: body lines, kept for the diagnostic.
    const { line, column } = (cause ?? {}) as { line?: unknown; column?: unknown };
    return typeof line === 'number' ? Object.assign(failure, { line, column: typeof column === 'number' ? column : undefined }) : failure;
  };
  return function (this: unknown, ...args: unknown[]) {
    let transformer: unknown;
    try {
      transformer = plugin.apply(this, args);
    } catch (cause) {
      throw named(cause);
    }
    if (typeof transformer !== 'function') return transformer;
    const transform = transformer as Transformer;
    // unified tells a callback transformer by its arity, so the wrapper keeps it.
    if (transform.length >= 3) {
      return function (this: unknown, tree: unknown, file: unknown, next: (error?: unknown, ...rest: unknown[]) => void) {
        try {
          transform.call(this, tree, file, (failure?: unknown, ...rest: unknown[]) => next(failure ? named(failure) : failure, ...rest));
        } catch (cause) {
          throw named(cause);
        }
      };
    }
    return function (this: unknown, tree: unknown, file: unknown) {
      try {
        const result = transform.call(this, tree, file);
        return result instanceof Promise ? result.catch((cause: unknown) => Promise.reject(named(cause))) : result;
      } catch (cause) {
        throw named(cause);
      }
    };
  };
}

/** The frozen processor's type. */
export type MarkdownProcessor = ReturnType<typeof buildProcessor>;
