import type { ConfigOverrides } from '../config/load.js';
import { exitCodeFor, type Diagnostic } from '../diagnostics/error.js';
import { escapeControl } from '../diagnostics/format.js';
import { createReporter, readSource } from './output.js';

/** Flags of `blogbuild check`. */
export interface CheckFlags extends Omit<ConfigOverrides, 'out'> {
  strict?: boolean;
  debug?: boolean;
}

/**
 * `blogbuild check`: builds in memory (writes nothing), then reports content diagnostics, broken internal links,
 * missing #anchors and local images in pages and feeds, and the posts left out as drafts or scheduled.
 * Exit 1 on errors (and on warnings with --strict), 2 on usage errors.
 */
export async function checkCommand(flags: CheckFlags): Promise<number> {
  const cwd = process.cwd();
  const [{ build }, { memoryWriter }, { checkOutput }, { listSkipped, formatSkipped }, { outputPath, postPath }] = await Promise.all([
    import('../build.js'),
    import('../output/writer.js'),
    import('../check/check-output.js'),
    import('../check/skipped.js'),
    import('../site/urls.js'),
  ]);
  const writer = memoryWriter();
  const result = await build({
    root: cwd,
    config: flags.config,
    posts: flags.posts,
    templates: flags.templates,
    url: flags.url,
    urlFrom: flags.urlFrom,
    drafts: flags.drafts,
    future: flags.future,
    writer,
  });
  const diagnostics: Diagnostic[] = [...result.diagnostics];

  let summary = 'links not checked: the build failed';
  if (result.ok && result.config && result.site) {
    const sources = new Map<string, string>();
    for (const post of result.site.posts) sources.set(outputPath(postPath(post, result.config)), post.sourcePath);
    // A broken link in a page of pages/ is reported in its markdown, as a post's is.
    for (const page of result.site.pages) sources.set(outputPath(page.path), page.sourcePath);
    const report = checkOutput({ files: writer.files, basePath: result.config.basePath, url: result.config.url, sources, readSource });
    diagnostics.push(...report.diagnostics);
    summary = `checked ${report.pages} pages, ${report.feeds} feeds and sitemaps, ${report.links} internal links and ${report.images} images`;
  }

  createReporter({ cwd, debug: flags.debug }).diagnostics(diagnostics);

  if (result.site && result.config) {
    for (const line of formatSkipped(listSkipped(result.site, { timezone: result.config.timezone, cwd }), result.config.timezone)) process.stdout.write(`${escapeControl(line)}\n`);
  }
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const strictNote = flags.strict && warnings > 0 ? ' (--strict: warnings fail the check)' : '';
  process.stdout.write(`Check: ${summary}; ${plural(errors, 'error')}, ${plural(warnings, 'warning')}${strictNote}\n`);
  return exitCodeFor(diagnostics, flags.strict);
}
