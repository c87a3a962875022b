import fs from 'node:fs';
import path from 'node:path';

/** The folder of an installed package, found as Node finds it: in `node_modules` of `from` or a folder above. */
export function findPackageDir(name: string, from: string): string | undefined {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** A package's name and version from a module specifier (`@scope/name/sub` → `@scope/name`). */
export function packageName(specifier: string): string {
  return specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
}

/** Whether a module specifier names a package (not a path or a URL). */
export function isBareSpecifier(specifier: string): boolean {
  return !/^(?:\.{0,2}\/|[a-z][a-z\d+.-]*:)/i.test(specifier) && !path.isAbsolute(specifier);
}

/**
 * The file a package's main ESM entry is, read from its package.json (`exports["."]` with the `import` or `default`
 * condition, else `module`, `main`, `index.js`), so a plugin named in a blog's config is imported from the blog's
 * `node_modules`, not blogbuild's. Subpaths (`pkg/sub`) go through `exports` too.
 */
export function packageEntry(specifier: string, from: string): string | undefined {
  const name = packageName(specifier);
  const dir = findPackageDir(name, from);
  if (!dir) return undefined;
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { exports?: unknown; module?: string; main?: string };
  const subpath = `.${specifier.slice(name.length)}`;
  const target = pkg.exports === undefined ? undefined : exportTarget(pkg.exports, subpath);
  if (target) return path.join(dir, target);
  if (subpath !== '.') return path.join(dir, subpath);
  return path.join(dir, pkg.module ?? pkg.main ?? 'index.js');
}

function exportTarget(exports: unknown, subpath: string): string | undefined {
  const isSubpathMap = typeof exports === 'object' && exports !== null && !Array.isArray(exports) && Object.keys(exports).some((key) => key.startsWith('.'));
  const entry = isSubpathMap ? (exports as Record<string, unknown>)[subpath] : subpath === '.' ? exports : undefined;
  return conditionTarget(entry);
}

function conditionTarget(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (Array.isArray(entry)) return entry.map(conditionTarget).find(Boolean);
  if (typeof entry !== 'object' || entry === null) return undefined;
  const conditions = entry as Record<string, unknown>;
  for (const key of ['import', 'node', 'default']) {
    const target = conditionTarget(conditions[key]);
    if (target) return target;
  }
  return undefined;
}

/**
 * The installed version of a package, found by walking up node_modules folders (exports maps may hide package.json);
 * `missing` when none is found. Plugin identities and the code salt (cache/code-salt.ts) both name packages by it.
 */
export function packageVersion(name: string, from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      return (JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      // Not here; look one folder up.
    }
    if (path.dirname(dir) === dir) return 'missing';
  }
}
