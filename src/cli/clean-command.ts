import path from 'node:path';
import { clearMarkdownCache, resolveCacheDir } from '../cache/markdown-cache.js';
import { describeFileError, reportFileError } from './file-errors.js';

/** `blogbuild clean`: removes the build cache (`node_modules/.cache/blogbuild/`), so the next build renders every post. */
export async function cleanCommand(flags: { quiet?: boolean; debug?: boolean }): Promise<number> {
  const cwd = process.cwd();
  const dir = resolveCacheDir(cwd);
  let existed: boolean;
  try {
    existed = await clearMarkdownCache(dir);
  } catch (cause) {
    return reportFileError(describeFileError(cause, path.relative(cwd, dir) || dir), flags.debug);
  }
  if (!flags.quiet) process.stdout.write(`${existed ? 'Removed the build cache' : 'No build cache to remove at'} ${path.relative(cwd, dir)}/\n`);
  return 0;
}
