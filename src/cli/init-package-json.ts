/** The scripts a new blog's package.json gets. */
const scripts = { build: 'blogbuild build', serve: 'blogbuild serve', check: 'blogbuild check', new: 'blogbuild new' };

/** What `init` knows for the new blog's package.json. */
export interface PackageJsonOptions {
  /** The package name, e.g. `my-blog`. */
  name: string;
  /** The blogbuild spec to depend on. */
  dependency: string;
  /** Whether `dependency` should replace a blogbuild spec the file already has. @default true */
  shouldReplaceDependency?: boolean;
}

/** The package.json of a new blog. */
export function newPackageJson(options: PackageJsonOptions): string {
  const manifest = { name: options.name, version: '0.1.0', private: true, type: 'module', scripts, dependencies: { blogbuild: options.dependency } };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * An existing package.json completed for a blog: missing fields and scripts are added, what is there is kept,
 * and the blogbuild dependency is set where it already is (dependencies or devDependencies).
 * `undefined` when the text is not a JSON object, so the caller keeps the file as it is.
 */
export function mergedPackageJson(text: string, options: PackageJsonOptions): string | undefined {
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // A package.json that is not JSON is left as it is (init keeps it and says so), not overwritten.
    return undefined;
  }
  if (!isRecord(manifest)) return undefined;
  const merged: Record<string, unknown> = { name: options.name, version: '0.1.0', private: true, type: 'module', ...manifest };
  merged.scripts = { ...scripts, ...(isRecord(manifest.scripts) ? manifest.scripts : {}) };
  const field = (['dependencies', 'devDependencies'] as const).find((key) => isRecord(manifest[key]) && 'blogbuild' in (manifest[key] as object)) ?? 'dependencies';
  const deps = { ...(isRecord(manifest[field]) ? (manifest[field] as Record<string, string>) : {}) };
  if (!deps.blogbuild || options.shouldReplaceDependency !== false) deps.blogbuild = options.dependency;
  merged[field] = deps;
  const indent = /^\{\r?\n([ \t]+)"/.exec(text)?.[1] ?? 2;
  return `${JSON.stringify(merged, null, indent)}\n`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
