import path from 'node:path';
import { isoInZone } from '../content/dates.js';
import type { Post, Site } from '../site/model.js';

/** A post the build left out, and when it goes live. */
export interface SkippedPost {
  reason: 'draft' | 'scheduled';
  /** Source path relative to `cwd`, `/`-separated. */
  file: string;
  title: string;
  /** For scheduled posts: the date-time it goes live, in the site's time zone (`2025-06-10 00:00`). */
  liveAt?: string;
}

/** Lists drafts and scheduled posts, scheduled ones soonest first. */
export function listSkipped(site: Pick<Site, 'drafts' | 'scheduled'>, options: { timezone: string; cwd: string }): SkippedPost[] {
  const rel = (post: Post) => (path.relative(options.cwd, post.sourcePath) || post.sourcePath).split(path.sep).join('/');
  const drafts = [...site.drafts].sort((a, b) => (a.relPath < b.relPath ? -1 : 1)).map((post): SkippedPost => ({ reason: 'draft', file: rel(post), title: post.title }));
  const scheduled = [...site.scheduled]
    .sort((a, b) => a.date.instant.getTime() - b.date.instant.getTime() || (a.relPath < b.relPath ? -1 : 1))
    .map((post): SkippedPost => ({ reason: 'scheduled', file: rel(post), title: post.title, liveAt: isoInZone(post.date.instant, options.timezone).slice(0, 16).replace('T', ' ') }));
  return [...drafts, ...scheduled];
}

/** The lines `check` prints for skipped posts. */
export function formatSkipped(skipped: SkippedPost[], timezone: string): string[] {
  if (skipped.length === 0) return [];
  const drafts = skipped.filter((s) => s.reason === 'draft').length;
  const scheduled = skipped.length - drafts;
  const parts = [drafts > 0 ? `${drafts} draft${drafts === 1 ? '' : 's'}` : '', scheduled > 0 ? `${scheduled} scheduled` : ''].filter(Boolean);
  const width = Math.max(...skipped.map((s) => s.file.length));
  return [
    `Skipped ${parts.join(' and ')} (publish with --drafts / --future):`,
    ...skipped.map((s) =>
      s.reason === 'draft'
        ? `  draft      ${s.file.padEnd(width)}  ${JSON.stringify(s.title)}`
        : `  scheduled  ${s.file.padEnd(width)}  ${JSON.stringify(s.title)} goes live ${s.liveAt} (${timezone})`,
    ),
  ];
}
