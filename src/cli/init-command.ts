import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isoInZone } from '../content/dates.js';
import { slugify } from '../content/slug.js';
import { mergedPackageJson, newPackageJson, type PackageJsonOptions } from './init-package-json.js';
import { installSource } from './install-source.js';
import { CommandFileError, describeFileError, makeDirectory, reportFileError } from './file-errors.js';

/** Flags of `blogbuild init`. */
export interface InitFlags {
  force?: boolean;
  /** The version spec written for the blogbuild dependency. @default how this copy was installed (see `blogbuildDependency`) */
  dependency?: string;
  /** Print the causes of errors, with their stacks. */
  debug?: boolean;
}

/** This installation of blogbuild (the folder holding its package.json). */
const packageRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The scaffold shipped with the package (`scaffold/`), beside `src/` and `lib/`. */
export const scaffoldDir = fileURLToPath(new URL('../../scaffold/', import.meta.url));

/** npm leaves dot-files out of packages, so the scaffold stores them without the dot. */
const renames: Record<string, string> = { gitignore: '.gitignore', github: '.github' };

/** Entries that do not make a folder "not empty": a fresh `git init` leaves `.git`. */
const ignorable = new Set(['.git', '.DS_Store', 'Thumbs.db']);

/** What `npm install --save-dev <blogbuild>` leaves in a folder: `init` may complete that folder into a blog. */
const npmLeftovers = new Set(['package.json', 'package-lock.json', 'node_modules']);

/** One file `init` writes: path relative to the blog's folder, and its text. */
export interface ScaffoldFile {
  path: string;
  text: string;
}

/** The blogbuild dependency of a new blog in `target`, and the tarball to copy into it, if any. */
export interface BlogbuildDependency {
  spec: string;
  /** A tarball on this disk to copy into the blog (`from`, absolute) at `to` (relative to the blog). */
  vendor?: { from: string; to: string };
  /** True when `spec` is a `file:` link to this installation, which only this machine can install. */
  isLink: boolean;
}

/**
 * The dependency a new blog in `target` gets, so that its CI can run `npm ci`: `--dependency` when given; else
 * the git URL, tarball URL or registry range this copy was installed from (npm records it in the installing
 * project's lock file); a tarball on this disk is copied into the blog (`vendor/`) and depended on there.
 * When nothing is known (a clone, a `file:` link), a `file:` link to this installation, which works here only.
 */
export async function blogbuildDependency(target: string, flags: InitFlags, installedAt?: string): Promise<BlogbuildDependency> {
  if (flags.dependency) return { spec: flags.dependency, isLink: false };
  // A path that cannot be resolved is used as it is.
  const real = await fs.realpath(installedAt ?? packageRoot).catch(() => installedAt ?? packageRoot);
  const source = await installSource(real);
  if (source.kind === 'spec') return { spec: source.spec, isLink: false };
  if (source.kind === 'tarball' && (await exists(source.file))) {
    const inside = path.relative(target, source.file);
    if (!inside.startsWith('..') && !path.isAbsolute(inside)) return { spec: `file:${toPosix(inside)}`, isLink: false };
    const to = `vendor/${path.basename(source.file)}`;
    return { spec: `file:${to}`, vendor: { from: source.file, to }, isLink: false };
  }
  return { spec: `file:${real.replace(/[\\/]+$/, '')}`, isLink: true };
}

