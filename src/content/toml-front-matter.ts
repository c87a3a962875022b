import { createRequire } from 'node:module';
import type * as smolToml from 'smol-toml';
import { error, type Diagnostic } from '../diagnostics/error.js';

/** TOML front matter split from the body; front-matter.ts's FrontMatter with `language: 'toml'`. */
export interface TomlFrontMatter {
  data: Record<string, unknown>;
  /** The TOML text between the `+++` lines. */
  yaml: string;
  yamlStartLine: number;
  language: 'toml';
  body: string;
  bodyStartLine: number;
}

/** Whether `text` opens with Hugo's TOML front-matter fence, a `+++` line. */
export function hasTomlFence(text: string): boolean {
  return /^\+\+\+[ \t]*\r?\n/.test(text);
}

// smol-toml is loaded on the first TOML post (a blog of YAML posts never loads it). Keep the one-call createRequire
// form: scripts/bundle.js finds it and points it at a one-file bundle of the package.
let toml: typeof smolToml | undefined;
function loadToml(): typeof smolToml {
  toml ??= createRequire(import.meta.url)('smol-toml') as typeof smolToml;
  return toml;
}

/** Parses TOML text as front matter: a table, with dates as the ISO text they were written as. */
export function parseToml(text: string): Record<string, unknown> {
  return plainToml(loadToml().parse(text)) as Record<string, unknown>;
}

/**
 * Splits TOML front matter (Hugo's `+++` … `+++`) from the body. A syntax error is a FrontMatterSyntax error at its
 * file line; `yaml` holds the TOML text (positions of keys are found in it by `language`).
 */
export function parseTomlFrontMatter(file: string, text: string): TomlFrontMatter | Diagnostic {
  const close = /\r?\n\+\+\+[ \t]*(?:\r?\n|$)/.exec(text);
  if (!close) {
    return error('FrontMatterSyntax', { problem: 'toml-unclosed' }, { file, line: 1, column: 1 });
  }
  const head = text.slice(text.indexOf('\n') + 1, close.index + 1);
  let data: Record<string, unknown>;
  try {
    data = parseToml(head);
  } catch (cause) {
    const { line = 1, column = 1 } = cause as { line?: number; column?: number };
    const reason = (cause as Error).message.split('\n')[0].replace(/^Invalid TOML document: /, '');
    return error('FrontMatterSyntax', { problem: 'toml', reason }, { file, line: line + 1, column }, cause);
  }
  const bodyOffset = close.index + close[0].length;
  return { data, yaml: head, yamlStartLine: 2, language: 'toml', body: text.slice(bodyOffset), bodyStartLine: text.slice(0, bodyOffset).split('\n').length };
}

/** TOML values as plain data: dates as the ISO text they were written as (smol-toml keeps it), tables as objects. */
export function plainToml(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plainToml);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainToml(v)]));
  return value;
}
