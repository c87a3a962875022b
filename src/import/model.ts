/** The generators `blogbuild import` reads. */
export const generators = ['jekyll', 'hugo', 'eleventy', 'astro'] as const;

/** A generator `blogbuild import` reads. */
export type Generator = (typeof generators)[number];

/** Site settings read from the source generator's config, as blogbuild config keys. */
export interface SiteSettings {
  title?: string;
  description?: string;
  url?: string;
  language?: string;
  author?: string;
  timezone?: string;
}

/** One post of the source site, as read: front matter not yet converted. */
export interface SourcePost {
  /** Absolute path of the post file. */
  file: string;
  /** Path relative to the source site, `/`-separated (for the report). */
  rel: string;
  data: Record<string, unknown>;
  body: string;
  /** File line of the body's first line (1-based). */
  bodyStartLine: number;
  /** File name without extension, or the bundle folder's name (`2020-01-02-hello`, `my-post`). */
  name: string;
  /** The post's URL path under the source's permalink rule, base path included (`/2020/01/02/hello/`). */
  oldUrl?: string;
  /** Files beside the post (a Hugo page bundle, an Astro post folder), absolute. */
  assets: string[];
  /** Whether the post sits in a drafts folder (Jekyll `_drafts/`). */
  isDraftFolder?: boolean;
}

/** A source site, read. */
export interface SourceSite {
  settings: SiteSettings;
  posts: SourcePost[];
  /** Folders whose files are copied to the blog's `public/` as they are: `to` is their path under it (`` for Hugo `static/`). */
  staticDirs: { from: string; to: string }[];
  /** Folders of includes a Liquid/Nunjucks `{% include %}` reads (Jekyll `_includes/`). */
  includeDirs: string[];
  /** Notes about the site itself (a config that could not be read, a permalink rule not understood). */
  notes: ReportItem[];
}

/** One entry of the import report. */
export interface ReportItem {
  /** What kind of change, e.g. `highlight → fenced code`, `categories → tags`. */
  kind: string;
  /** Path relative to the source site. */
  file: string;
  line?: number;
  detail?: string;
}

/** What `importSite` did, or would do with `dryRun`. */
export interface ImportReport {
  generator: Generator;
  source: string;
  out: string;
  isDryRun: boolean;
  /** Posts written, by output path relative to the blog (`posts/hello.md`). */
  posts: string[];
  /** Every change made, one entry per occurrence. */
  changes: ReportItem[];
  /** Every construct left as it was because it has no blogbuild form. */
  unconverted: ReportItem[];
  /** Every file written (or that would be), relative to the blog. */
  files: string[];
}
