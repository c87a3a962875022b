import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { error, type Diagnostic, type Location } from '../diagnostics/error.js';
import { offsetToPosition } from '../diagnostics/position.js';
import { closest } from './suggest.js';

// Validating the config's settings with the schema (zod loaded only then), errors located in the config's text.

/** A `--url` and where it came from (see ConfigOverrides). */
type UrlOverride = { url?: string; urlFrom?: string };

/** The settings as validated: defaults filled in, `--url` normalized. */
export type ValidSettings = z.output<typeof import('./schema.js').configSchema>;

/** The schema module, which loads zod (~25–35 ms, even bundled): imported only when a config must be validated. */
let schemaModule: typeof import('./schema.js') | undefined;
async function loadSchema(): Promise<typeof import('./schema.js')> {
  schemaModule ??= await import('./schema.js');
  return schemaModule;
}

/**
 * Configs validated by earlier builds (the build cache keeps them): the settings validation made of JSON settings
 * and a `--url` that passed it, by a key of their text and the URL. A key that is undefined (a JS config) is
 * validated every time.
 */
export interface ValidatedConfigs {
  memo(key: string | undefined, validate: () => Promise<ValidSettings | undefined>): Promise<ValidSettings | undefined>;
}

/**
 * The settings validated, or the diagnostics of every problem in file order. JSON settings (or none) validated
 * before with the same --url are not validated again: zod is not even loaded. (A JS config module can build
 * values JSON does not carry, so it has no key.)
 */
export async function validateSettings(raw: unknown, file: string | undefined, text: string | undefined, overrides: UrlOverride, validated?: ValidatedConfigs): Promise<{ user: ValidSettings } | { diagnostics: Diagnostic[] }> {
  let failure: Diagnostic[] = [];
  const validate = async () => {
    const result = await validateWithSchema(raw, file, text, overrides);
    if ('diagnostics' in result) failure = result.diagnostics;
    return 'user' in result ? result.user : undefined;
  };
  const key = validated && (file === undefined || file.endsWith('.json')) ? validationKey(text ?? '', overrides.url) : undefined;
  const user = validated ? await validated.memo(key, validate) : await validate();
  return user ? { user } : { diagnostics: failure };
}

async function validateWithSchema(raw: unknown, file: string | undefined, text: string | undefined, overrides: UrlOverride): Promise<{ user: ValidSettings } | { diagnostics: Diagnostic[] }> {
  const { configSchema } = await loadSchema();
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const diagnostics = parsed.error.issues.flatMap((issue) => issueToDiagnostics(issue, file, text, raw));
    // Report in file order, as an author reads the file.
    diagnostics.sort((a, b) => (a.loc?.line ?? 0) - (b.loc?.line ?? 0) || (a.loc?.column ?? 0) - (b.loc?.column ?? 0));
    return { diagnostics };
  }
  if (overrides.url === undefined) return { user: parsed.data };
  const url = configSchema.shape.url.safeParse(overrides.url);
  if (!url.success) {
    return { diagnostics: [error('UsageInvalid', { problem: 'url-flag', url: overrides.url, reason: url.error.issues[0]?.message, from: overrides.urlFrom })] };
  }
  // Validated and normalized once, then remembered with the settings.
  return { user: { ...parsed.data, url: url.data } };
}

/** The key of a JSON config's text and a --url: equal keys, equal validated settings. */
function validationKey(text: string, url: string | undefined): string {
  return createHash('sha1').update(text).update('\0').update(JSON.stringify(url ?? null)).digest('hex');
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
export function locate(file: string | undefined, text: string | undefined, keyPath: string[], at: 'key' | 'value'): Location | undefined {
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

