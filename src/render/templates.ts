import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Handlebars from 'handlebars';
import { statSignature } from '../content/read-source.js';
import { walk } from '../content/walk.js';
import type { Diagnostic } from '../diagnostics/error.js';
import { compileTheme, lazyTheme, type TemplateSources, type Theme, type VerifiedTemplates } from './compile-theme.js';

export { pageTemplates, templateHash, type CompiledTemplate, type PageTemplateName, type Theme, type VerifiedTemplates } from './compile-theme.js';

/** The built-in theme shipped with blogbuild. */
export const builtinTemplatesDir = fileURLToPath(new URL('../../templates/', import.meta.url));

/**
 * Loads the built-in theme overridden file by file by the blog's `templates/` folder, compiles every
 * template once (syntax errors become diagnostics at their line) and registers partials and helpers.
 */
export async function loadTemplates(
  localDir: string | undefined,
  registerHelpers: (hb: typeof Handlebars) => void,
  memo?: ThemeMemo,
  verified?: VerifiedTemplates,
  extend: TemplateExtensions = {},
): Promise<{ theme?: Theme; diagnostics: Diagnostic[] }> {
  const sources = await templateSources(localDir, extend);
  const { files } = sources;
  // With a memo (the dev server; the helpers' config is the memo's), the theme is compiled again only when the set
  // of template files or one file's size, mtime or inode changed.
  const key = memo || verified ? templatesKey(sources) : undefined;
  const kept = key === undefined ? undefined : memo?.recall(key);
  if (kept) return { theme: kept, diagnostics: [] };
  // The same template files (paths and stats) compiled without errors by an earlier build: Handlebars is loaded
  // and the templates compiled only when some page is rendered. Otherwise (a miss) they are compiled now.
  let compiled: Awaited<ReturnType<typeof compileTheme>> | undefined;
  const compile = async () => (compiled = await compileTheme(sources, registerHelpers, verified));
  if (verified && key !== undefined && (await verified.memo(key, async () => ((await compile()).theme ? true : undefined))) && !compiled) {
    const theme = await lazyTheme(files, sources.read, registerHelpers, verified);
    if (theme) {
      memo?.remember(key, theme);
      return { theme, diagnostics: [] };
    }
  }
  const { theme, diagnostics } = compiled ?? (await compile());
  if (!theme) return { diagnostics };
  if (key !== undefined) memo?.remember(key, theme);
  return { theme, diagnostics };
}

/** The built-in theme's files, overridden by a theme's, then the blog's, then the partials written in the config. */
async function templateSources(localDir: string | undefined, extend: TemplateExtensions): Promise<TemplateSources> {
  const files = new Map<string, string>();
  for (const dir of [builtinTemplatesDir, extend.themeDir, localDir]) {
    if (!dir || !(await isDirectory(dir))) continue;
    for (const file of await walk(dir)) files.set(path.relative(dir, file).split(path.sep).join('/'), file);
  }
  // Partials written in the config win over files of the same name; their "file" is the config file.
  const inline = new Map<string, string>();
  for (const [name, source] of Object.entries(extend.partials?.sources ?? {})) {
    files.set(`partials/${name}.hbs`, extend.partials!.file);
    inline.set(`partials/${name}.hbs`, source);
  }
  return { files, inline, read: (rel, file) => inline.get(rel) ?? fs.readFile(file, 'utf8') };
}

/** The template files' paths and stats (an inline partial's source), as a key. */
function templatesKey({ files, inline }: TemplateSources): string {
  return JSON.stringify([...files].sort().map(([rel, file]) => {
    const stat = fsSync.statSync(file, { throwIfNoEntry: false });
    return inline.has(rel) ? [rel, inline.get(rel)] : [rel, file, stat && statSignature(stat)];
  }));
}

/**
 * Themes compiled by earlier builds of this process (the dev server hands in its memory store's; a compiled theme is
 * not JSON), by a key of the template files' paths and stats.
 */
export interface ThemeMemo {
  recall(key: string): Theme | undefined;
  remember(key: string, theme: Theme): void;
}

/** Where templates come from besides the built-in theme and the blog's `templates/`. */
export interface TemplateExtensions {
  /** A theme's folder: its `templates/` sits between the built-in theme and the blog's. @default undefined */
  themeDir?: string;
  /** Partials written in the config (name → source), and the config file they are reported at. @default undefined */
  partials?: { file: string; sources: Readonly<Record<string, string>> };
}

async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await fs.stat(dir)).isDirectory();
  } catch {
    // A templates folder that cannot be stat'ed is skipped; check-folders reports a --templates that does not exist.
    return false;
  }
}
