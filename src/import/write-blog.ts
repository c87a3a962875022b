import fs from 'node:fs/promises';
import path from 'node:path';
import { BlogbuildError } from '../diagnostics/error.js';

/** One file of the blog being written: text, or a copy of a source file. */
export type OutputFile = { path: string; text: string } | { path: string; from: string };

/** What `npm init` and `npm install blogbuild` leave: a folder holding only these counts as empty. */
const installFiles = new Set(['package.json', 'package-lock.json', 'node_modules', '.git', '.gitignore']);

/** Writes the blog's files into `out`, refusing a folder that is not empty unless `force`. */
export async function writeBlog(out: string, files: OutputFile[], force: boolean): Promise<void> {
  // A blog folder that does not exist yet is empty: writeBlog makes it.
  const existing = (await fs.readdir(out).catch(() => [] as string[])).filter((name) => !installFiles.has(name));
  if (existing.length > 0 && !force) {
    throw new BlogbuildError('UsageInvalid', { problem: 'import-target-not-empty', entries: existing.length }, { file: out });
  }
  for (const file of files) {
    const target = path.join(out, ...file.path.split('/'));
    await fs.mkdir(path.dirname(target), { recursive: true });
    if ('text' in file) await fs.writeFile(target, file.text);
    else await fs.copyFile(file.from, target);
  }
}
