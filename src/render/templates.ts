import { createHash } from 'node:crypto';
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Handlebars from 'handlebars';
import { walk } from '../content/walk.js';
import { error, type Diagnostic } from '../diagnostics/error.js';
import { partialReferences, type PartialReference } from './partial-references.js';

/** The built-in theme shipped with blogbuild. */
export const builtinTemplatesDir = fileURLToPath(new URL('../../templates/', import.meta.url));

/** Page templates every theme provides. */
export const pageTemplates = ['layout', 'post', 'list', 'tags', 'page', '404'] as const;
export type PageTemplateName = (typeof pageTemplates)[number];

/** A compiled template and the file it came from. */
export interface CompiledTemplate {
  file: string;
  source: string;
  render: Handlebars.TemplateDelegate;
}

/** The theme: compiled page templates, registered partials, and asset files to copy. */
export interface Theme {
  /** The theme's Handlebars environment (loaded and compiled on first use when the theme was compiled lazily). */
  readonly handlebars: typeof Handlebars;
  pages: Record<PageTemplateName, CompiledTemplate>;
  /** Partial name → file, for error messages. */
  partials: Map<string, CompiledTemplate>;
  /** Output path under `assets/` → absolute source file. */
  assets: Map<string, string>;
  /** Every template file used, for cache keys and watching. */
  files: string[];
}

/**
 * Loads the built-in theme overridden file by file by the blog's `templates/` folder, compiles every
 * template once (syntax errors become diagnostics at their line) and registers partials and helpers.
 */
export async function loadTemplates(
  localDir: string | undefined,
  registerHelpers: (hb: typeof Handlebars) => void,
  memo?: { last?: { key: string; theme: Theme } },
  verified?: VerifiedTemplates,
  extend: TemplateExtensions = {},
): Promise<{ theme?: Theme; diagnostics: Diagnostic[] }> {
  const sources = await templateSources(localDir, extend);
  const { files } = sources;
  // With a memo (the dev server; the helpers' config is the memo's), the theme is compiled again only when the set
  // of template files or one file's size, mtime or inode changed.
  let key: string | undefined;
  if (memo || verified) {
    key = templatesKey(sources);
    if (memo?.last?.key === key) return { theme: memo.last.theme, diagnostics: [] };
    if (memo) memo.last = undefined;
  }
  // The same template files (paths and stats) compiled without errors by an earlier build: Handlebars is loaded
  // and the templates compiled only when some page is rendered. Otherwise (a miss) they are compiled now.
  let compiled: Awaited<ReturnType<typeof compileTheme>> | undefined;
  const compile = async () => (compiled = await compileTheme(sources, registerHelpers, verified));
  if (verified && key !== undefined && (await verified.memo(key, async () => ((await compile()).theme ? true : undefined))) && !compiled) {
    const theme = await lazyTheme(files, sources.read, registerHelpers, verified);
    if (theme) {
      if (memo) memo.last = { key, theme };
      return { theme, diagnostics: [] };
    }
  }
  const { theme, diagnostics } = compiled ?? (await compile());
  if (!theme) return { diagnostics };
  if (memo && key !== undefined) memo.last = { key, theme };
  return { theme, diagnostics };
}

/** The theme's template files by path relative to the theme (`partials/x.hbs`), and how to read each. */
interface TemplateSources {
  files: Map<string, string>;
  /** Partials written in the config, by relative path: their source. */
  inline: Map<string, string>;
  read(rel: string, file: string): string | Promise<string>;
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
    return inline.has(rel) ? [rel, inline.get(rel)] : [rel, file, stat?.size, stat?.mtimeMs, stat?.ino];
  }));
}

/**
 * Compiles every template of the theme in a new Handlebars environment, registering partials: a syntax error, a
 * missing page template or a missing partial is a diagnostic, and then there is no theme.
 */
async function compileTheme(sources: TemplateSources, registerHelpers: (hb: typeof Handlebars) => void, verified?: VerifiedTemplates): Promise<{ theme?: Theme; diagnostics: Diagnostic[] }> {
  const handlebars = loadHandlebars().create();
  registerHelpers(handlebars);
  const diagnostics: Diagnostic[] = [];
  const references: (PartialReference & { file: string })[] = [];
  const compile = async (rel: string, file: string): Promise<CompiledTemplate | undefined> => {
    const source = await sources.read(rel, file);
    try {
      const ast = handlebars.parse(source);
      for (const reference of partialReferences(ast)) references.push({ file, ...reference });
      return { file, source, render: compileTemplate(handlebars, ast, verified, source) };
    } catch (cause) {
      // A partial written in the config: its lines are not the config file's, so the message names the partial.
      diagnostics.push(templateSyntaxError(file, source, cause, sources.inline.has(rel) ? rel.slice('partials/'.length, -'.hbs'.length) : undefined));
      return undefined;
    }
  };
  const partials = new Map<string, CompiledTemplate>();
  const assets = new Map<string, string>();
  const pages: Partial<Record<PageTemplateName, CompiledTemplate>> = {};
  for (const [rel, file] of [...sources.files].sort()) {
    if (rel.startsWith('assets/')) {
      assets.set(rel, file);
    } else if (rel.startsWith('partials/') && rel.endsWith('.hbs')) {
      const compiled = await compile(rel, file);
      if (!compiled) continue;
      const name = rel.slice('partials/'.length, -'.hbs'.length);
      partials.set(name, compiled);
      handlebars.registerPartial(name, compiled.render);
    } else if (rel.endsWith('.hbs') && (pageTemplates as readonly string[]).includes(rel.slice(0, -4))) {
      const compiled = await compile(rel, file);
      if (compiled) pages[rel.slice(0, -4) as PageTemplateName] = compiled;
    }
  }
  diagnostics.push(...missingTemplates(pages, partials, references, diagnostics));
  if (diagnostics.length > 0) return { diagnostics };
  return { theme: { handlebars, pages: pages as Theme['pages'], partials, assets, files: [...sources.files.values()].sort() }, diagnostics };
}