/** The files of a new blog named after `name`, with today's date in `timezone` (package.json aside: `init-package-json.ts`). */
export async function scaffoldFiles(options: { name: string; timezone: string; now?: Date }): Promise<ScaffoldFile[]> {
  const title = titleFrom(options.name);
  const values: Record<string, string> = {
    __TITLE__: title,
    __TIMEZONE__: options.timezone,
    __DATE__: isoInZone(options.now ?? new Date(), options.timezone).slice(0, 10),
  };
  const files: ScaffoldFile[] = [];
  for (const rel of await listFiles(scaffoldDir)) {
    const [first, ...rest] = rel.split('/');
    const target = [renames[first] ?? first, ...rest].join('/');
    const raw = await fs.readFile(path.join(scaffoldDir, rel), 'utf8');
    const text = raw.replace(/__(TITLE|TIMEZONE|DATE)__/g, (token) => (token === '__TITLE__' && rel.endsWith('.json') ? JSON.stringify(title).slice(1, -1) : values[token]));
    files.push({ path: target, text });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/**
 * `blogbuild init [dir]`: scaffolds a blog; refuses a non-empty folder unless --force (which keeps existing files).
 * A folder where blogbuild was just installed (package.json, package-lock.json, node_modules) counts as empty,
 * and its package.json is completed rather than kept.
 */
export async function initCommand(dir: string | undefined, flags: InitFlags): Promise<number> {
  try {
    return await initBlog(dir, flags);
  } catch (cause) {
    if (cause instanceof CommandFileError) return reportFileError(cause, flags.debug);
    throw cause;
  }
}

async function initBlog(dir: string | undefined, flags: InitFlags): Promise<number> {
  const cwd = process.cwd();
  const target = path.resolve(cwd, dir ?? '.');
  const relative = path.relative(cwd, target);
  const shown = relative === '' ? '.' : relative.startsWith('..') ? target : relative;
  let entries: string[] = [];
  try {
    const stat = await fs.stat(target);
    if (!stat.isDirectory()) {
      process.stderr.write(`error: ${shown} exists and is not a folder\n  hint: choose another name: blogbuild init my-blog\n`);
      return 2;
    }
    entries = (await fs.readdir(target)).filter((name) => !ignorable.has(name));
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'ENOENT') throw describeFileError(cause, shown);
  }
  const installedHere = entries.includes('node_modules') && (await exists(path.join(target, 'node_modules', 'blogbuild', 'package.json')));
  const blocking = installedHere ? entries.filter((name) => !npmLeftovers.has(name)) : entries;
  if (blocking.length > 0 && !flags.force) {
    const listed = blocking.slice(0, 5).join(', ') + (blocking.length > 5 ? ', …' : '');
    process.stderr.write(
      `error: ${shown} is not empty (${listed}); nothing was written\n` +
        `  hint: run blogbuild init in an empty folder (blogbuild init my-blog), or add --force to add the missing files and keep the existing ones\n`,
    );
    return 1;
  }

  const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const dependency = await blogbuildDependency(target, flags);
  const name = slugify(path.basename(target)) || 'my-blog';
  await makeDirectory(target, shown);
  const written: string[] = [];
  const kept: string[] = [];
  for (const file of await scaffoldFiles({ name: path.basename(target), timezone })) {
    const shownFile = path.join(shown, file.path);
    await makeDirectory(path.dirname(path.join(target, file.path)), path.dirname(shownFile));
    (await writeNew(path.join(target, file.path), file.text, shownFile) ? written : kept).push(file.path);
  }
  if (dependency.vendor) (await copyNew(dependency.vendor.from, path.join(target, dependency.vendor.to)) ? written : kept).push(dependency.vendor.to);
  const packageJson = await writePackageJson(target, { name, dependency: dependency.spec, shouldReplaceDependency: !dependency.isLink });
  (packageJson.state === 'kept' ? kept : written).push('package.json');
  printSummary({ shown, written: written.sort(), kept, isPackageJsonCompleted: packageJson.state === 'updated' });
  if (dependency.vendor) {
    process.stdout.write(
      `\nnote: package.json depends on ${dependency.vendor.to}, a copy of the tarball blogbuild was installed from.\n` +
        `  Commit it with package-lock.json: the GitHub Pages workflow installs blogbuild from it (npm ci).\n`,
    );
  } else if (dependency.isLink) {
    process.stdout.write(
      `\nnote: package.json depends on a folder on this machine (${packageJson.spec ?? dependency.spec}).\n` +
        `  For CI (the GitHub Pages workflow), point it at a version, git URL or tarball your CI can install:\n` +
        `  blogbuild init --dependency "<spec>", or edit package.json.\n`,
    );
  }
  return 0;
}

function printSummary(summary: { shown: string; written: string[]; kept: string[]; isPackageJsonCompleted: boolean }): void {
  const { shown, written, kept } = summary;
  const label = (file: string) => (file === 'package.json' && summary.isPackageJsonCompleted ? `${file} (completed)` : file);
  const out = process.stdout;
  out.write(`Created a blog in ${shown}:\n${written.map((file) => `  ${label(file)}\n`).join('')}`);
  if (kept.length > 0) out.write(`Kept existing files:\n${kept.map((file) => `  ${file}\n`).join('')}`);
  const cd = shown === '.' ? '' : `  cd ${shown.includes(' ') ? JSON.stringify(shown) : shown}\n`;
  out.write(`\nNext:\n${cd}  npm install\n  npm run serve     # http://127.0.0.1:4000/, reloads as you save\n`);
}

/** Writes the blog's package.json, or completes the one there (`kept` when it is not a JSON object); and the blogbuild spec it has. */
async function writePackageJson(target: string, options: PackageJsonOptions): Promise<{ state: 'written' | 'updated' | 'kept'; spec?: string }> {
  const file = path.join(target, 'package.json');
  if (await writeNew(file, newPackageJson(options), file)) return { state: 'written', spec: options.dependency };
  const merged = mergedPackageJson(await fs.readFile(file, 'utf8'), options);
  if (merged === undefined) return { state: 'kept' };
  await fs.writeFile(file, merged);
  const manifest = JSON.parse(merged) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  return { state: 'updated', spec: manifest.dependencies?.blogbuild ?? manifest.devDependencies?.blogbuild };
}

/** Writes `text` to `file` unless it exists; true when written. */
async function writeNew(file: string, text: string, shown: string): Promise<boolean> {
  try {
    await fs.writeFile(file, text, { flag: 'wx' });
    return true;
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'EEXIST') throw describeFileError(cause, shown);
    return false;
  }
}

/** Copies `from` to `to` unless `to` exists; true when copied. */
async function copyNew(from: string, to: string): Promise<boolean> {
  await fs.mkdir(path.dirname(to), { recursive: true });
  try {
    await fs.copyFile(from, to, fsConstants.COPYFILE_EXCL);
    return true;
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'EEXIST') throw cause;
    return false;
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

function toPosix(rel: string): string {
  return rel.split(path.sep).join('/');
}

function titleFrom(name: string): string {
  const words = name.replace(/[-_.]+/g, ' ').trim();
  if (!words || words === '.') return 'My Blog';
  return words.replace(/\b\p{Ll}/gu, (ch) => ch.toUpperCase());
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(path.join(dir, entry.name), rel)));
    else if (entry.isFile()) out.push(rel);
  }
  return out.sort();
}
