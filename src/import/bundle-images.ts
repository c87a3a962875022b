import { existsSync } from 'node:fs';
import path from 'node:path';
import type { BodyText } from './body-text.js';
import type { ReportItem } from './model.js';
import type { PlannedPost } from './plan-posts.js';
import type { OutputFile } from './write-blog.js';

/** A post's files beside it, and where the post itself goes. */
export interface BundledImages {
  /** `posts/<name>/index.md` when the post has files beside it, else its planned path. */
  outPath: string;
  files: OutputFile[];
  changes: ReportItem[];
  unconverted: ReportItem[];
}

const isRelative = (src: string) => !/^([a-z][a-z0-9+.-]*:|\/|#|\u0001)/i.test(src) && src.length > 0;

/**
 * Makes a post a page bundle when it has images: its co-located files (a Hugo bundle, an Astro post folder) and
 * every relative image it references (body or front matter `image`, e.g. Astro's `../../assets/hero.jpg`) are
 * copied beside it, and references outside its folder are rewritten to the copy's name.
 */
export async function bundleImages(entry: PlannedPost, body: BodyText, data: Record<string, unknown>): Promise<BundledImages> {
  const { post } = entry;
  const folder = path.dirname(post.file);
  const bundleDir = entry.outPath.endsWith('/index.md') ? path.posix.dirname(entry.outPath) : `posts/${path.posix.basename(entry.outPath, '.md')}`;
  const copies = new Map<string, string>(post.assets.map((file) => [file, path.relative(folder, file).split(path.sep).join('/')]));
  const result: BundledImages = { outPath: entry.outPath, files: [], changes: [], unconverted: [] };
  const place = (src: string): string | undefined => {
    const file = path.resolve(folder, decodeURI(src.split(/[?#]/)[0]!));
    if (!existsSync(file)) return undefined;
    if (!copies.has(file)) {
      const inside = file.startsWith(folder + path.sep) && post.assets.includes(file);
      copies.set(file, inside ? path.relative(folder, file).split(path.sep).join('/') : path.basename(file));
      result.changes.push({ kind: 'image copied beside the post', file: post.rel, detail: src });
    }
    return copies.get(file);
  };
  body.replace(/(!\[[^\]]*\]\()([^)\s]+)((?:\s+"[^"]*")?\))|(<img\b[^>]*?\bsrc=")([^"]+)(")/g, 'image path → its copy beside the post', (m) => {
    const src = m[2] ?? m[5]!;
    // Absolute and root-relative images (from the static folders, copied to public/) stay as they are.
    if (!isRelative(src)) return m[0];
    const name = place(src);
    if (name === undefined) return undefined;
    return m[1] ? `${m[1]}${name}${m[3]}` : `${m[4]}${name}${m[6]}`;
  }, (m) => `image ${m[2] ?? m[5]} not found beside the post`);
  if (typeof data.image === 'string' && isRelative(data.image)) {
    const name = place(data.image);
    if (name) data.image = name;
    else result.unconverted.push({ kind: 'image', file: post.rel, line: 1, detail: `cover image ${data.image} not found` });
  }
  if (copies.size > 0) result.outPath = `${bundleDir}/index.md`;
  for (const [from, name] of copies) result.files.push({ path: `${path.posix.dirname(result.outPath)}/${name}`, from });
  return result;
}
