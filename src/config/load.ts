import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { z } from 'zod';
import { error, type Diagnostic, type Location } from '../diagnostics/error.js';
import { offsetToPosition } from '../diagnostics/position.js';
import type { ResolvedConfig, UserConfig } from './schema.js';
import { findJsonProblem } from './json-error.js';
import { resolvePlugins } from './plugins.js';
import { closest } from './suggest.js';
import { resolveTheme } from './theme.js';

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

const configNames = ['blogbuild.config.json', 'blogbuild.config.js', 'blogbuild.config.mjs'];

/** The schema module, which loads zod (~25–35 ms, even bundled): imported only when a config must be validated. */
let schemaModule: typeof import('./schema.js') | undefined;
async function loadSchema(): Promise<typeof import('./schema.js')> {
  schemaModule ??= await import('./schema.js');
  return schemaModule;
}

/**
 * Configs validated by earlier builds (the build cache keeps the last one): JSON settings and a `--url` that
 * passed validation, by a key of their text, and the settings validation made of them (defaults filled in).
 */
export interface ValidatedConfigs {
  get(key: string): unknown;
  set(key: string, settings: unknown): void;
}

/** Finds, reads and validates the config; returns a frozen ResolvedConfig or the diagnostics that prevent one. */
export async function loadConfig(
  root: string,
  overrides: ConfigOverrides = {},
  validated?: ValidatedConfigs,
): Promise<{ config?: ResolvedConfig; diagnostics: Diagnostic[] }> {
  root = path.resolve(root);
  const file = overrides.config ? path.resolve(root, overrides.config) : await findConfigFile(root);
  if (overrides.config && !(await exists(file!))) {
    return {
      diagnostics: [
        error('ConfigNotFound', { path: overrides.config }),
      ],
    };
  }

  let raw: unknown = {};
  let text: string | undefined;
  let href: string | undefined;
  if (file) {
    const read = await readConfigFile(file);
    if ('diagnostic' in read) return { diagnostics: [read.diagnostic] };
    raw = read.value;
    text = read.text;
    href = read.href;
  }

  // JSON settings (or none) validated before, with the same --url, are not validated again: zod is not even loaded.
  // (A JS config module can build values JSON does not carry, so it is always validated.)
  const key = validated && (file === undefined || file.endsWith('.json')) ? validationKey(text ?? '', overrides.url) : undefined;
  let user = key === undefined ? undefined : (validated!.get(key) as z.output<typeof import('./schema.js').configSchema> | undefined);
  if (!user) {
    const { configSchema } = await loadSchema();
    const parsed = configSchema.safeParse(raw);
    if (!parsed.success) {
      const diagnostics = parsed.error.issues.flatMap((issue) => issueToDiagnostics(issue, file, text, raw));
      // Report in file order, as an author reads the file.
      diagnostics.sort((a, b) => (a.loc?.line ?? 0) - (b.loc?.line ?? 0) || (a.loc?.column ?? 0) - (b.loc?.column ?? 0));
      return { diagnostics };
    }
    user = parsed.data;
    if (overrides.url !== undefined) {
      const url = configSchema.shape.url.safeParse(overrides.url);
      if (!url.success) {
        return {
          diagnostics: [
            error('UsageInvalid', { problem: 'url-flag', url: overrides.url, reason: url.error.issues[0]?.message, from: overrides.urlFrom }),
          ],
        };
      }
      // Validated and normalized once, then remembered with the settings.
      user = { ...user, url: url.data };
    }
    if (key !== undefined) validated!.set(key, user);
  }

  // Normalized by the schema (a trailing slash added); a --url, when given, was put in `user` by the validation.
  const url = user.url ?? '';
  const basePath = url ? new URL(url).pathname : '/';
  const pluginContext = { root, configFile: file, configHref: href, configText: text, locate: (keyPath: string[]) => locate(file, text, keyPath, 'value') };
  const remark = resolvePlugins('remarkPlugins', user.markdown.remarkPlugins, pluginContext);
  const rehype = resolvePlugins('rehypePlugins', user.markdown.rehypePlugins, pluginContext);
  const theme = resolveTheme(user.theme, root, file, pluginContext.locate);
  const extensionDiagnostics = [...remark.diagnostics, ...rehype.diagnostics, ...theme.diagnostics];
  if (extensionDiagnostics.length > 0) return { diagnostics: extensionDiagnostics };

  const config: ResolvedConfig = {
    root,
    configFile: file,
    title: user.title,
    description: user.description,
    url,
    basePath,
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
  return { config: Object.freeze(config), diagnostics: [] };
}

/** The key of a JSON config's text and a --url: equal keys, equal validated settings. */
function validationKey(text: string, url: string | undefined): string {
  return createHash('sha1').update(text).update('\0').update(JSON.stringify(url ?? null)).digest('hex');
}

async function findConfigFile(root: string): Promise<string | undefined> {
  for (const name of configNames) {
    const candidate = path.join(root, name);
    if (await exists(candidate)) return candidate;
  }
  return undefined;
}

async function readConfigFile(
  file: string,
): Promise<{ value: unknown; text?: string; href?: string } | { diagnostic: Diagnostic }> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (cause) {
    return { diagnostic: error('ConfigInvalid', { problem: 'unreadable', reason: (cause as Error).message }, { file }, cause) };
  }
  if (file.endsWith('.json')) {
    try {
      return { value: JSON.parse(text.replace(/^\uFEFF/, '')), text };
    } catch (cause) {
      return { diagnostic: jsonSyntaxError(file, text, cause) };
    }
  }
  try {
    const stat = await fs.stat(file);
    // The query busts Node's module cache so that watch mode sees edits to a JS config.
    // Worker threads import the same URL to find the plugin functions the config holds (see config/plugins.ts).
    const href = `${pathToFileURL(file).href}?mtime=${stat.mtimeMs}`;
    const module = (await import(href)) as { default?: unknown };
    if (module.default === undefined || module.default === null || typeof module.default !== 'object' || Array.isArray(module.default)) {
      return {
        diagnostic: error('ConfigInvalid', { problem: 'no-default-export' }, { file, line: 1, column: 1 }),
      };
    }
    return { value: module.default, text, href };
  } catch (cause) {
    const isSyntax = cause instanceof SyntaxError;
    return {
      diagnostic: error('ConfigInvalid', { problem: isSyntax ? 'js-syntax' : 'js-threw', reason: String((cause as Error)?.message ?? cause) },
        { file, ...(isSyntax ? syntaxErrorPosition(file) : thrownAt(file, cause)) }, cause),
    };
  }
}

