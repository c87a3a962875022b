import path from 'node:path';
import type { BuildResult } from '../build.js';
import { siteSummary } from '../build-unchanged.js';
import type { BuiltFile } from '../render/route-list.js';

const pageKinds = new Set<string>(['post', 'home', 'tag-index', 'tag', 'page', '404', 'alias']);
import { version } from '../version.js';

/** `blogbuild build --report json`: what a build made, skipped and found, for CI scripts (stdout; people read stderr). */
export interface BuildReport {
  ok: boolean;
  generator: string;
  /** The site's absolute base URL, or "" without one. */
  url: string;
  /** The output folder, relative to the current folder. */
  outDir: string | null;
  /** Every HTML page (kinds post, home, tag-index, tag, page, 404, alias), with its source (see BuiltFile). */
  pages: BuiltFile[];
  /** The other files but feeds: sitemap, robots.txt, copied files (kind static). */
  files: BuiltFile[];
  tags: { name: string; slug: string; url: string; count: number }[];
  feeds: { file: string; url: string; format: 'rss' | 'atom' | 'json'; tag: string | null }[];
  /** Posts left out: drafts, and scheduled posts with the instant they go live (a build after it publishes them). */
  skipped: ({ source: string; title: string; reason: 'draft' } | { source: string; title: string; reason: 'scheduled'; publishAt: string })[];
  stats: { posts: number; pages: number; tags: number; files: number; written: number; unchanged: number; drafts: number; scheduled: number };
  /** Milliseconds a stage, in stage order, and the whole build. */
  timings: Record<string, number>;
  diagnostics: { severity: 'error' | 'warning'; code: string; message: string; hint?: string; file?: string; line?: number; column?: number }[];
}

/** The report of a build; paths relative to `cwd`, `/`-separated. */
export function buildReport(result: BuildResult, cwd: string): BuildReport {
  const rel = (file: string) => path.relative(cwd, file).split(path.sep).join('/') || '.';
  const config = result.config;
  // An unchanged build has no site model, but the last build's summary.
  const summary = result.summary ?? (result.site && config ? siteSummary(result.site, config) : undefined);
  const routes = result.ok ? result.routes ?? [] : [];
  const ms = (n: number) => Math.round(n * 10) / 10;
  const s = result.stats;
  const relSource = (route: BuiltFile) => ({ ...route, ...(route.source ? { source: rel(route.source) } : {}) });
  return {
    ok: result.ok,
    generator: `blogbuild ${version}`,
    url: config?.url ?? '',
    outDir: config ? rel(config.outDir) : null,
    pages: routes.filter((route) => pageKinds.has(route.kind)).map(relSource),
    files: routes.filter((route) => !pageKinds.has(route.kind) && route.kind !== 'feed').map(relSource),
    tags: result.ok && summary ? summary.tags : [],
    feeds: routes.filter((route) => route.kind === 'feed').map((route) => ({
      file: route.file,
      url: route.url,
      format: route.file.endsWith('.json') ? 'json' : route.file.endsWith('atom.xml') ? 'atom' : 'rss',
      tag: /^tags\/([^/]+)\//.exec(route.file)?.[1] ?? null,
    })),
    skipped: summary ? summary.skipped.map((post) => ({ ...post, source: rel(post.source) })) : [],
    stats: { posts: s.posts, pages: s.pages, tags: s.tags, files: s.files, written: s.written, unchanged: s.unchanged, drafts: s.drafts, scheduled: s.scheduled },
    timings: { ...Object.fromEntries(Object.entries(s.timings).map(([stage, t]) => [stage, ms(t)])), total: ms(s.durationMs) },
    diagnostics: result.diagnostics.map((d) => ({
      severity: d.severity,
      code: d.code,
      message: d.message,
      ...(d.hint ? { hint: d.hint } : {}),
      ...(d.loc ? { file: rel(d.loc.file), ...(d.loc.line ? { line: d.loc.line } : {}), ...(d.loc.column ? { column: d.loc.column } : {}) } : {}),
    })),
  };
}
