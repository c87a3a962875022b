import path from 'node:path';
import { error, type Diagnostic } from '../diagnostics/error.js';
import type { ResolvedConfig, UserConfig } from './schema.js';
import { resolvePlugins } from './plugins.js';
import { exists, findConfigFile, readConfigFile } from './read-config.js';
import { resolveTheme } from './theme.js';
import { locate, validateSettings, type ValidatedConfigs, type ValidSettings } from './validate-config.js';

export type { ValidatedConfigs } from './validate-config.js';

/** Values from the command line; they win over the config file. */
export interface ConfigOverrides {
  /** Config file path; when absent, `blogbuild.config.{json,js,mjs}` in the root is used if present. */
  config?: string;
  posts?: string;
  templates?: string;
  out?: string;
  url?: string;
  /** Where `url` came from, named in its error: `BLOGBUILD_URL` (the CLI reads the environment). @default "--url" */
  urlFrom?: string;
  /** Publish drafts. @default false */
  drafts?: boolean;
  /** Publish posts dated in the future. @default false */
  future?: boolean;
}

/** Finds, reads and validates the config; returns a frozen ResolvedConfig or the diagnostics that prevent one. */
export async function loadConfig(
  root: string,
  overrides: ConfigOverrides = {},
  validated?: ValidatedConfigs,
): Promise<{ config?: ResolvedConfig; diagnostics: Diagnostic[] }> {
  root = path.resolve(root);
  const file = overrides.config ? path.resolve(root, overrides.config) : await findConfigFile(root);
  if (overrides.config && !(await exists(file!))) return { diagnostics: [error('ConfigNotFound', { path: overrides.config })] };
  const read = file ? await readConfigFile(file) : { value: {} };
  if ('diagnostic' in read) return { diagnostics: [read.diagnostic] };
  const { text, href } = read;
  const settings = await validateSettings(read.value, file, text, overrides, validated);
  if ('diagnostics' in settings) return settings;
  const user = settings.user;
  // Normalized by the schema (a trailing slash added); a --url, when given, was put in `user` by the validation.
  const url = user.url ?? '';
  const pluginContext = { root, configFile: file, configHref: href, configText: text, locate: (keyPath: string[]) => locate(file, text, keyPath, 'value') };
  const remark = resolvePlugins('remarkPlugins', user.markdown.remarkPlugins, pluginContext);
  const rehype = resolvePlugins('rehypePlugins', user.markdown.rehypePlugins, pluginContext);
  const theme = resolveTheme(user.theme, root, file, pluginContext.locate);
  const extensionDiagnostics = [...remark.diagnostics, ...rehype.diagnostics, ...theme.diagnostics];
  if (extensionDiagnostics.length > 0) return { diagnostics: extensionDiagnostics };
  return { config: resolvedConfig(root, file, user, overrides, url, { remark, rehype, theme }), diagnostics: [] };
}

type Extensions = { remark: ReturnType<typeof resolvePlugins>; rehype: ReturnType<typeof resolvePlugins>; theme: ReturnType<typeof resolveTheme> };

/** The resolved config of validated settings and the command line's overrides: absolute paths, frozen. */
function resolvedConfig(root: string, file: string | undefined, user: ValidSettings, overrides: ConfigOverrides, url: string, extensions: Extensions): ResolvedConfig {
  const { remark, rehype, theme } = extensions;
  const config: ResolvedConfig = {
    root,
    configFile: file,
    title: user.title,
    description: user.description,
    url,
    basePath: url ? new URL(url).pathname : '/',
    language: user.language,
    author: user.author,
    authors: Object.freeze({ ...user.authors }),
    related: user.related,
    timezone: user.timezone,
    postsPerPage: user.postsPerPage,
    feed: Object.freeze({ ...user.feed }),
    readingSpeed: user.readingSpeed,
    markdown: Object.freeze({ ...user.markdown, limits: Object.freeze({ ...user.markdown.limits }), remarkPlugins: remark.plugins, rehypePlugins: rehype.plugins }),
    postsDir: path.resolve(root, overrides.posts ?? user.postsDir),
    pagesDir: path.resolve(root, user.pagesDir),
    nav: user.nav ? Object.freeze([...user.nav]) : undefined,
    templatesDir: path.resolve(root, overrides.templates ?? user.templatesDir),
    permalinks: Object.freeze({ ...user.permalinks }),
    outDir: path.resolve(root, overrides.out ?? user.outDir),
    publicDir: path.resolve(root, user.publicDir),
    dataDir: path.resolve(root, user.dataDir),
    themeDir: theme.dir,
    helpers: Object.freeze({ ...(user.helpers as ResolvedConfig['helpers']) }),
    partials: Object.freeze({ ...user.partials }),
    drafts: overrides.drafts ?? false,
    future: overrides.future ?? false,
  };
  return Object.freeze(config);
}

export type { UserConfig };
