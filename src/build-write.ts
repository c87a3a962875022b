import path from 'node:path';
import type { BuildResult } from './build-types.js';
import { finish, time, type Run } from './build-run.js';
import type { ResolvedConfig } from './config/schema.js';
import { error, hasErrors, warning, type Diagnostic } from './diagnostics/error.js';
import { outputManifest } from './cache/output-manifest.js';
import { CommitError } from './output/commit.js';
import { fsWriter, type OutputStats } from './output/writer.js';
import type { OutputFile, renderPages } from './render/render-pages.js';
import { listRoutes } from './render/route-list.js';
import type { Site } from './site/model.js';

/** The site model and every output file, pages rendered later (by the writer) when nothing keeps them. */
export interface Output {
  site: Site;
  pages: ReturnType<typeof renderPages>;
  manifestFile: string | undefined;
  drafts: number;
  scheduled: number;
}

/** Writes the files (rendering deferred pages as it goes) and commits them, or leaves the output as it was. */
export async function writeFiles(run: Run, config: ResolvedConfig, { site, pages, manifestFile, drafts, scheduled }: Output,
  /** Called with the result of a successful build and the output folder as the writer recorded it (if it did). */
  onWritten?: (result: BuildResult, output?: OutputStats) => void): Promise<BuildResult> {
  const { options, diagnostics, stats } = run;
  const files = pages.files;
  // Deferred pages add their render errors to pages.diagnostics while the writer runs: counted from here.
  const renderedBefore = pages.diagnostics.length;
  const cacheDir = manifestFile && path.dirname(manifestFile);
  // The manifest of the last output lives with the cache, so --no-cache neither reads nor writes it.
  const writer = options.writer ?? fsWriter(config.outDir, { manifest: manifestFile === undefined ? undefined : outputManifest(manifestFile), onManifestError: (cause) => {
    diagnostics.push(warning('CacheUnwritable', { reason: (cause as Error).message, folder: path.relative(config.root, cacheDir!) || '.' }, { file: cacheDir! }, cause));
  } });
  try {
    const written = await writer.writeAll(files);
    const lateDiagnostics = pages.diagnostics.slice(renderedBefore);
    if (lateDiagnostics.length > 0) {
      diagnostics.push(...lateDiagnostics);
      if (hasErrors(lateDiagnostics)) {
        await writer.abort();
        return finish(run, { ok: false, config, site, files: [] });
      }
    }
    await writer.commit();
    time(run, 'write');
    Object.assign(stats, written);
  } catch (cause) {
    // Already failing: the write error is the one reported; an abort that fails too leaves the staging folder for the next build to clear.
    await writer.abort().catch(() => undefined);
    const isOutputPartial = cause instanceof CommitError && !cause.isRestored;
    // Paths in the reason are shown as the output paths they stand for (`dist/posts`, not the staging folder's
    // `/blog/.dist.blogbuild-tmp-…/posts`), from the blog's folder, as every other diagnostic shows them.
    const outName = path.basename(config.outDir).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const reason = String((cause as Error)?.message ?? cause)
      .replace(new RegExp(`(?:[^\\s'"]*[\\\\/])?\\.${outName}\\.blogbuild-tmp-[\\w-]+`, 'g'), config.outDir)
      .replaceAll(config.root + path.sep, '');
    const errno = (cause as NodeJS.ErrnoException)?.code ?? ((cause as Error)?.cause as NodeJS.ErrnoException | undefined)?.code;
    diagnostics.push(error('OutputFailed', { reason, isPartial: isOutputPartial, errno }, { file: config.outDir }, cause));
    return finish(run, { ok: false, config, site, files: [], ...(isOutputPartial ? { isOutputPartial } : {}) });
  }
  Object.assign(stats, { posts: site.posts.length, tags: site.tags.length, tagPages: pages.routes.filter((route) => route.kind === 'tag').length, files: files.length, pages: site.pages.length, drafts, scheduled });
  const result = finish(run, { ok: true, config, site, files: files.map((file) => file.path), routes: listRoutes(pages.routes, config) });
  onWritten?.(result, writer.outputStats?.());
  return result;
}

/** Two sources for one output path, or a path that leaves the output folder, are errors. */
export function checkOutputPaths(files: OutputFile[], config: ResolvedConfig, /** Paths (case-folded) already reported at a page or alias. */ reported: ReadonlySet<string>): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, OutputFile>();
  for (const file of files) {
    // Most paths plainly stay inside (~10 ms of resolving at 1,500 files); anything else is resolved to see.
    if (!isPlainlyInside(file.path) && !path.resolve(config.outDir, file.path).startsWith(config.outDir + path.sep)) {
      diagnostics.push(error('SlugUnsafe', { problem: 'output-outside', path: file.path, outDir: config.outDir }, file.source ? { file: file.source } : undefined));
      continue;
    }
    const key = file.path.normalize('NFC').toLowerCase();
    const other = seen.get(key);
    if (other && !reported.has(key)) {
      const shown = (f: OutputFile) => f.source && path.relative(config.root, f.source).split(path.sep).join('/');
      diagnostics.push(error('DuplicateOutputPath', { path: file.path, first: shown(other), second: shown(file) }, file.source ? { file: file.source } : undefined));
    } else if (!other) seen.set(key, file);
  }
  return diagnostics;
}

/** A relative path of names (no `.`, `..` or empty one, no drive, no backslash or NUL), which cannot leave its folder or be it. */
function isPlainlyInside(file: string): boolean {
  return /^[^/\\:\0]/.test(file) && !/[\\:\0]|(?:^|\/)\.{0,2}(?:\/|$)/.test(file);
}
