import type { Element, ElementContent, Root, RootContent } from 'hast';
import { toHtml } from 'hast-util-to-html';
import type { VFile } from 'vfile';

/** The element remark-post-body puts where `<!-- more -->` was; this step removes it. */
export const moreMarkerTag = 'blogbuild-more';

/**
 * The HTML of a post's part before `<!-- more -->`, for list pages: `file.data.excerptHtml`. Runs after
 * blogbuild's other HTML steps, so the excerpt's code is highlighted too, and takes out what only works on the
 * post's own page: ids (a list page holds several excerpts, and ids must be unique), heading anchors, footnote
 * references, and headings (the list gives each post an `h2` title; the plain-text excerpt leaves headings out
 * too). The marker element is removed from the post in any case.
 */
export function rehypeExcerpt() {
  return (tree: Root, file: VFile) => {
    const index = tree.children.findIndex(isMarker);
    if (index < 0) {
      removeMarkers(tree);
      return;
    }
    const before = tree.children.slice(0, index);
    // With the line break after it, so the post's HTML is as it was without the marker.
    const next = tree.children[index + 1];
    tree.children.splice(index, next?.type === 'text' && next.value.trim() === '' ? 2 : 1);
    const excerpt = before.map((node) => structuredClone(node)).filter((node) => !isHeading(node));
    const cleaned = clean(excerpt as ElementContent[]);
    const html = toHtml({ type: 'root', children: cleaned }).trim();
    if (html !== '') file.data.excerptHtml = html;
  };
}

function isMarker(node: RootContent): boolean {
  return node.type === 'element' && node.tagName === moreMarkerTag;
}

function isHeading(node: RootContent): boolean {
  return node.type === 'element' && /^h[1-6]$/.test(node.tagName);
}

/** A marker nested in raw HTML is not a split point: it only goes. */
function removeMarkers(parent: Root | Element): void {
  parent.children = parent.children.filter((child) => !isMarker(child as RootContent)) as typeof parent.children;
  for (const child of parent.children) if (child.type === 'element') removeMarkers(child);
}

function clean(nodes: ElementContent[]): ElementContent[] {
  const kept: ElementContent[] = [];
  for (const node of nodes) {
    if (node.type !== 'element') {
      kept.push(node);
      continue;
    }
    if (isAnchorOrFootnoteReference(node)) continue;
    delete node.properties.id;
    delete node.properties.ariaDescribedBy;
    node.children = clean(node.children);
    kept.push(node);
  }
  return kept;
}

function isAnchorOrFootnoteReference(node: Element): boolean {
  const className = node.properties.className;
  if (node.tagName === 'a' && Array.isArray(className) && className.includes('heading-anchor')) return true;
  // GFM footnote references: `<sup><a data-footnote-ref …>1</a></sup>`; the footnotes are not on list pages.
  return node.tagName === 'sup' && node.children.some((child) => child.type === 'element' && child.properties.dataFootnoteRef !== undefined);
}

declare module 'vfile' {
  interface DataMap {
    /** The HTML before `<!-- more -->`, for list pages; absent when the post has no marker. */
    excerptHtml: string;
  }
}
