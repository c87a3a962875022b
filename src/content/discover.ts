import fs from 'node:fs/promises';
import path from 'node:path';
import { error, type Diagnostic } from '../diagnostics/error.js';

/** A markdown file found under the posts folder. */
export interface SourceFile {
  /** Absolute path. */
  path: string;
  /** Path relative to the posts folder, with `/` separators. */
  relPath: string;
  text: string;
  /** For a page bundle (`folder/index.md`): the bundle's folder. */
  bundleDir?: string;
  /** For a page bundle: the files beside `index.md`, relative to `bundleDir`, `/`-separated. */
  assets: string[];
}

/** Lists every `.md` file under `postsDir` (nested folders included), sorted by path, and reads it. */
export async function discoverSources(postsDir: string): Promise<{ sources: SourceFile[]; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  let stat;
  try {
    stat = await fs.stat(postsDir);
  } catch {
    stat = undefined;
  }
  if (!stat?.isDirectory()) {
    return {
      sources: [],
      diagnostics: [
        // The folder itself is the location, so it prints relative to where blogbuild runs (`posts: error: …`).
        error('PostsFolderMissing', stat ? 'the posts folder is a file, not a folder' : 'the posts folder does not exist', { file: postsDir },
          'create the folder and put your markdown posts in it, run blogbuild in your blog\'s folder, or pass --posts DIR'),
      ],
    };
  }

  const files = (await walk(postsDir)).sort();
  const markdown = files.filter((file) => file.toLowerCase().endsWith('.md'));
  const bundleDirs = new Set(
    markdown.filter((file) => path.basename(file) === 'index.md' && path.dirname(file) !== postsDir).map((file) => path.dirname(file)),
  );
  const sources = await Promise.all(
    markdown.map(async (file): Promise<SourceFile | undefined> => {
      let text: string;
      try {
        text = await fs.readFile(file, 'utf8');
      } catch (cause) {
        diagnostics.push(error('FileUnreadable', `cannot read file: ${(cause as Error).message}`, { file }, undefined, cause));
        return undefined;
      }
      const bundleDir = bundleDirs.has(path.dirname(file)) && path.basename(file) === 'index.md' ? path.dirname(file) : undefined;
      const assets = bundleDir
        ? files
            .filter((other) => ownerBundle(other, bundleDirs) === bundleDir && !other.toLowerCase().endsWith('.md'))
            .map((other) => toPosix(path.relative(bundleDir, other)))
        : [];
      return { path: file, relPath: toPosix(path.relative(postsDir, file)), text: text.replace(/^\uFEFF/, ''), bundleDir, assets };
    }),
  );
  return { sources: sources.filter((s): s is SourceFile => s !== undefined), diagnostics };
}

/** The innermost bundle folder containing `file`, if any. */
function ownerBundle(file: string, bundleDirs: Set<string>): string | undefined {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (bundleDirs.has(dir)) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Every file under `dir`, skipping dot-files and node_modules. */
export async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await fs.readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
