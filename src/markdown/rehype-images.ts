import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { offsetToPosition } from '../diagnostics/position.js';
import { imageRecord, type ImageContext, type ImageRecord } from './image-files.js';

/**
 * Images of a post's body, before base paths are added (rehypePostTree), so each is recorded by its src as written:
 *
 * - every image but the page's first gets `loading="lazy"` and `decoding="async"`, unless the post set them: the
 *   page's first image is likely in view when it opens (its largest paint), where lazy loading would delay it. That
 *   is the body's first image, or none of them when the page shows a cover above the body
 *   (`imageContext.isAfterCover`; the theme loads the cover eagerly, with high priority). How the first one loads is
 *   recorded in `file.data.firstImageLoading`, so a cached body is rendered again when the cover comes or goes;
 * - with `file.data.imageContext` (the post's folders), local images get `width` and `height` from the file
 *   (PNG, JPEG, GIF, WebP, SVG…, read by image-size), so the page does not jump as they load, unless the post set
 *   either; each local image is recorded in `file.data.images` with its place, missing files included, for the
 *   build's warnings and for checking cached HTML against the files later (areImagesUnchanged).
 */
export function rehypeImages() {
  return (tree: Root, file: VFile) => {
    const context = file.data.imageContext;
    const records: ImageRecord[] = [];
    let index = context?.isAfterCover ? 1 : 0;
    let searchFrom = 0;
    visit(tree, 'element', (node: Element) => {
      if (node.tagName !== 'img') return;
      const p = node.properties;
      if (index++ > 0) {
        p.loading ??= 'lazy';
        p.decoding ??= 'async';
      }
      if (!context || typeof p.src !== 'string') return;
      const record = imageRecord(p.src, context);
      if (!record) return;
      // At the src as written (the warning points at the file name), searched from the element's own place.
      const start = node.position?.start;
      const place = findWritten(String(file.value), p.src, Math.max(searchFrom, start?.offset ?? 0)) ?? start;
      if (place) {
        Object.assign(record, { line: place.line, column: place.column });
        if (place.offset !== undefined) searchFrom = place.offset + 1;
      }
      records.push(record);
      if (record.width !== undefined && p.width === undefined && p.height === undefined) {
        p.width = record.width;
        p.height = record.height;
      }
    });
    if (records.length > 0) file.data.images = records;
    const first = context?.isAfterCover ? 1 : 0;
    if (index > first) file.data.firstImageLoading = first === 1 ? 'lazy' : 'eager';
  };
}

/**
 * Where an image's `src` is written in the markdown, for an image that lost its place: raw HTML re-parsed by
 * hast-util-raw (any raw HTML in a post re-parses the whole tree) keeps none. The first occurrence after the
 * previous image's.
 */
function findWritten(text: string, src: string, from: number): { line: number; column: number; offset: number } | undefined {
  const offset = text.indexOf(src, from);
  return offset >= 0 ? { ...offsetToPosition(text, offset), offset } : undefined;
}

declare module 'vfile' {
  interface DataMap {
    /** Where the post's local images are; without it, image sizes are not read. */
    imageContext: ImageContext;
    /** The post's local images, as rendering found them. */
    images: ImageRecord[];
    /** How the body's first image loads, when it has an image. */
    firstImageLoading: 'eager' | 'lazy';
  }
}
