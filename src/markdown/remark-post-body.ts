import type { Root, RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { VFile } from 'vfile';
import { moreMarkerTag } from './rehype-excerpt.js';

const moreMarker = /^<!--\s*more\s*-->$/i;

/**
 * Prepares a post body: drops the `# heading` that supplied the title (the page shows the title itself),
 * takes the excerpt (text before `<!-- more -->`, else the first paragraph with words) and replaces the marker with
 * an element that rehype-excerpt.ts turns into the HTML excerpt.
 * Reads `file.data.stripTitleHeading`; writes `file.data.excerpt`.
 */
export function remarkPostBody() {
  return (tree: Root, file: VFile) => {
    if (file.data.stripTitleHeading) {
      const index = tree.children.findIndex((node) => node.type === 'heading');
      if (index >= 0 && (tree.children[index] as { depth: number }).depth === 1) tree.children.splice(index, 1);
    }
    const more = tree.children.findIndex((node) => node.type === 'html' && moreMarker.test(node.value.trim()));
    let excerptNodes: RootContent[];
    if (more >= 0) {
      excerptNodes = tree.children.slice(0, more).filter((node) => node.type !== 'heading' && node.type !== 'html');
      // An element in its place marks where the HTML excerpt ends (rehype-excerpt.ts takes it out).
      tree.children[more] = { type: 'blogbuildMore', data: { hName: moreMarkerTag } } as unknown as RootContent;
    } else {
      // The first paragraph with words: a post that opens with an image or a bare link has no excerpt in it.
      const paragraph = tree.children.find((node) => node.type === 'paragraph' && /[\p{L}\p{N}]/u.test(toString(node, { includeImageAlt: false })));
      excerptNodes = paragraph ? [paragraph] : [];
    }
    file.data.excerpt = excerptNodes.map((node) => toString(node, { includeHtml: false })).join(' ').replace(/\s+/g, ' ').trim();
  };
}

declare module 'vfile' {
  interface DataMap {
    stripTitleHeading: boolean;
    excerpt: string;
    wordCount: number;
  }
}