/** Page templates no theme layer has, and partials a template uses that none defines (when all compiled). */
function missingTemplates(pages: Partial<Record<PageTemplateName, CompiledTemplate>>, partials: Map<string, CompiledTemplate>, references: (PartialReference & { file: string })[], compileErrors: Diagnostic[]): Diagnostic[] {
  const missing: Diagnostic[] = [];
  for (const name of pageTemplates) {
    if (!pages[name] && !compileErrors.some((d) => d.loc?.file.endsWith(`${name}.hbs`))) {
      missing.push(error('TemplateNotFound', { problem: 'page', name }));
    }
  }
  // Checked once every template compiled: a partial with a syntax error is reported as that, not as missing too.
  for (const { file, name, line, column, length } of compileErrors.length > 0 || missing.length > 0 ? [] : references) {
    if (!partials.has(name)) missing.push(error('TemplateNotFound', { problem: 'partial', name }, { file, line, column, length }));
  }
  return missing;
}

/** Where templates come from besides the built-in theme and the blog's `templates/`. */
export interface TemplateExtensions {
  /** A theme's folder: its `templates/` sits between the built-in theme and the blog's. @default undefined */
  themeDir?: string;
  /** Partials written in the config (name → source), and the config file they are reported at. @default undefined */
  partials?: { file: string; sources: Readonly<Record<string, string>> };
}

/**
 * What earlier builds learnt of templates (the build hands in the store's): which template file sets (paths and
 * stats, as a key) compiled without errors, and each source's precompiled JavaScript by a hash of it.
 */
export interface VerifiedTemplates {
  /** True when the file set compiled without errors in an earlier build; else `compile()`'s answer, kept when true. */
  memo(key: string, compile: () => Promise<true | undefined>): boolean | undefined | Promise<true | undefined>;
  /** The precompiled template of a source by its hash (see {@link templateHash}): an earlier build's, else `precompile()`'s. */
  spec(hash: string, precompile: () => string): string;
}

/** Options every template is compiled with. */
const compileOptions = { preventIndent: true };

/** The key of a template source's precompiled form (the store's salt holds the blogbuild and Handlebars versions). */
export function templateHash(source: string): string {
  return createHash('sha1').update(JSON.stringify(compileOptions)).update('\0').update(source).digest('hex');
}

/**
 * Compiles a template through Handlebars' precompiler and revives the JavaScript it gives, the same path for a
 * template compiled now and one read back from the cache (`verified.spec`, by the hash of the source `text`, which an
 * AST `source` needs), so both render the same bytes. Reviving a precompiled template costs ~0.3 ms; compiling the
 * default theme costs ~60 ms.
 */
function compileTemplate(hb: typeof Handlebars, source: string | hbs.AST.Program, verified: VerifiedTemplates | undefined, text?: string): Handlebars.TemplateDelegate {
  const precompile = () => hb.precompile(source, compileOptions) as string;
  if (verified) {
    try {
      return revive(hb, verified.spec(templateHash(text ?? (source as string)), precompile));
    } catch {
      // A damaged cache entry: compile again.
    }
  }
  return revive(hb, precompile());
}

function revive(hb: typeof Handlebars, spec: string): Handlebars.TemplateDelegate {
  return hb.template(new Function(`return ${spec}`)() as Parameters<typeof Handlebars.template>[0]);
}

let handlebarsModule: typeof Handlebars | undefined;
/** Handlebars (~30 ms to load), loaded on first use; scripts/bundle.js points this require at a one-file bundle. */
function loadHandlebars(): typeof Handlebars {
  handlebarsModule ??= createRequire(import.meta.url)('handlebars') as typeof Handlebars;
  return handlebarsModule;
}

