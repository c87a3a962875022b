import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified, type Pluggable } from 'unified';
import { rehypePostTree, rehypeRawIfNeeded } from './rehype-helpers.js';
import { rehypeImages } from './rehype-images.js';
import { remarkAutolinkLiteralGuard } from './remark-autolink-guard.js';
import { remarkPostBody } from './remark-post-body.js';
import { remarkTagfilter, type Tagfilter } from './remark-tagfilter.js';

/** A remark or rehype plugin as a description a worker thread can receive: where to import it from, and its options. */
export interface PluginDescription {
  /** Module specifier (a package name, or a `file:` URL), whose default export is the plugin. */
  specifier: string;
  /** The plugin's options (JSON-like: they are sent to the workers). @default undefined */
  options?: unknown;
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
 * when present, one walk for heading ids (rehype-slug semantics), base paths, accessibility fixes and the word count,
 * and images' sizes and lazy loading (rehypeImages); the
 * description's plugins are imported and added after blogbuild's steps of their kind. Run it with `process()`
 * (async: plugins may transform asynchronously). This module is imported lazily: a build whose posts all come
 * from the cache never loads unified.
 */
export async function createMarkdownProcessor(options: MarkdownOptions = {}): Promise<MarkdownProcessor> {
  const [remarkPlugins, rehypePlugins] = await Promise.all([importPlugins(options.remarkPlugins), importPlugins(options.rehypePlugins)]);
  return buildProcessor(options, remarkPlugins, rehypePlugins);
}

function buildProcessor(options: MarkdownOptions, remarkPlugins: Pluggable[], rehypePlugins: Pluggable[]) {
  const rawHtml = options.rawHtml ?? true;
  const processor = unified()
    .use(remarkParse)
    .use(remarkGfm)
    .use(remarkAutolinkLiteralGuard)
    // Before the post body, whose excerpt then has escaped tags as the text they are.
    .use(remarkTagfilter, { tagfilter: rawHtml ? options.tagfilter : false })
    .use(remarkPostBody)
    .use(remarkPlugins)
    .use(remarkRehype, { allowDangerousHtml: rawHtml });
  if (rawHtml) processor.use(rehypeRawIfNeeded);
  return processor
    // Before base paths are added, so images are recorded (and warned about) by their src as written.
    .use(rehypeImages)
    .use(rehypePostTree, { basePath: options.basePath })
    .use(rehypePlugins)
    .use(rehypeStringify)
    .freeze();
}

async function importPlugins(plugins: readonly PluginDescription[] = []): Promise<Pluggable[]> {
  return Promise.all(
    plugins.map(async ({ specifier, options }): Promise<Pluggable> => {
      const plugin = ((await import(specifier)) as { default: unknown }).default;
      if (typeof plugin !== 'function') throw new Error(`the markdown plugin ${specifier} has no default export function`);
      return (options === undefined ? [plugin] : [plugin, options]) as Pluggable;
    }),
  );
}

/** The frozen processor's type. */
export type MarkdownProcessor = ReturnType<typeof buildProcessor>;
