import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { error, type Diagnostic, type Location } from '../diagnostics/error.js';
import type { PluginDescription } from '../markdown/processor.js';
import { findPackageDir, isBareSpecifier, packageEntry, packageName, packageVersion } from './packages.js';

/** The config file a plugin list was read from. */
export interface PluginContext {
  root: string;
  configFile: string | undefined;
  /** The URL the config module was imported from (workers import the same). */
  configHref: string | undefined;
  configText: string | undefined;
  /** Where a key path is written in the config file. */
  locate: (keyPath: string[]) => Location | undefined;
}

type List = 'remarkPlugins' | 'rehypePlugins';

/**
 * A config's plugin list as descriptions a worker thread can load: a package name is resolved from the blog's own
 * `node_modules` (as the config's imports are) to a file URL; a function, which cannot be sent to a thread, is
 * described as "entry `index` of the config module's list", so the worker imports the config module and takes it
 * from there. Each description gets an identity for the markdown cache's salt: a package's installed version and
 * its dependencies' versions, or for a function its source, its options and the versions of what the config imports.
 */
export function resolvePlugins(list: List, entries: readonly unknown[], context: PluginContext): { plugins: PluginDescription[]; diagnostics: Diagnostic[] } {
  const plugins: PluginDescription[] = [];
  const diagnostics: Diagnostic[] = [];
  let imports: string | undefined;
  entries.forEach((entry, index) => {
    const [plugin, options] = Array.isArray(entry) ? entry : [entry, undefined];
    const where = `markdown.${list}[${index}]`;
    if (typeof plugin === 'function') {
      imports ??= configImportsIdentity(context);
      const name = `${(plugin as { name?: string }).name || 'an anonymous plugin'} (${where})`;
      const identity = hash(`function\0${String(plugin)}\0${stableText(options)}\0${imports}`);
      plugins.push({ specifier: context.configHref!, fromConfig: { list, index }, name, identity });
      return;
    }
    const specifier = String(plugin);
    const base = context.configFile ? path.dirname(context.configFile) : context.root;
    const file = isBareSpecifier(specifier) ? packageEntry(specifier, base) : path.resolve(base, specifier);
    if (!file || !fs.existsSync(file)) {
      diagnostics.push(error('ConfigInvalid', { problem: 'plugin-missing', where, specifier, packageName: isBareSpecifier(specifier) ? packageName(specifier) : undefined },
        context.locate(['markdown', list]) ?? (context.configFile ? { file: context.configFile } : undefined)));
      return;
    }
    try {
      structuredClone(options);
    } catch {
      // The clone error only says which value could not be copied; the diagnostic says what to do instead.
      diagnostics.push(error('ConfigInvalid', { problem: 'plugin-options', where, specifier },
        context.locate(['markdown', list]) ?? (context.configFile ? { file: context.configFile } : undefined)));
      return;
    }
    const identity = isBareSpecifier(specifier) ? packageIdentity(packageName(specifier), base) : `file ${hash(fs.readFileSync(file))}`;
    plugins.push({ specifier: pathToFileURL(file).href, options, name: `${specifier} (${where})`, identity });
  });
  return { plugins, diagnostics };
}

/** A package's installed version and its direct dependencies' (rehype-katex's katex), as Node would resolve them. */
function packageIdentity(name: string, from: string): string {
  const dir = findPackageDir(name, from);
  if (!dir) return `${name}@missing`;
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version?: string; dependencies?: Record<string, string> };
  const deps = Object.keys(pkg.dependencies ?? {}).sort().map((dep) => `${dep}@${packageVersion(dep, dir)}`);
  return [`${name}@${pkg.version}`, ...deps].join(' ');
}

/**
 * What the config module imports: a package's identity (see packageIdentity) or a local file's hash, for each
 * `import … from '…'` and `import('…')` in its text. A plugin function's own source does not change when the
 * package it comes from is upgraded; these do.
 */
function configImportsIdentity(context: PluginContext): string {
  const text = context.configText ?? '';
  const base = context.configFile ? path.dirname(context.configFile) : context.root;
  const specifiers = new Set<string>();
  for (const match of text.matchAll(/\bfrom\s*["']([^"']+)["']|\bimport\s*\(?\s*["']([^"']+)["']/g)) specifiers.add(match[1] ?? match[2]);
  return [...specifiers].sort().map((specifier) => {
    if (specifier.startsWith('node:')) return specifier;
    if (isBareSpecifier(specifier)) return packageIdentity(packageName(specifier), base);
    try {
      return `${specifier} ${hash(fs.readFileSync(path.resolve(base, specifier)))}`;
    } catch {
      // An import the config cannot load fails the config itself; here it only has to name the code it is.
      return `${specifier} unreadable`;
    }
  }).join('\n');
}

/** Options as text for a hash: JSON, with functions and regular expressions by their source. */
function stableText(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'function' || item instanceof RegExp ? `${typeof item} ${String(item)}` : item)) ?? 'undefined';
}

function hash(data: string | Buffer): string {
  return createHash('sha1').update(data).digest('hex');
}