/** The installed Handlebars version, without loading Handlebars; part of render keys. */
export function handlebarsVersion(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    try {
      return (JSON.parse(fsSync.readFileSync(path.join(dir, 'node_modules', 'handlebars', 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      // Not here; look one folder up.
    }
    if (path.dirname(dir) === dir) return loadHandlebars().VERSION;
  }
}

/**
 * A theme whose sources are read but not compiled: the Handlebars environment, partials and page templates are
 * made on first use, exactly as {@link loadTemplates} makes them. Undefined when a page template is missing.
 */
async function lazyTheme(files: Map<string, string>, read: (rel: string, file: string) => string | Promise<string>, registerHelpers: (hb: typeof Handlebars) => void, verified: VerifiedTemplates): Promise<Theme | undefined> {
  const partials = new Map<string, CompiledTemplate>();
  const assets = new Map<string, string>();
  const pages: Partial<Record<PageTemplateName, CompiledTemplate>> = {};
  let handlebars: typeof Handlebars | undefined;
  const environment = () => {
    if (!handlebars) {
      const hb = loadHandlebars().create();
      registerHelpers(hb);
      for (const [name, partial] of partials) hb.registerPartial(name, partial.render);
      handlebars = hb;
    }
    return handlebars;
  };
  const lazyTemplate = (file: string, source: string): CompiledTemplate => {
    let compiled: Handlebars.TemplateDelegate | undefined;
    const render = ((context: unknown, options?: Handlebars.RuntimeOptions) => {
      if (!compiled) {
        compiled = compileTemplate(environment(), source, verified);
      }
      return compiled(context, options);
    }) as Handlebars.TemplateDelegate;
    return { file, source, render };
  };
  for (const [rel, file] of [...files].sort()) {
    if (rel.startsWith('assets/')) assets.set(rel, file);
    else if (rel.startsWith('partials/') && rel.endsWith('.hbs')) {
      partials.set(rel.slice('partials/'.length, -'.hbs'.length), lazyTemplate(file, await read(rel, file)));
    } else if (rel.endsWith('.hbs') && (pageTemplates as readonly string[]).includes(rel.slice(0, -4))) {
      pages[rel.slice(0, -4) as PageTemplateName] = lazyTemplate(file, await read(rel, file));
    }
  }
  if (pageTemplates.some((name) => !pages[name])) return undefined;
  return {
    get handlebars() {
      return environment();
    },
    pages: pages as Theme['pages'],
    partials,
    assets,
    files: [...files.values()].sort(),
  };
}

/** A Handlebars compile error as a diagnostic; `partial` names a partial written in the config (located at the config file alone). */
function templateSyntaxError(file: string, source: string, cause: unknown, partial?: string): Diagnostic {
  // The hint is the same as a file's; the message and place are the config partial's.
  if (partial !== undefined) return { ...templateSyntaxError(file, source, cause), ...configPartialError(file, cause, partial) };
  const e = cause as { message?: string; lineNumber?: number; column?: number };
  const message = String(e.message ?? cause);
  const parseLine = /Parse error on line (\d+)/.exec(message);
  const line = e.lineNumber ?? (parseLine ? Number(parseLine[1]) : undefined);
  const expecting = /got '([^']+)'/.exec(message);
  const problem = parseLine ? { problem: 'parse' as const, unexpected: expecting?.[1] } : { problem: 'other' as const, reason: message.replace(/ - \d+:\d+$/, '') };
  const mismatch = /^(\S+) doesn't match (\S+)/.exec(message);
  if (mismatch && line) {
    // Handlebars points at the opening tag; the mistake is usually the closing one, so point there.
    const [, open, close] = mismatch;
    const closing = findAfter(source, line, `{{/${close}`);
    return error('TemplateSyntax', { problem: 'mismatch', open, close }, closing ?? { file, line, column: e.column !== undefined ? e.column + 1 : undefined }, cause);
  }
  const column = e.column !== undefined ? e.column + 1 : line ? findMustache(source, line) : undefined;
  return error('TemplateSyntax', problem, { file, line, column }, cause);

  function findAfter(text: string, fromLine: number, needle: string) {
    const lines = text.split('\n');
    for (let i = fromLine - 1; i < lines.length; i++) {
      const at = lines[i].indexOf(needle);
      if (at >= 0) return { file, line: i + 1, column: at + 1, length: needle.length + 2 };
    }
    return undefined;
  }
}

/** The message of a config partial's syntax error, at the config file: the partial's own lines are not the file's. */
function configPartialError(file: string, cause: unknown, partial: string): Pick<Diagnostic, 'message' | 'loc'> {
  const message = String((cause as Error)?.message ?? cause);
  const mismatch = /^(\S+) doesn't match (\S+)/.exec(message);
  const expecting = /got '([^']+)'/.exec(message);
  const args = mismatch ? { problem: 'mismatch' as const, open: mismatch[1], close: mismatch[2], partial }
    : /Parse error on line/.test(message) ? { problem: 'parse' as const, unexpected: expecting?.[1], partial }
      : { problem: 'other' as const, reason: message.replace(/ - \d+:\d+$/, ''), partial };
  return { message: error('TemplateSyntax', args).message, loc: { file } };
}

function findMustache(source: string, line: number): number | undefined {
  const text = source.split('\n')[line - 1];
  const at = text?.lastIndexOf('{{');
  return at !== undefined && at >= 0 ? at + 1 : undefined;
}

async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await fs.stat(dir)).isDirectory();
  } catch {
    // A templates folder that cannot be stat'ed is skipped; check-folders reports a --templates that does not exist.
    return false;
  }
}
