import path from 'node:path';
import type { BuildOptions } from '../build.js';
import type { ConfigOverrides } from '../config/load.js';
import type { ResolvedConfig } from '../config/schema.js';
import { exitCodeFor } from '../diagnostics/error.js';
import { loadConfigAsBuilt } from './config-as-built.js';
import { CommandFileError, makeDirectory, reportFileError } from './file-errors.js';
import { createReporter } from './output.js';

/** Flags of `blogbuild build`. */
export interface BuildFlags extends ConfigOverrides {
  quiet?: boolean;
  debug?: boolean;
  /** False with `--no-cache`. @default true */
  cache?: boolean;
  /** Replace an output folder blogbuild did not make. @default false */
  force?: boolean;
  /** `json`: print a machine-readable report on stdout, and everything for people on stderr. @default undefined */
  report?: 'json';
}

/** `blogbuild build`: flags → build() → diagnostics and a summary → exit code. */
export async function buildCommand(flags: BuildFlags): Promise<number> {
  const cwd = process.cwd();
  const isReport = flags.report === 'json';
  const reporter = createReporter({ quiet: flags.quiet, debug: flags.debug, cwd, ...(isReport ? { infoStream: process.stderr } : {}) });
  const started = performance.now();
  const outParent = await prepareOutputParent(cwd, flags);
  if (typeof outParent === 'number') return outParent;
  const options: BuildOptions = {
    root: cwd,
    config: flags.config,
    posts: flags.posts,
    templates: flags.templates,
    out: flags.out,
    url: flags.url,
    urlFrom: flags.urlFrom,
    drafts: flags.drafts,
    future: flags.future,
    cache: flags.cache,
    force: flags.force,
  };
  // Nothing changed since the last build: its result, replayed without loading the build's modules.
  const unchanged = outParent && (await import('../build-unchanged.js')).checkUnchanged(options, outParent, started);
  const progress = reporter.progress('rendering posts');
  const result = unchanged?.result ?? (await (await import('../build.js')).build({ ...options, onProgress: progress.update, unchanged }));
  progress.done();
  reporter.diagnostics(result.diagnostics);
  if (isReport) process.stdout.write(`${JSON.stringify((await import('./build-report.js')).buildReport(result, cwd), null, 2)}\n`);
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
    `Built ${plural(s.posts, 'post')}, ${s.pages > 0 ? `${plural(s.pages, 'page')}, ` : ''}${plural(s.tagPages, 'tag page')}, ${plural(s.files, 'file')} ` +
      `(${s.written} written, ${s.unchanged} unchanged) into ${out}/ in ${Math.round(s.durationMs)} ms` +
      `; skipped ${plural(s.drafts, 'draft')} and ${s.scheduled} scheduled`,
  );
  return 0;
}

/**
 * Makes the output folder's parent with a bounded mkdir, or returns exit code 2 with a message when it cannot be
 * made. The writer makes its temporary folder beside the output folder with a recursive mkdir, which never returns
 * on procfs (`--out /proc/x/dist`, or `outDir` in the config). The config is loaded as build() will load it (a
 * second load in a process reuses the first's module and validation); a config that fails is left to build().
 * Returns the config when it loaded.
 */
async function prepareOutputParent(cwd: string, flags: BuildFlags): Promise<number | ResolvedConfig | undefined> {
  const { config } = await loadConfigAsBuilt(cwd, { config: flags.config, posts: flags.posts, templates: flags.templates, out: flags.out, url: flags.url, urlFrom: flags.urlFrom }, flags.cache !== false);
  if (!config) return undefined;
  const parent = path.dirname(config.outDir);
  try {
    const relative = path.relative(cwd, parent);
    await makeDirectory(parent, relative === '' ? '.' : relative.startsWith('..') ? parent : relative);
    return config;
  } catch (cause) {
    if (cause instanceof CommandFileError) return reportFileError(cause, flags.debug);
    throw cause;
  }
}
