import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Where an installed copy of blogbuild came from, as npm recorded it in the project that installed it:
 * - `spec`: a dependency spec any machine can install again (a git URL, a tarball URL, a registry range);
 * - `tarball`: a tarball on this disk (`npm install ../blogbuild/blogbuild-0.1.0.tgz`), by absolute path;
 * - `unknown`: not installed by npm (a clone of the repository, a `file:` link to one), or nothing recorded.
 */
export type InstallSource =
  | { kind: 'spec'; spec: string; project: string }
  | { kind: 'tarball'; file: string; project: string }
  | { kind: 'unknown' };

/** A lock file's entry for one installed package (package-lock.json v2/v3, or npm's hidden lock in node_modules). */
interface LockEntry {
  version?: string;
  resolved?: string;
  link?: boolean;
}

interface Manifest {
  version?: string;
  _resolved?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** How `installedAt` (a package folder, symlinks resolved) was installed, from its project's package.json and lock file. */
export async function installSource(installedAt: string): Promise<InstallSource> {
  const nodeModules = nearestNodeModules(installedAt);
  if (!nodeModules) return { kind: 'unknown' };
  const project = path.dirname(nodeModules);
  const key = path.relative(project, installedAt).split(path.sep).join('/');
  const name = path.basename(installedAt);
  const installed = await readJson<Manifest>(path.join(installedAt, 'package.json'));
  const entry = await lockEntry(project, key);
  if (entry?.link) return { kind: 'unknown' };
  // npm 6 wrote `_resolved` into the installed package.json; npm 7 and later keep it in the lock files only.
  const resolved = entry?.resolved ?? installed?._resolved;
  const declared = declaredSpec(await readJson<Manifest>(path.join(project, 'package.json')), name);
  if (declared && isGitSpec(declared)) return { kind: 'spec', spec: declared, project };
  if (!resolved) return { kind: 'unknown' };
  if (isGitSpec(resolved)) return { kind: 'spec', spec: resolved, project };
  if (resolved.startsWith('file:')) {
    const file = path.resolve(project, resolved.slice('file:'.length));
    return /\.(tgz|tar\.gz|tar)$/.test(file) ? { kind: 'tarball', file, project } : { kind: 'unknown' };
  }
  if (/^https?:\/\//.test(resolved)) {
    // A registry install resolves to `<registry>/<name>/-/<name>-<version>.tgz`; write a range, as `npm install` does.
    const version = entry?.version ?? installed?.version;
    if (resolved.includes(`/${name}/-/`) && version) return { kind: 'spec', spec: `^${version}`, project };
    return { kind: 'spec', spec: declared && /^https?:\/\//.test(declared) ? declared : resolved, project };
  }
  return { kind: 'unknown' };
}

/** Git URLs and hosted shortcuts (`github:owner/repo#tag`, `owner/repo`) as npm accepts them. */
function isGitSpec(spec: string): boolean {
  if (/^git(\+[a-z]+)?:/.test(spec) || /^(github|gitlab|bitbucket|gist):/.test(spec)) return true;
  return /^[a-z0-9][\w.-]*\/[\w.-]+(#.*)?$/i.test(spec) && !/\.(tgz|tar\.gz|tar)$/.test(spec);
}

/** The spec the project's package.json gives `name`, if any. */
function declaredSpec(manifest: Manifest | undefined, name: string): string | undefined {
  return manifest?.dependencies?.[name] ?? manifest?.devDependencies?.[name] ?? manifest?.optionalDependencies?.[name];
}

/** The lock entry for `key` (`node_modules/blogbuild`): the project's lock first, then npm's hidden one. */
async function lockEntry(project: string, key: string): Promise<LockEntry | undefined> {
  for (const file of ['package-lock.json', 'npm-shrinkwrap.json', 'node_modules/.package-lock.json']) {
    const lock = await readJson<{ packages?: Record<string, LockEntry> }>(path.join(project, file));
    const entry = lock?.packages?.[key];
    if (entry) return entry;
  }
  return undefined;
}

function nearestNodeModules(dir: string): string | undefined {
  for (let current = path.dirname(dir); current !== path.dirname(current); current = path.dirname(current)) {
    if (path.basename(current) === 'node_modules') return current;
  }
  return undefined;
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as T;
  } catch {
    // Missing or malformed metadata: the install source is unknown, and init falls back to a file: link and says so.
    return undefined;
  }
}