/** `JSON.parse` failure → a diagnostic at the offending character, in words that do not depend on the Node version. */
function jsonSyntaxError(file: string, text: string, cause: unknown): Diagnostic {
  const problem = findJsonProblem(text.replace(/^\uFEFF/, ''));
  if (!problem) {
    return error('ConfigInvalid', { problem: 'json-syntax', reason: (cause as Error).message }, { file, line: 1, column: 1 }, cause);
  }
  return error('ConfigInvalid', { problem: 'json-syntax', reason: problem.reason, fix: problem.hint }, { file, ...offsetToPosition(text, problem.offset) }, cause);
}

/** Where a JS config's syntax error is: Node's `--check` prints `file:line` and a caret line. */
function syntaxErrorPosition(file: string): { line?: number; column?: number } {
  try {
    execFileSync(process.execPath, ['--check', file], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 });
  } catch (failure) {
    const lines = String((failure as { stderr?: Buffer }).stderr ?? '').split('\n');
    const at = lines.findIndex((l) => l.startsWith(`${file}:`));
    const line = at >= 0 ? Number(/:(\d+)$/.exec(lines[at])?.[1]) : NaN;
    if (Number.isInteger(line) && line > 0) {
      const caret = lines[at + 2]?.indexOf('^') ?? -1;
      return { line, column: caret >= 0 ? caret + 1 : 1 };
    }
  }
  return {};
}

