import { createHash } from 'node:crypto';
import path from 'node:path';
import type { BuildOptions, BuildResult, SiteSummary, UnchangedCheck } from './build-types.js';
import { buildSnapshots, type BuildSnapshot, type BuildSnapshots, type StoredSnapshot } from './cache/build-snapshot.js';
import { codeSalt } from './cache/code-salt.js';
import { resolveCacheDir } from './cache/markdown-cache.js';
import type { ResolvedConfig } from './config/schema.js';
import type { Diagnostic } from './diagnostics/error.js';
import { holdsExactly, refreshTree, treeOf, type FileTree } from './incremental/file-tree.js';
import { recoverOutput } from './output/commit.js';
import type { OutputStats } from './output/writer.js';
import { markerName } from './output/output-folder.js';
import { builtinTemplatesDir } from './render/templates.js';
import type { Site } from './site/model.js';
import { siteUrl, tagPath } from './site/urls.js';

// The whole-build early exit. A build that finds nothing it reads changed since the last successful build, and the
// output folder as that build left it, does no work: it replays that build's diagnostics and counts. "Nothing
// changed" is exact: the files and folders the build reads (every stat, see incremental/file-tree.ts), everything
// else that shapes the output in one key (blogbuild's code, the resolved config with its plugins' identities, the
// options, the time zone, locale and Node version), and the date, which decides the scheduled posts.

/**
 * The early exit, for builds that write the output folder with the cache on (not the dev server's, not to memory,
 * not --no-cache): the last build's result when nothing changed, else what records this build's snapshot. A snapshot
 * that does not match is removed first, so a build that fails leaves none. `started`: performance.now() at the start.
 */
export function checkUnchanged(options: BuildOptions, config: ResolvedConfig, started: number): UnchangedCheck {
  if (options.cache === false || options.writer || options.state) return {};
  // A build killed while it replaced the output is finished first (as build() does): then the output is what it is.
  recoverOutput(config.outDir);
  const snapshots = buildSnapshots(resolveCacheDir(config.root, options.cacheDir), config.outDir);
  const key = keyOf(options, config);
  const now = (options.now ?? new Date()).getTime();
  const previous = snapshots.read();
  // Stat'ed before the build reads anything: a change from now on gives a later stat. The last snapshot's trees spare
  // listing the folders whose stat is unchanged.
  const inputs = refreshTree(inputRoots(config), previous?.inputs());
  if (previous && previous.key === key && isInWindow(previous.window, now) && inputs.isSame) {
    const output = refreshTree([config.outDir], previous.output());
    if (output.isSame) {
      // Racy entries checked now and no longer racy are saved plain, sparing the next check their bytes.
      if (inputs.isRefreshed || output.isRefreshed) snapshots.write({ ...previous, inputs: inputs.tree, output: output.tree });
      return { result: replay(previous, config, started) };
    }
  }
  // Whatever happens next, that snapshot no longer describes the output: a build that fails must leave none.
  if (previous) snapshots.remove();
  return { inputs: inputs.tree, record: (result, output) => record(result, { key, inputs: inputs.tree, output, previousOutput: previous?.output, config, snapshots }) };
}

/** Whether a build at `now` publishes the same posts as the build whose window this is. */
function isInWindow([from, until]: StoredSnapshot['window'], now: number): boolean {
  return (from === null || now >= from) && (until === null || now < until);
}

/** Everything besides the files that shapes the output, as one hash. */
function keyOf(options: BuildOptions, config: ResolvedConfig): string {
  // The config's helpers are functions: their source stands for them. Plugins carry their identities (a local
  // file's hash, a package's version and its dependencies').
  const configText = JSON.stringify(config, (_key, value: unknown) => (typeof value === 'function' ? `function ${String(value)}` : value));
  return createHash('sha1').update(JSON.stringify({
    format: 1,
    code: codeSalt(resolveCacheDir(config.root, options.cacheDir)),
    config: configText,
    sitemapMaxUrls: options.sitemapMaxUrls ?? null,
    node: process.version,
    // The default time zone and locale (a Date in front matter prints in them), as the environment sets them:
    // asking Intl loads ICU's data, ~30 ms. Without TZ, the zone is /etc/localtime's (an input, see inputRoots).
    environment: Object.entries(process.env).filter(([name]) => name === 'TZ' || name === 'LANG' || name === 'LANGUAGE' || name.startsWith('LC_')).sort(),
  })).digest('hex');
}

