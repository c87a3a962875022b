// The folders of a build must be safe to use: the output folder is replaced whole by every build, and the public
// folder is published as it is.
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ResolvedConfig } from '../config/schema.js';
import { error, type Diagnostic } from '../diagnostics/error.js';
import { builtinTemplatesDir } from '../render/templates.js';
import { markerName, outputFolderProblem } from './output-folder.js';
import type { ManifestFile } from './manifest.js';

/** What {@link checkFolders} needs besides the config. */
export interface CheckFoldersOptions {
  /** A writer other than the file writer writes no folder: the output folder is not checked. */
  writer?: unknown;
  /** Replace an output folder blogbuild did not make (`--force`). */
  force?: boolean;
  /** The cache's manifest of the output folder, which vouches for a folder made before the marker; undefined with --no-cache. */
  manifest?: ManifestFile;
  /** The templates folder given on the command line, which must exist. */
  templates?: string;
}

/**
 * The folders must not overlap: the output folder is replaced by every build and must not hold or sit inside the
 * sources, the public folder is published as it is and must not hold the sources or the output, and a build replaces
 * only an output folder it made (or an empty one) unless `force`.
 */
export async function checkFolders(config: ResolvedConfig, options: CheckFoldersOptions): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  // Compared through symlinks: a linked dist/ inside posts/ is inside posts/.
  const inside = (child: string, parent: string) => {
    const rel = path.relative(realPath(parent), realPath(child));
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  };
  const shown = (p: string) => (p === config.root ? "the blog's own folder" : path.relative(config.root, p) || '.');
  const sources = [config.postsDir, config.pagesDir, config.templatesDir, config.publicDir];
  const around = [config.root, ...sources].find((source) => inside(source, config.outDir));
  const within = [config.postsDir, config.pagesDir, config.templatesDir, builtinTemplatesDir].find((source) => inside(config.outDir, source));
  if (around !== undefined) diagnostics.push(error('FoldersOverlap', { problem: 'output-holds-source', folder: shown(around) }, { file: config.outDir }));
  else if (within !== undefined) {
    const folder = within === builtinTemplatesDir ? 'the built-in theme' : shown(within);
    diagnostics.push(error('FoldersOverlap', { problem: 'output-inside-source', folder }, { file: config.outDir }));
  }
  const exists = (p: string) => fsSync.existsSync(p);
  const published = [
    ...[config.postsDir, config.pagesDir, config.templatesDir].filter(exists).map((p) => [p, shown(p)] as const),
    ...(config.configFile ? [[config.configFile, path.basename(config.configFile)] as const] : []),
    [config.outDir, `the output folder ${shown(config.outDir)}`] as const,
  ].find(([p]) => exists(config.publicDir) && inside(p, config.publicDir));
  if (published && diagnostics.length === 0) {
    diagnostics.push(error('FoldersOverlap', { problem: 'public-holds', publicDir: path.relative(config.root, config.publicDir) || '.', what: published[1] },
      config.configFile ? { file: config.configFile } : undefined));
  }

  if (diagnostics.length === 0 && !options.writer && !options.force) {
    const problem = outputFolderProblem(config.outDir, options.manifest);
    if (problem) {
      const rel = path.relative(config.root, config.outDir) || '.';
      diagnostics.push(error('OutputFolderForeign', { folder: rel, problem, marker: markerName }, { file: config.outDir }));
    }
  }
  if (options.templates !== undefined) {
    const exists = await fs.stat(config.templatesDir).then((s) => s.isDirectory(), () => false);
    if (!exists) {
      diagnostics.push(error('TemplatesFolderMissing', {}, { file: config.templatesDir }));
    }
  }
  return diagnostics;
}

/** A path with its symlinks resolved, as far as it exists (the rest is appended as it is). */
function realPath(p: string, depth = 0): string {
  try {
    return fsSync.realpathSync(p);
  } catch {
    // A dangling symlink stands for its target.
    let target: string | undefined;
    try {
      if (depth < 8) target = fsSync.readlinkSync(p);
    } catch {
      // Not a link: p does not exist yet.
    }
    if (target !== undefined) return realPath(path.resolve(path.dirname(p), target), depth + 1);
  }
  const parent = path.dirname(p);
  return parent === p ? p : path.join(realPath(parent, depth), path.basename(p));
}
