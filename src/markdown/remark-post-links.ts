import type { Root, RootContent } from 'mdast';
import type { VFile } from 'vfile';

/**
 * Links to other posts by their markdown file (`[x](./other.md#part)`) become those posts' URLs. Reads
 * `file.data.postLinks` (href as written → URL, from content/post-links.ts); links and definitions whose URL is
 * not in it are left alone.
 */
export function remarkPostLinks() {
  return (tree: Root, file: VFile) => {
    const urls = file.data.postLinks;
    if (!urls) return;
    const visit = (node: Root | RootContent) => {
      if ((node.type === 'link' || node.type === 'definition') && Object.hasOwn(urls, node.url)) node.url = urls[node.url];
      if ('children' in node) for (const child of node.children) visit(child);
    };
    visit(tree);
  };
}

declare module 'vfile' {
  interface DataMap {
    postLinks: Record<string, string>;
  }
}
