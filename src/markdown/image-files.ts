import fs from 'node:fs';
import path from 'node:path';
import { imageSize } from 'image-size';
import { statSignature } from '../content/read-source.js';

/** Where a post's local images are: what resolving an `<img src>` to a file needs. Sent to workers with each job. */
export interface ImageContext {
  /** The post page's folder as a URL path, base path included: `/blog/posts/hello/`. */
  pageDir: string;
  /** The site's base path, `/` or `/blog/`. */
  basePath: string;
  /** The post's bundle folder (its files are copied beside its page), when it is a bundle. */
  bundleDir?: string;
  /** The public folder, copied to the site root. */
  publicDir: string;
  /**
   * The page shows the post's cover (front matter `image`) above the body: the cover is the page's first image, so
   * every body image loads lazily. @default false
   */
  isAfterCover?: boolean;
}

/** A local image of a post as rendering found it; kept with the cached HTML, so a changed file is noticed. */
export interface ImageRecord {
  /** The `src` as written in the post. */
  src: string;
  /** The file it was resolved to (none for a file beside a post that is not a bundle). */
  file?: string;
  /** Intrinsic size, when the file is an image whose size can be read. */
  width?: number;
  height?: number;
  /** True when no such file exists. */
  isMissing?: true;
  /** The file's stat when it was read ({@link statSignature}): an unchanged stat means an unchanged image. */
  stat?: string;
  /** Body-relative place of the image in the markdown. */
  line?: number;
  column?: number;
}

/** Reads of image headers: first a small read, enough for every format but JPEGs with large metadata… */
const firstRead = 64 * 1024;
/** …then at most image-size's own limit. */
const headerBytes = 512 * 1024;

/**
 * The file an `<img src>` of the post's page loads, when blogbuild writes it: a file of the post's bundle or of the
 * public folder; null for a file beside a post that is not a bundle (nothing is copied there, so it is missing).
 * Undefined for other origins, `data:` URLs, and site paths blogbuild cannot map to a source file (another post's
 * folder, the theme's assets).
 */
export function locateImage(src: string, context: ImageContext): string | null | undefined {
  if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(src.trim())) return undefined;
  // A root-relative src gets the base path, as the markdown stage gives it (rehypePostTree) and the cover (views).
  const written = src.trim();
  const url = written.startsWith('/') && !written.startsWith(context.basePath) ? context.basePath + written.slice(1) : written;
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url, `https://blogbuild.invalid${context.pageDir}`).pathname);
  } catch {
    // A src the URL parser rejects (a malformed %-escape): not a file blogbuild can find.
    return undefined;
  }
  if (!pathname.startsWith(context.basePath)) return undefined;
  const own = decodeURIComponent(context.pageDir);
  const isBeside = pathname.startsWith(own);
  if (isBeside && !context.bundleDir) return null;
  const root = isBeside ? context.bundleDir! : context.publicDir;
  const rest = pathname.slice(isBeside ? own.length : context.basePath.length);
  if (!isBeside && /^(posts|assets)\//.test(rest)) return undefined;
  const file = path.resolve(root, rest);
  return file.startsWith(root + path.sep) ? file : undefined;
}

/** The size of an image file, `missing` when there is no such file, or undefined when its size cannot be read. */
export function readImageSize(file: string): { width: number; height: number; stat: string } | 'missing' | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : undefined;
  }
  try {
    const fileStat = fs.fstatSync(fd);
    const { size } = fileStat;
    if (size === 0) return undefined;
    const read = (length: number) => {
      const buffer = new Uint8Array(Math.min(size, length));
      fs.readSync(fd, buffer, 0, buffer.length, 0);
      return imageSize(buffer);
    };
    let found: ReturnType<typeof imageSize>;
    try {
      found = read(firstRead);
    } catch (cause) {
      if (size <= firstRead) throw cause;
      found = read(headerBytes);
    }
    if (!found.width || !found.height) return undefined;
    const stat = statSignature(fileStat);
    // Browsers apply a JPEG's EXIF orientation: 5–8 turn the picture a quarter.
    return (found.orientation ?? 1) >= 5 ? { width: found.height, height: found.width, stat } : { width: found.width, height: found.height, stat };
  } catch {
    // Not an image image-size knows, or a damaged one: it keeps its src without a size (the browser decides).
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/** What rendering records of a local image `src`, or undefined when it is not a local file. */
export function imageRecord(src: string, context: ImageContext): ImageRecord | undefined {
  const file = locateImage(src, context);
  if (file === undefined) return undefined;
  if (file === null) return { src, isMissing: true };
  const size = readImageSize(file);
  if (size === 'missing') return { src, file, isMissing: true };
  return size ? { src, file, ...size } : { src, file };
}

/** The stat an image record keeps (see ImageRecord.stat), or undefined when the file cannot be stat'ed. */
function statOf(file: string): string | undefined {
  try {
    return statSignature(fs.statSync(file));
  } catch {
    // A file that cannot be stat'ed now: the caller reads it again and compares.
    return undefined;
  }
}

/** What a rendered body records of its images (a MarkdownResult's fields). */
export interface RenderedImages {
  /** Its local images. */
  images?: readonly ImageRecord[];
  /** How its first image loads, when it has one: `lazy` when rendered below a cover (ImageContext.isAfterCover). */
  firstImageLoading?: 'eager' | 'lazy';
}

/**
 * Whether a rendered body still fits its post: rendered for the same cover-or-not (which decides how its first
 * image loads) and with the same images on disk (see areImagesUnchanged).
 */
export function areImagesCurrent(rendered: RenderedImages, context: ImageContext): boolean {
  if (rendered.firstImageLoading !== undefined && (rendered.firstImageLoading === 'lazy') !== Boolean(context.isAfterCover)) return false;
  return areImagesUnchanged(rendered.images, context);
}

/**
 * Whether cached images still read as they did when the HTML was made (same files, same sizes, same missing ones):
 * a cached post's HTML holds their sizes, so a changed image renders it again.
 */
export function areImagesUnchanged(records: readonly ImageRecord[] | undefined, context: ImageContext): boolean {
  for (const record of records ?? []) {
    // An unchanged stat is an unchanged image: a no-change build reads no image file.
    if (record.stat !== undefined && record.file !== undefined && record.file === locateImage(record.src, context) && statOf(record.file) === record.stat) continue;
    const now = imageRecord(record.src, context);
    if (!now || now.file !== record.file || now.isMissing !== record.isMissing || now.width !== record.width || now.height !== record.height || now.stat !== record.stat) return false;
  }
  return true;
}
