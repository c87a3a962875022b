import fs from 'node:fs/promises';
import yaml from 'js-yaml';
import { parseToml } from '../content/toml-front-matter.js';
import { BlogbuildError } from '../diagnostics/error.js';

/** A post file split into front matter (YAML `---` or TOML `+++`) and body. */
export interface SplitFile {
  data: Record<string, unknown>;
  body: string;
  bodyStartLine: number;
}

const fences = { '---': 'yaml', '+++': 'toml' } as const;

/**
 * Splits front matter from the body. YAML is read with the CORE schema, so dates stay the strings written;
 * TOML dates become their ISO text. A syntax error is a located FrontMatterSyntax error.
 */
export function splitFile(file: string, text: string): SplitFile {
  text = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = text.split('\n');
  const fence = lines[0]?.trim() as keyof typeof fences;
  if (!(fence in fences)) return { data: {}, body: text, bodyStartLine: 1 };
  const end = lines.findIndex((line, i) => i > 0 && line.trim() === fence);
  if (end < 0) {
    throw new BlogbuildError('FrontMatterSyntax', { problem: 'import-unclosed', fence }, { file, line: 1, column: 1 });
  }
  const head = lines.slice(1, end).join('\n');
  let data: unknown;
  try {
    data = fences[fence] === 'yaml' ? yaml.load(head, { schema: yaml.CORE_SCHEMA }) : parseToml(head);
  } catch (cause) {
    const line = (cause as { mark?: { line: number }; line?: number }).mark?.line ?? ((cause as { line?: number }).line ?? 1) - 1;
    throw new BlogbuildError('FrontMatterSyntax', { problem: 'import-unreadable', language: fences[fence], reason: (cause as Error).message.split('\n')[0] },
      { file, line: line + 2, column: 1 }, { cause });
  }
  if (data !== null && data !== undefined && (typeof data !== 'object' || Array.isArray(data))) {
    throw new BlogbuildError('FrontMatterInvalid', { problem: 'import-not-mapping' }, { file, line: 2, column: 1 });
  }
  return { data: (data ?? {}) as Record<string, unknown>, body: lines.slice(end + 1).join('\n'), bodyStartLine: end + 2 };
}

/** Reads and splits a post file. */
export async function readSplitFile(file: string): Promise<SplitFile> {
  return splitFile(file, await fs.readFile(file, 'utf8'));
}
