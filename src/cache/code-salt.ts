import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageVersion } from '../config/packages.js';
import { version } from '../version.js';
import { writeFileAtomic } from '../incremental/packed-file.js';

/**
 * Packages that shape the output besides blogbuild's own dependencies (read from its package.json): the ones the
 * markdown and HTML packages pull in. A bundled build has their code in its chunks too; the versions say it for
 * an unbundled one.
 */
const transitivePackages = [
  'micromark', 'micromark-extension-gfm', 'mdast-util-from-markdown', 'mdast-util-gfm', 'mdast-util-to-hast',
  'hast-util-to-html', 'parse5', 'rehype-slug',
];

let salt: string | undefined;

/**
 * One hash of all the code that can shape a build's output: every module of blogbuild itself as it runs (the
 * bundle in lib/bundle/, or lib/ or src/ unbundled), its version, and the installed version of every package it
 * depends on. Every cache key and every cache file's salt includes it, so a changed module anywhere (not only in
 * the folder someone remembered to list) makes the next build redo what it may have changed. Computed once a
 * process, and remembered in the cache folder by the code files' stats (reading ~3 MB of code is ~20 ms of CPU).
 */
export function codeSalt(/** A cache folder where the salt is remembered by the code files' stats (see rememberedSalt). */ memoDir?: string): string {
  salt ??= computeCodeSalt(path.dirname(fileURLToPath(import.meta.url)), memoDir);
  return salt;
}

function computeCodeSalt(here: string, memoDir: string | undefined): string {
  // The bundle is flat (scripts/bundle.js); unbundled, this module is one folder below lib/ or src/.
  const isBundle = path.basename(here) === 'bundle';
  const codeRoot = isBundle ? here : path.dirname(here);
  const files = codeFiles(codeRoot, isBundle);
  const packageRoot = path.dirname(isBundle ? path.dirname(codeRoot) : codeRoot);
  const versions = [...dependencies(packageRoot), ...transitivePackages].map((name) => `\0${name}@${packageVersion(name, packageRoot)}`).join('');
  const compute = () => {
    const hash = createHash('sha1').update(`blogbuild@${version}\0`);
    for (const file of files) hash.update(`\0${path.relative(codeRoot, file)}\0`).update(fs.readFileSync(file));
    return hash.update(versions).digest('hex');
  };
  return memoDir === undefined ? compute() : rememberedSalt(path.join(memoDir, 'code-salt'), `${version}\0${codeRoot}${versions}`, files, compute);
}

/**
 * The salt remembered in `file` for code files of the same stats, else `compute()`'s, remembered there. Reading the
 * ~3 MB of code is ~20 ms of every build; stat'ing its ~100 files, ~1 ms. A file's size, mtime, ctime and inode
 * change when it is written (npm gives every installed file one mtime, but a new file has a new ctime), and files
 * written within the clock's tick of now are not trusted (the salt is computed, not remembered).
 */
function rememberedSalt(file: string, prefix: string, files: string[], compute: () => string): string {
  const now = Date.now();
  let signature: string | undefined = prefix;
  for (const code of files) {
    const stat = fs.statSync(code);
    if (Math.max(stat.mtimeMs, stat.ctimeMs) >= now - 2000) signature = undefined;
    if (signature !== undefined) signature += `\0${code}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}:${stat.ino}`;
  }
  if (signature === undefined) return compute();
  const digest = createHash('sha1').update(signature).digest('hex');
  try {
    const [remembered, salt] = fs.readFileSync(file, 'utf8').split('\n');
    if (remembered === digest && /^[0-9a-f]{40}$/.test(salt ?? '')) return salt!;
  } catch {
    // Not remembered yet.
  }
  const computed = compute();
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, [Buffer.from(`${digest}\n${computed}\n`)]);
  } catch {
    // Not remembered: the next build computes it again.
  }
  return computed;
}

/** The code files under `dir`, sorted; lib/bundle/ is left out of an unbundled lib/ (it is not what runs). */
function codeFiles(dir: string, isBundle: boolean): string[] {
  const files: string[] = [];
  const visit = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!(folder === dir && entry.name === 'bundle' && !isBundle)) visit(full);
      } else if (/\.(?:[cm]?js|ts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(full);
    }
  };
  visit(dir);
  return files;
}

/** The names of blogbuild's runtime dependencies, from its package.json. */
function dependencies(packageRoot: string): string[] {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    return Object.keys(pkg.dependencies ?? {}).sort();
  } catch {
    // No package.json beside the code: the code files alone make the salt.
    return [];
  }
}

/**
 * What names the code of a module a markdown plugin is imported from: a hash of the file for a `file:` URL or a
 * path, else the installed version of the package (`@scope/name/sub` → `@scope/name`). Part of the markdown salt.
 */
export function moduleIdentity(specifier: string): string {
  if (specifier.startsWith('file:') || path.isAbsolute(specifier)) {
    const file = specifier.startsWith('file:') ? fileURLToPath(specifier) : specifier;
    try {
      return `file ${createHash('sha1').update(fs.readFileSync(file)).digest('hex')}`;
    } catch {
      // Unreadable: importing it will fail and report it; the salt only has to differ from a readable file's.
      return 'file unreadable';
    }
  }
  const name = specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
  return `${name}@${packageVersion(name, path.dirname(fileURLToPath(import.meta.url)))}`;
}
