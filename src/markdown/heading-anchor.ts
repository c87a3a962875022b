import type { Element } from 'hast';

/** A heading of a post, for its table of contents. */
export interface PostHeading {
  /** 2 or 3: the table of contents lists `##` and `###` headings. */
  depth: number;
  id: string;
  text: string;
}

/**
 * Appends a `#` link to the heading itself: readers copy a section's address from it. The theme shows it on
 * hover and on keyboard focus (`.heading-anchor`); its accessible name says where it goes, not "#".
 */
export function appendHeadingAnchor(heading: Element, id: string, text: string): void {
  heading.children.push({
    type: 'element',
    tagName: 'a',
    properties: { className: ['heading-anchor'], href: `#${id}`, ariaLabel: `Link to the section “${text}”` },
    children: [{ type: 'text', value: '#' }],
  });
}

/** The text of a heading as the table of contents shows it: whitespace collapsed. */
export function headingText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
