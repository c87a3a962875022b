import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { z } from 'zod';
import { error, type Diagnostic, type Location } from '../diagnostics/error.js';
import { offsetToPosition } from '../diagnostics/position.js';
import { configKeys, configSchema, type ResolvedConfig, type UserConfig } from './schema.js';
import { closest } from './suggest.js';

/** Values from the command line; they win over the config file. */
export interface ConfigOverrides {
  /** Config file path; when absent, `blogbuild.config.{json,js,mjs}` in the root is used if present. */
  config?: string;
  posts?: string;
  templates?: string;
  out?: string;
  url?: string;
  /** Publish drafts. @default false */
  drafts?: boolean;
  /** Publish posts dated in the future. @default false */
  future?: boolean;
}

const configNames = ['blogbuild.config.json', 'blogbuild.config.js', 'blogbuild.config.mjs'];

/** Finds, reads and validates the config; returns a frozen ResolvedConfig or the diagnostics that prevent one. */
export async function loadConfig(
  root: string,
  overrides: ConfigOverrides = {},
): Promise<{ config?: ResolvedConfig; diagnostics: Diagnostic[] }> {
  root = path.resolve(root);
  const file = overrides.config ? path.resolve(root, overrides.config) : await findConfigFile(root);
  if (overrides.config && !(await exists(file!))) {
    return {
      diagnostics: [
        error('ConfigNotFound', `config file ${overrides.config} does not exist`, undefined,
          'check the --config path, or leave it out to use blogbuild.config.json in the current folder'),
      ],
    };
  }

  let raw: unknown = {};
  let text: string | undefined;
  if (file) {
    const read = await readConfigFile(file);
    if ('diagnostic' in read) return { diagnostics: [read.diagnostic] };
    raw = read.value;
    text = read.text;
  }

  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    return { diagnostics: parsed.error.issues.flatMap((issue) => issueToDiagnostics(issue, file, text)) };
  }
  const user = parsed.data;

  let url = overrides.url ?? user.url ?? '';
  if (overrides.url !== undefined && !configSchema.shape.url.safeParse(overrides.url).success) {
    return {
      diagnostics: [
        error('UsageInvalid', `--url ${JSON.stringify(overrides.url)} is not an absolute http(s) URL`, undefined,
          'pass the address the site is published at, e.g. --url https://example.org/blog/'),
      ],
    };
  }
  if (url && !url.endsWith('/')) url += '/';
  const basePath = url ? new URL(url).pathname : '/';

  const config: ResolvedConfig = {
    root,
    configFile: file,
    title: user.title,
    description: user.description,
    url,
    basePath,
    language: user.language,
    author: user.author,
    timezone: user.timezone,
    postsPerPage: user.postsPerPage,
    feed: Object.freeze({ ...user.feed }),
    readingSpeed: user.readingSpeed,
    markdown: Object.freeze({ ...user.markdown }),
    postsDir: path.resolve(root, overrides.posts ?? user.postsDir),
    templatesDir: path.resolve(root, overrides.templates ?? user.templatesDir),
    outDir: path.resolve(root, overrides.out ?? user.outDir),
    publicDir: path.resolve(root, user.publicDir),
    drafts: overrides.drafts ?? false,
    future: overrides.future ?? false,
  };
  return { config: Object.freeze(config), diagnostics: [] };
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
): Promise<{ value: unknown; text?: string } | { diagnostic: Diagnostic }> {
  if (file.endsWith('.json')) {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (cause) {
      return { diagnostic: error('ConfigInvalid', 'config file cannot be read', { file }, undefined, cause) };
    }
    try {
      return { value: JSON.parse(text), text };
    } catch (cause) {
      const match = /position (\d+)/.exec(String((cause as Error).message));
      const loc: Location = match ? { file, ...offsetToPosition(text, Number(match[1])) } : { file };
      const reason = String((cause as Error).message).replace(/ in JSON at position \d+.*$/s, '');
      return {
        diagnostic: error('ConfigInvalid', `config file is not valid JSON: ${reason}`, loc,
          'check for a missing comma or quote, or a trailing comma before } or ]', cause),
      };
    }
  }
  try {
    const stat = await fs.stat(file);
    // The query busts Node's module cache so that watch mode sees edits to a JS config.
    const module = (await import(`${pathToFileURL(file).href}?mtime=${stat.mtimeMs}`)) as { default?: unknown };
    if (module.default === undefined || module.default === null || typeof module.default !== 'object') {
      return {
        diagnostic: error('ConfigInvalid', 'config file has no default export object', { file },
          'write `export default defineConfig({ title: "…" })`'),
      };
    }
    return { value: module.default };
  } catch (cause) {
    return {
      diagnostic: error('ConfigInvalid', `config file failed to load: ${(cause as Error).message ?? cause}`, { file },
        'fix the error in the config module; run with --debug for the stack', cause),
    };
  }
}

function issueToDiagnostics(issue: z.core.$ZodIssue, file: string | undefined, text: string | undefined): Diagnostic[] {
  const keyPath = issue.path.map(String);
  const parent = keyPath.join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const suggestion = closest(key, configKeys[parent] ?? []);
      const name = parent ? `${parent}.${key}` : key;
      return error('ConfigUnknownKey', `unknown config key \`${name}\``, locate(file, text, [...keyPath, key]),
        suggestion
          ? `did you mean \`${parent ? `${parent}.` : ''}${suggestion}\`?`
          : `known keys are: ${(configKeys[parent] ?? []).join(', ')}`);
    });
  }
  const name = parent || 'config';
  const message = issue.code === 'custom' ? `\`${name}\` ${issue.message}` : `\`${name}\`: ${issue.message}`;
  return [error('ConfigInvalid', message, locate(file, text, keyPath), hintFor(parent))];
}

function hintFor(key: string): string | undefined {
  const hints: Record<string, string> = {
    url: 'use the full address, e.g. "https://example.org/blog/"',
    timezone: 'use an IANA name such as "UTC", "Europe/Paris" or "America/New_York"',
    language: 'use a language tag such as "en", "en-GB" or "fr"',
    postsPerPage: 'use a whole number of at least 1',
  };
  return hints[key];
}

/** Locates a key path in a JSON config's text; file-only for JS configs. */
function locate(file: string | undefined, text: string | undefined, keyPath: string[]): Location | undefined {
  if (!file) return undefined;
  if (!text) return { file };
  let from = 0;
  for (const key of keyPath) {
    const at = text.indexOf(JSON.stringify(key), from);
    if (at < 0) break;
    from = at;
  }
  const key = keyPath.at(-1);
  return from > 0 || (key && text.startsWith(JSON.stringify(key)))
    ? { file, ...offsetToPosition(text, from), length: key ? JSON.stringify(key).length : 1 }
    : { file };
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

export type { UserConfig };
