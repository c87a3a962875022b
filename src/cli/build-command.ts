import path from 'node:path';
import type { BuildOptions } from '../build.js';
import type { ConfigOverrides } from '../config/load.js';
import { exitCodeFor } from '../diagnostics/error.js';
import { createReporter } from './output.js';

/** Flags of `blogbuild build`. */
export interface BuildFlags extends ConfigOverrides {
  quiet?: boolean;
  debug?: boolean;
  /** False with `--no-cache`. @default true */
  cache?: boolean;
  /** Replace an output folder blogbuild did not make. @default false */
  force?: boolean;
}

/** `blogbuild build`: flags → build() → diagnostics and a summary → exit code. */
export async function buildCommand(flags: BuildFlags): Promise<number> {
  const cwd = process.cwd();
  const reporter = createReporter({ quiet: flags.quiet, debug: flags.debug, cwd });
  const { build } = await import('../build.js');
  const progress = reporter.progress('rendering posts');
  const options: BuildOptions = {
    root: cwd,
    config: flags.config,
    posts: flags.posts,
    templates: flags.templates,
    out: flags.out,
    url: flags.url,
    drafts: flags.drafts,
    future: flags.future,
    cache: flags.cache,
    force: flags.force,
    onProgress: progress.update,
  };
  const result = await build(options);
  progress.done();
  reporter.diagnostics(result.diagnostics);
  if (!result.ok) {
    const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
    // Says what is on disk: a failed write that could not undo itself left part of the new site.
    const outcome = result.isOutputPartial ? 'the output folder holds part of the new site until the next build' : 'nothing was written';
    process.stderr.write(`${errors} error${errors === 1 ? '' : 's'}; ${outcome}\n`);
    return exitCodeFor(result.diagnostics) || 1;
  }

  const s = result.stats;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const out = path.relative(cwd, result.config!.outDir) || '.';
  reporter.info(
    `Built ${plural(s.posts, 'post')}, ${plural(s.tagPages, 'tag page')}, ${plural(s.files, 'file')} ` +
      `(${s.written} written, ${s.unchanged} unchanged) into ${out}/ in ${Math.round(s.durationMs)} ms` +
      `; skipped ${plural(s.drafts, 'draft')} and ${s.scheduled} scheduled`,
  );
  return 0;
}
