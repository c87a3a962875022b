import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type yamlType from 'js-yaml';
import { findJsonProblem } from '../config/json-error.js';
import { error, type Diagnostic } from '../diagnostics/error.js';
import { offsetToPosition } from '../diagnostics/position.js';
import { checkExpandedSize, FrontMatterTooLargeError } from './yaml-limits.js';

/** What the data folder gave: `data.<name>` for templates, the files read, and their problems. */
export interface LoadedData {
  /** File name without its extension → parsed value (`data/nav.yaml` → `data.nav`). */
  data: Record<string, unknown>;
  /** The files read, sorted, and their text: part of the render cache's salt. */
  files: { file: string; text: string }[];
  diagnostics: Diagnostic[];
}

const extensions = new Set(['.json', '.yaml', '.yml']);

/**
 * Reads `*.json`, `*.yaml` and `*.yml` at the top of the data folder (a missing folder is no data). A syntax
 * error is a DataInvalid diagnostic at its file, line and column; two files with one name (`nav.json`,
 * `nav.yaml`) are one too. YAML is bounded as front matter is (no alias bombs).
 */
export async function loadData(dir: string): Promise<LoadedData> {
  const result: LoadedData = { data: Object.create(null) as Record<string, unknown>, files: [], diagnostics: [] };
  let names: string[];
  try {
    names = (await fs.readdir(dir, { withFileTypes: true })).filter((entry) => entry.isFile() && extensions.has(path.extname(entry.name).toLowerCase())).map((entry) => entry.name).sort();
  } catch {
    // No data folder (the usual case) means no data; an unreadable one too, like a missing public/.
    return result;
  }
  const seen = new Map<string, string>();
  for (const name of names) {
    const file = path.join(dir, name);
    const key = name.slice(0, -path.extname(name).length);
    if (seen.has(key)) {
      result.diagnostics.push(error('DataInvalid', { problem: 'duplicate', first: seen.get(key)!, second: name, name: key }, { file }));
      continue;
    }
    seen.set(key, name);
    const text = (await fs.readFile(file, 'utf8')).replace(/^\uFEFF/, '');
    result.files.push({ file, text });
    const parsed = path.extname(name).toLowerCase() === '.json' ? parseJson(file, text) : parseYaml(file, text);
    if ('diagnostic' in parsed) result.diagnostics.push(parsed.diagnostic);
    else result.data[key] = parsed.value;
  }
  return result;
}

function parseJson(file: string, text: string): { value: unknown } | { diagnostic: Diagnostic } {
  try {
    return { value: JSON.parse(text) };
  } catch (cause) {
    const problem = findJsonProblem(text);
    return {
      diagnostic: error('DataInvalid', { problem: 'json', reason: problem?.reason, fix: problem?.hint.replace('or write the config as blogbuild.config.js', 'or write the data as YAML') },
        { file, ...(problem ? offsetToPosition(text, problem.offset) : { line: 1, column: 1 }) }, cause),
    };
  }
}

function parseYaml(file: string, text: string): { value: unknown } | { diagnostic: Diagnostic } {
  try {
    // Loaded only for a YAML data file (~30 ms); the one-call form is what scripts/bundle.js points at its bundle.
    const yaml = createRequire(import.meta.url)('js-yaml') as typeof yamlType;
    // The core schema, as front matter is read: dates stay text (a calendar date, not UTC midnight).
    const value = yaml.load(text, { schema: yaml.CORE_SCHEMA, filename: file });
    checkExpandedSize(value);
    return { value: value ?? null };
  } catch (cause) {
    if (cause instanceof FrontMatterTooLargeError) {
      return { diagnostic: error('DataInvalid', { problem: 'too-large', reason: cause.message }, { file, line: 1, column: 1 }, cause) };
    }
    const mark = (cause as yamlType.YAMLException).mark;
    const reason = (cause as yamlType.YAMLException).reason ?? String(cause);
    return {
      diagnostic: error('DataInvalid', { problem: 'yaml', reason }, { file, line: (mark?.line ?? 0) + 1, column: (mark?.column ?? 0) + 1 }, cause),
    };
  }
}