/** Where in the config module an error was thrown, from its stack. */
function thrownAt(file: string, cause: unknown): { line?: number; column?: number } {
  const href = pathToFileURL(file).href.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`${href}(?:\\?[^:\\s]*)?:(\\d+):(\\d+)`).exec(String((cause as Error)?.stack ?? ''));
  return match ? { line: Number(match[1]), column: Number(match[2]) } : {};
}

function issueToDiagnostics(issue: z.core.$ZodIssue, file: string | undefined, text: string | undefined, raw: unknown): Diagnostic[] {
  const keyPath = issue.path.map(String);
  const parent = keyPath.join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const suggestion = closest(key, schemaModule!.configKeys[parent] ?? []);
      const name = parent ? `${parent}.${key}` : key;
      return error('ConfigUnknownKey', { key: name, suggestion: suggestion && (parent ? `${parent}.${suggestion}` : suggestion), known: schemaModule!.configKeys[parent] ?? [] },
        locate(file, text, [...keyPath, key], 'key'));
    });
  }
  const value = keyPath.reduce<unknown>((object, key) => (object as Record<string, unknown> | undefined)?.[key], raw);
  if (!parent) {
    return [error('ConfigInvalid', { problem: 'not-object', value }, file ? { file, line: 1, column: 1 } : undefined)];
  }
  const key = parent;
  const suggestion = key === 'timezone' && typeof value === 'string' ? closest(value, Intl.supportedValuesOf('timeZone')) : undefined;
  const loc = locate(file, text, keyPath, 'value');
  switch (issue.code) {
    case 'custom':
      return [error('ConfigInvalid', { key, value, suggestion, problem: 'custom', text: issue.message }, loc)];
    case 'invalid_type':
      return [error('ConfigInvalid', { key, value, suggestion, problem: 'type', expected: issue.expected }, loc)];
    case 'too_small':
      return [error('ConfigInvalid', issue.origin === 'string' ? { key, value, suggestion, problem: 'empty' }
        : { key, value, suggestion, problem: 'too-small', minimum: String(issue.minimum), isExclusive: issue.inclusive === false }, loc)];
    default:
      return [error('ConfigInvalid', { key, value, suggestion, problem: 'other', text: issue.message }, loc)];
  }
}

/**
 * Locates a key path in the config's text (JSON, or a JS object literal with quoted or bare keys), at the
 * key itself or at its value. Falls back to the file alone when the text does not spell the key out.
 */
function locate(file: string | undefined, text: string | undefined, keyPath: string[], at: 'key' | 'value'): Location | undefined {
  if (!file) return undefined;
  if (!text) return { file };
  let from = 0;
  let found: RegExpExecArray | undefined;
  for (const key of keyPath) {
    const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const re = new RegExp(`(?<![\\w$])(["']?)${escaped}\\1\\s*:\\s*`, 'g');
    re.lastIndex = from;
    const match = re.exec(text);
    if (!match) return found ? { file, ...offsetToPosition(text, found.index) } : { file };
    found = match;
    from = match.index + match[0].length;
  }
  if (!found) return { file };
  if (at === 'key') return { file, ...offsetToPosition(text, found.index), length: found[0].replace(/\s*:\s*$/, '').length };
  const valueStart = found.index + found[0].length;
  const token = /^("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|[^,}\]\n]*[^,}\]\s])/.exec(text.slice(valueStart));
  return { file, ...offsetToPosition(text, valueStart), length: token ? token[0].length : 1 };
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    // fs.access fails when the file is missing or unreadable: either way there is no such config file to read.
    return false;
  }
}

export type { UserConfig };
