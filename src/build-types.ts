import type { BuildState } from './build-state.js';
import type { BodyDigests } from './cache/body-digest.js';
import type { PostCache } from './cache/post-cache.js';
import type { ConfigOverrides } from './config/load.js';
import type { ResolvedConfig } from './config/schema.js';
import type { Diagnostic } from './diagnostics/error.js';
import type { FileTree } from './incremental/file-tree.js';
import type { OutputStats, Writer } from './output/writer.js';
import type { BuiltFile } from './render/route-list.js';
import type { Site } from './site/model.js';

/** Options for {@link build}: where the blog is, command-line overrides, and how to write. */
export interface BuildOptions extends ConfigOverrides {
  /** The blog's folder. @default process.cwd() */
  root?: string;
  /** The build time, deciding which posts are scheduled. @default new Date() */
  now?: Date;
  /** Where files go. @default fsWriter(config.outDir): atomic swap into the output folder */
  writer?: Writer;
  /**
   * Replace an output folder that blogbuild did not make (one that is not empty and has no `.blogbuild` marker),
   * deleting every file in it (`--force`). @default false
   */
  force?: boolean;
  /** Use the persistent markdown cache; false renders every post and leaves the cache alone (`--no-cache`). @default true */
  cache?: boolean;
  /** Folder of the persistent markdown cache. @default "<root>/node_modules/.cache/blogbuild" */
  cacheDir?: string;
  /** Worker threads rendering markdown while this thread coordinates; 0 renders in this thread. @default one a core, at most 8 and one per 32 posts, when 64+ posts need rendering and there are 2+ cores, else 0 */
  workers?: number;
  /** Called as posts are rendered, for progress display. */
  onProgress?: (done: number, total: number) => void;
  /**
   * @internal The dev server's memory of earlier builds in this process (`createBuildState()` in build-state.ts,
   * not part of the public API): unchanged sources are not read or parsed again, unchanged bodies and pages not
   * rendered. The output is the same as without it. @default undefined (nothing kept)
   */
  state?: BuildState;
  /**
   * @internal Render post pages while the workers render markdown (see early-post-pages.ts). The dev server's
   * background check turns it off: it discards every page, and holding up to 128 MiB of them at once only raised its
   * peak memory. @default true
   */
  earlyPages?: boolean;
  /**
   * @internal Posts a caller loaded already, in place of the persistent post cache (the dev server's check gets the
   * served site's: see dev/served-posts.ts), given the build's body digests. @default the post cache
   */
  loadedPosts?: (digests: BodyDigests) => PostCache;
  /** URLs per sitemap file before the sitemap becomes an index of parts. @internal for tests @default 50000 */
  sitemapMaxUrls?: number;
  /**
   * @internal The whole-build early exit, checked already by the CLI (see build-unchanged.ts): build() does not
   * check again, and records the snapshot it was handed. @default undefined (build() checks)
   */
  unchanged?: UnchangedCheck;
}

/** What the whole-build early exit found (see build-unchanged.ts): the last build replayed, or what records this one. */
export interface UnchangedCheck {
  /** The last build's result: nothing changed, nothing was done. */
  result?: BuildResult;
  /**
   * Records a successful build's snapshot, with its inputs as stat'ed by the check (before the build read them), and
   * its output as the writer recorded it when it knows it (else stat'ed now).
   */
  record?: (result: BuildResult, output?: OutputStats) => void;
  /** The files and folders the build reads, as the check stat'ed them before the build read any (absolute roots). */
  inputs?: FileTree;
}

/** The tags and the posts left out, as reports show them (see cli/build-report.ts); sources are absolute. */
export interface SiteSummary {
  tags: { name: string; slug: string; url: string; count: number }[];
  skipped: ({ source: string; title: string; reason: 'draft' } | { source: string; title: string; reason: 'scheduled'; publishAt: string })[];
}

/** What a build did. */
export interface BuildResult {
  /** True when there were no errors and the output was written. */
  ok: boolean;
  /**
   * True when a failed write could not undo itself, so the output folder holds part of the new site (the next
   * blogbuild command finishes the write). When false or absent, a failed build changed nothing.
   */
  isOutputPartial?: boolean;
  config?: ResolvedConfig;
  site?: Site;
  /** Output paths, relative to the output folder. */
  files: string[];
  /** Every output file with its kind (post, page, tag, feed, alias…) and source, when the build succeeded. */
  routes?: BuiltFile[];
  /**
   * True when nothing the build reads had changed since the last build and the output folder was as that build
   * left it: nothing was done, `site` is absent and the diagnostics are the last build's (see build-unchanged.ts).
   */
  isUnchanged?: boolean;
  /** The tags and the posts left out, when `site` is absent (an unchanged build). */
  summary?: SiteSummary;
  diagnostics: Diagnostic[];
  stats: BuildStats;
}

/** Counts for the summary line. */
export interface BuildStats {
  posts: number;
  tags: number;
  tagPages: number;
  files: number;
  written: number;
  unchanged: number;
  drafts: number;
  scheduled: number;
  /** Posts whose markdown was rendered by this build. */
  markdownRendered: number;
  /** Posts whose rendered markdown came from the persistent cache. */
  markdownCached: number;
  /** Posts among `markdownRendered` that worker threads rendered. */
  markdownInWorkers: number;
  /** Post pages rendered while the workers still rendered other posts' markdown (see render/early-post-pages.ts). */
  postPagesEarly: number;
  /** Standalone pages built from the pages folder. */
  pages: number;
  durationMs: number;
  /**
   * Milliseconds spent in each stage, in order: `config`, `sources` (finding and reading posts and pages),
   * `frontMatter`, `markdown` (posts; templates load meanwhile), `site` (pages' markdown, tags, feed items), `routes`
   * (every output file; pages rendered here or by the writer), `write`. A stage a failed build never reached is absent.
   */
  timings: Record<string, number>;
}
