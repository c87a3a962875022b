import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type Handlebars from 'handlebars';
import { error, type Diagnostic } from '../diagnostics/error.js';
import { partialReferences, type PartialReference } from './partial-references.js';
import { templateSyntaxError } from './template-errors.js';

// Making a theme from its template sources: compiled now (every syntax error found), or lazily when an earlier
// build compiled the same files without errors. Finding the sources is templates.ts's job.

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

/** The theme's template files by path relative to the theme (`partials/x.hbs`), and how to read each. */
export interface TemplateSources {
  files: Map<string, string>;
  /** Partials written in the config, by relative path: their source. */
  inline: Map<string, string>;
  read(rel: string, file: string): string | Promise<string>;
}

/**
 * Compiles every template of the theme in a new Handlebars environment, registering partials: a syntax error, a
 * missing page template or a missing partial is a diagnostic, and then there is no theme.
 */
export async function compileTheme(sources: TemplateSources, registerHelpers: (hb: typeof Handlebars) => void, verified?: VerifiedTemplates): Promise<{ theme?: Theme; diagnostics: Diagnostic[] }> {
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

/**
 * Options every template is compiled with. Frozen, and handed to Handlebars as a copy: its precompile adds fields to
 * the options it is given (`data`, `knownHelpers`), so a shared object would change {@link templateHash} after the
 * first compile of a process, and the next build would find templates under a hash other than the one stored.
 */
const compileOptions = Object.freeze({ preventIndent: true });

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
  const hash = templateHash(text ?? (source as string));
  const compile = () => hb.precompile(source, { ...compileOptions }) as string;
  const precompile = () => shippedSpec(hash) ?? compile();
  if (verified) {
    try {
      return revive(hb, verified.spec(hash, precompile));
    } catch {
      // A damaged cache entry: compile again.
    }
  }
  try {
    return revive(hb, precompile());
  } catch {
    // A shipped spec Handlebars refuses (its compiler revision): compile it here.
    return revive(hb, compile());
  }
}

/**
 * The built-in theme's templates precompiled when blogbuild was built (scripts/precompile-theme.js writes
 * lib/builtin-template-code.json), by {@link templateHash}: a first build or dev server start with an empty cache
 * revives them instead of compiling them (~60-100 ms). Only for the Handlebars version they were compiled by.
 */
export interface ShippedTemplates {
  handlebars: string;
  specs: Record<string, string>;
}

export const shippedTemplatesFile = fileURLToPath(new URL('../../lib/builtin-template-code.json', import.meta.url));

let shipped: Map<string, string> | undefined;
function shippedSpec(hash: string): string | undefined {
  if (!shipped) {
    shipped = new Map();
    try {
      const file = JSON.parse(fs.readFileSync(shippedTemplatesFile, 'utf8')) as ShippedTemplates;
      if (file.handlebars === loadHandlebars().VERSION && typeof file.specs === 'object' && file.specs !== null) {
        for (const [key, spec] of Object.entries(file.specs)) if (typeof spec === 'string') shipped.set(key, spec);
      }
    } catch {
      // None shipped (lib/ built without it) or unreadable: templates are compiled.
    }
  }
  return shipped.get(hash);
}

/** The precompiled form of each template source, as {@link shippedSpec} reads them (for scripts/precompile-theme.js). */
export function precompileTemplates(sources: readonly string[]): ShippedTemplates {
  const hb = loadHandlebars();
  const specs: Record<string, string> = {};
  for (const source of sources) specs[templateHash(source)] = hb.precompile(source, { ...compileOptions }) as string;
  return { handlebars: hb.VERSION, specs };
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

/**
 * A theme whose sources are read but not compiled: the Handlebars environment, partials and page templates are
 * made on first use, exactly as {@link loadTemplates} makes them. Undefined when a page template is missing.
 */
export async function lazyTheme(files: Map<string, string>, read: (rel: string, file: string) => string | Promise<string>, registerHelpers: (hb: typeof Handlebars) => void, verified: VerifiedTemplates): Promise<Theme | undefined> {
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
