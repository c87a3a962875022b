import { warning, type Diagnostic } from '../diagnostics/error.js';
import type { Post, RenderedPost } from '../site/model.js';
import { postPath } from '../site/urls.js';
import { imageRecord, type ImageRecord } from './image-files.js';

const hint = (post: Pick<Post, 'bundleDir'>, src: string) =>
  post.bundleDir || !/^(?![a-z][a-z0-9+.-]*:)[^/]/i.test(src)
    ? 'check the file name (it is case-sensitive), or add the file'
    : 'a post that is a single file has no files beside its page: make it a folder (posts/<name>/index.md) holding the image, or put the image in public/ and link it as /name.png';

/** A warning for each local image of a post's body that does not exist, at its line in the markdown. */
export function imageWarnings(post: Post, images: readonly ImageRecord[] | undefined): Diagnostic[] {
  const warnings: Diagnostic[] = [];
  for (const image of images ?? []) {
    if (!image.isMissing) continue;
    const loc = image.line === undefined ? { file: post.sourcePath } : { file: post.sourcePath, line: post.bodyStartLine + image.line - 1, column: image.column };
    warnings.push(warning('ImageMissing', `image ${JSON.stringify(image.src)} does not exist`, loc, hint(post, image.src)));
  }
  return warnings;
}

/**
 * The sizes of the posts' cover images (front matter `image`, relative to the post's page or root-relative), set
 * as `imageSize` on each post whose cover is a local image, and a warning (at the `image:` line) for each cover that
 * does not exist. Other origins are left alone.
 */
export function readCoverImages(posts: readonly RenderedPost[], options: { basePath: string; publicDir: string }): Diagnostic[] {
  const warnings: Diagnostic[] = [];
  for (const post of posts) {
    delete post.imageSize;
    if (!post.image) continue;
    const { basePath } = options;
    const record = imageRecord(post.image, { pageDir: basePath + postPath(post.slug), basePath, bundleDir: post.bundleDir, publicDir: options.publicDir });
    if (record?.isMissing) {
      warnings.push(warning('ImageMissing', `cover image ${JSON.stringify(post.image)} does not exist`,
        post.imageLoc ?? { file: post.sourcePath }, hint(post, post.image)));
    } else if (record?.width !== undefined) post.imageSize = { width: record.width, height: record.height! };
  }
  return warnings;
}