/**
 * What a build reads: the config file, the posts, pages, data, templates and public folders, the theme and the
 * built-in one; and the system's time zone file when TZ does not name one.
 */
function inputRoots(config: ResolvedConfig): string[] {
  const zone = process.env.TZ === undefined ? '/etc/localtime' : undefined;
  const roots = [config.configFile, config.postsDir, config.pagesDir, config.dataDir, config.templatesDir, config.publicDir, config.themeDir, builtinTemplatesDir, zone];
  return [...new Set(roots.filter((root): root is string => root !== undefined).map((root) => path.resolve(root)))];
}

/**
 * Saves the snapshot of a successful build: its inputs as stat'ed before it read them, its output as the writer
 * recorded it from the stats it took (an update in place) or else as it is now (only when the output folder holds
 * exactly the build's files), and what it reported.
 */
function record(result: BuildResult, { key, inputs, output: written, previousOutput, config, snapshots }: { key: string; inputs: FileTree; output?: OutputStats; previousOutput?: () => FileTree | undefined; config: ResolvedConfig; snapshots: BuildSnapshots }): void {
  const site = result.site;
  if (!result.ok || !site || result.isUnchanged) return;
  // The writer's stats are of exactly the files it wrote and kept, and their folders.
  const output = written ? treeOf(config.outDir, written.files, written.folders, Date.now()) : refreshTree([config.outDir], previousOutput?.()).tree;
  if (!written && !holdsExactly(output[config.outDir], new Set([...result.files, markerName]))) return;
  const s = result.stats;
  const instants = (posts: readonly { date: { instant: Date } }[]) => posts.map((post) => post.date.instant.getTime());
  // The posts this build published and left scheduled are the same for any date from the newest published post's
  // up to the first scheduled one's (with --future, for any date).
  const window: BuildSnapshot['window'] = config.future ? [null, null] : [site.posts.length > 0 ? Math.max(...instants(site.posts)) : null, site.scheduled.length > 0 ? Math.min(...instants(site.scheduled)) : null];
  snapshots.write({
    key,
    window,
    inputs,
    output,
    diagnostics: result.diagnostics.map(({ cause: _cause, ...diagnostic }) => diagnostic as Diagnostic),
    counts: { posts: s.posts, tags: s.tags, tagPages: s.tagPages, files: s.files, pages: s.pages, drafts: s.drafts, scheduled: s.scheduled },
    details: () => ({ files: result.files, routes: result.routes ?? [], summary: siteSummary(site, config) }),
  });
}

/** The last build's result, as a build that found every page and file unchanged would report it. */
function replay(snapshot: StoredSnapshot, config: ResolvedConfig, started: number): BuildResult {
  const { counts } = snapshot;
  const durationMs = performance.now() - started;
  const result: BuildResult = {
    ok: true,
    config,
    files: [],
    diagnostics: snapshot.diagnostics,
    isUnchanged: true,
    stats: { ...counts, written: 0, unchanged: counts.files, markdownRendered: 0, markdownCached: counts.posts, markdownInWorkers: 0, postPagesEarly: 0, durationMs, timings: { unchanged: durationMs } },
  };
  // The files, routes and summary are decoded only if read (a report).
  for (const name of ['files', 'routes', 'summary'] as const) {
    Object.defineProperty(result, name, { get: () => snapshot.details()[name], enumerable: true, configurable: true });
  }
  return result;
}

/** The tags (with their URLs and post counts) and the posts left out, for reports. */
export function siteSummary(site: Site, config: ResolvedConfig): SiteSummary {
  return {
    tags: site.tags.map((tag) => ({ name: tag.name, slug: tag.slug, url: siteUrl(config, tagPath(tag.slug, config)), count: tag.posts.length })),
    skipped: [
      ...site.drafts.map((post) => ({ source: post.sourcePath, title: post.title, reason: 'draft' as const })),
      ...site.scheduled.map((post) => ({ source: post.sourcePath, title: post.title, reason: 'scheduled' as const, publishAt: post.date.instant.toISOString() })),
    ],
  };
}
