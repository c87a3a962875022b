import { warning, type Diagnostic } from '../diagnostics/error.js';
import type { Post, RenderedPost } from '../site/model.js';
import { postPath, type UrlConfig } from '../site/urls.js';
import { imageRecord, type ImageContext, type ImageRecord } from './image-files.js';

/**
 * Where a post's local images are looked up: beside its page (its permalink), its bundle and `public/`; and whether
 * its page shows a cover above them.
 */
export function postImageContext(post: Post, options: { basePath: string; publicDir: string; permalinks?: UrlConfig['permalinks'] }): ImageContext {
  const context: ImageContext = { pageDir: options.basePath + postPath(post, options), basePath: options.basePath, bundleDir: post.bundleDir, publicDir: options.publicDir };
  if (post.image) context.isAfterCover = true;
  return context;
}

/** The catalogue's ImageMissing (the problem `check` reports too), for an image written in a post. */
const missing = (src: string, basePath: string) => ({ url: src, problem: 'missing', basePath, isInPost: true }) as const;

/** A warning for each local image of a post's body that does not exist, at its line in the markdown. */
export function imageWarnings(post: Post, images: readonly ImageRecord[] | undefined, basePath: string): Diagnostic[] {
  const warnings: Diagnostic[] = [];
  for (const image of images ?? []) {
    if (!image.isMissing) continue;
    const loc = image.line === undefined ? { file: post.sourcePath } : { file: post.sourcePath, line: post.bodyStartLine + image.line - 1, column: image.column };
    warnings.push(warning('ImageMissing', missing(image.src, basePath), loc));
  }
  return warnings;
}

/**
 * The sizes of the posts' cover images (front matter `image`, relative to the post's page or root-relative), set
 * as `imageSize` on each post whose cover is a local image, and a warning (at the `image:` line) for each cover that
 * does not exist. Other origins are left alone.
 */
export function readCoverImages(posts: readonly RenderedPost[], options: { basePath: string; publicDir: string; permalinks?: UrlConfig['permalinks'] }): Diagnostic[] {
  const warnings: Diagnostic[] = [];
  for (const post of posts) {
    delete post.imageSize;
    if (!post.image) continue;
    const record = imageRecord(post.image, postImageContext(post, options));
    if (record?.isMissing) {
      warnings.push(warning('ImageMissing', missing(post.image, options.basePath), post.imageLoc ?? { file: post.sourcePath }));
    } else if (record?.width !== undefined) post.imageSize = { width: record.width, height: record.height! };
  }
  return warnings;
}
