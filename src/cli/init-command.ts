import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isoInZone } from '../content/dates.js';
import { slugify } from '../content/slug.js';
import { version } from '../version.js';
import { CommandFileError, describeFileError, makeDirectory, reportFileError } from './file-errors.js';

/** Flags of `blogbuild init`. */
export interface InitFlags {
  force?: boolean;
  /** The version spec written for the blogbuild dependency. @default a file: link to this installation */
  dependency?: string;
}

/** This installation of blogbuild (the folder holding its package.json), symlinks resolved. */
const packageRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The blogbuild dependency of a new blog. blogbuild is not on the npm registry yet, so by default the new blog
 * depends on the installation that created it (`file:` link), which `npm install` can always resolve.
 */
export async function defaultDependency(): Promise<string> {
  const real = await fs.realpath(packageRoot).catch(() => packageRoot);
  return `file:${real.replace(/[\\/]+$/, '')}`;
}

/** The scaffold shipped with the package (`scaffold/`), beside `src/` and `lib/`. */
export const scaffoldDir = fileURLToPath(new URL('../../scaffold/', import.meta.url));

/** npm leaves dot-files out of packages, so the scaffold stores them without the dot. */
const renames: Record<string, string> = { gitignore: '.gitignore', github: '.github' };

/** Entries that do not make a folder "not empty": a fresh `git init` leaves `.git`. */
const ignorable = new Set(['.git', '.DS_Store', 'Thumbs.db']);

/** One file `init` writes: path relative to the blog's folder, and its text. */
export interface ScaffoldFile {
  path: string;
  text: string;
}

/** The files of a new blog named after `name`, with today's date in `timezone`. */
export async function scaffoldFiles(options: { name: string; timezone: string; now?: Date; dependency?: string }): Promise<ScaffoldFile[]> {
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
  const packageJson = {
    name: slugify(options.name) || 'my-blog',
    version: '0.1.0',
    private: true,
    type: 'module',
    scripts: { build: 'blogbuild build', serve: 'blogbuild serve', check: 'blogbuild check', new: 'blogbuild new' },
    dependencies: { blogbuild: options.dependency ?? `^${version}` },
  };
  files.push({ path: 'package.json', text: `${JSON.stringify(packageJson, null, 2)}\n` });
  return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** `blogbuild init [dir]`: scaffolds a blog; refuses a non-empty folder unless --force (which keeps existing files). */
export async function initCommand(dir: string | undefined, flags: InitFlags): Promise<number> {
  try {
    return await initBlog(dir, flags);
  } catch (cause) {
    if (cause instanceof CommandFileError) return reportFileError(cause);
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
  if (entries.length > 0 && !flags.force) {
    const listed = entries.slice(0, 5).join(', ') + (entries.length > 5 ? ', …' : '');
    process.stderr.write(
      `error: ${shown} is not empty (${listed}); nothing was written\n` +
        `  hint: run blogbuild init in an empty folder (blogbuild init my-blog), or add --force to add the missing files and keep the existing ones\n`,
    );
    return 1;
  }

  const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const dependency = flags.dependency ?? (await defaultDependency());
  const files = await scaffoldFiles({ name: path.basename(target), timezone, dependency });
  await makeDirectory(target, shown);
  const written: string[] = [];
  const kept: string[] = [];
  for (const file of files) {
    const full = path.join(target, file.path);
    const shownFile = path.join(shown, file.path);
    await makeDirectory(path.dirname(full), path.dirname(shownFile));
    try {
      await fs.writeFile(full, file.text, { flag: 'wx' });
      written.push(file.path);
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== 'EEXIST') throw describeFileError(cause, shownFile);
      kept.push(file.path);
    }
  }
  const out = process.stdout;
  out.write(`Created a blog in ${shown}:\n${written.map((file) => `  ${file}\n`).join('')}`);
  if (kept.length > 0) out.write(`Kept existing files:\n${kept.map((file) => `  ${file}\n`).join('')}`);
  const cd = shown === '.' ? '' : `  cd ${shown.includes(' ') ? JSON.stringify(shown) : shown}\n`;
  out.write(`\nNext:\n${cd}  npm install\n  npm run serve     # http://127.0.0.1:4000/, reloads as you save\n`);
  if (dependency.startsWith('file:')) {
    out.write(
      `\nnote: package.json depends on this copy of blogbuild (${dependency}).\n` +
        `  For CI (the GitHub Pages workflow), point it at a version or git URL your CI can install:\n` +
        `  blogbuild init --dependency "<spec>", or edit package.json.\n`,
    );
  }
  return 0;
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
