import matter from 'gray-matter';
import yaml from 'js-yaml';
import { error, type Diagnostic } from '../diagnostics/error.js';

/** A post file split into its front matter and body. */
export interface FrontMatter {
  data: Record<string, unknown>;
  /** The raw YAML between the `---` lines. */
  yaml: string;
  /** File line of the YAML's first line (the `---` line itself, whose rest is empty). */
  yamlStartLine: number;
  body: string;
  /** File line on which the body starts (1-based). */
  bodyStartLine: number;
}

// Dates stay strings (CORE schema has no timestamp type): a bare 2024-12-31 is a calendar date, and js-yaml
// would turn it into UTC midnight, which shows as December 30 west of Greenwich.
const engines = {
  yaml: (text: string) => yaml.load(text, { schema: yaml.CORE_SCHEMA }) as object,
};

/** Splits front matter from the body with gray-matter; YAML errors become diagnostics at the file position. */
export function parseFrontMatter(file: string, text: string): FrontMatter | Diagnostic {
  let parsed: matter.GrayMatterFile<string>;
  try {
    // Passing options also turns off gray-matter's content-keyed cache, which would hold every post in memory.
    parsed = matter(text, { engines });
  } catch (cause) {
    const mark = (cause as { mark?: { line: number; column: number } }).mark;
    const reason = (cause as { reason?: string }).reason ?? (cause as Error).message;
    return error(
      'FrontMatterSyntax',
      `front matter is not valid YAML: ${reason}`,
      mark ? { file, line: mark.line + 1, column: mark.column + 1 } : { file, line: 1, column: 1 },
      'front matter is YAML between two `---` lines; quote values that contain `: ` or start with a special character',
      cause,
    );
  }
  const data = (parsed.data ?? {}) as unknown;
  const hasFrontMatter = parsed.matter !== undefined && text.startsWith('---');
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return error('FrontMatterInvalid', 'front matter must be a set of `key: value` lines', { file, line: 2, column: 1 },
      'write one `key: value` per line between the `---` lines');
  }
  const bodyOffset = text.length - parsed.content.length;
  const bodyStartLine = countLines(text, bodyOffset);
  return {
    data: data as Record<string, unknown>,
    yaml: hasFrontMatter ? parsed.matter : '',
    yamlStartLine: 1,
    body: parsed.content,
    bodyStartLine,
  };
}

function countLines(text: string, end: number): number {
  let line = 1;
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
