/**
 * The line prefixes of markdown's block containers (blockquotes, list items), for the code of a highlight block
 * written inside one: its lines carry the container's prefix (`> `, the item's indent), which is not part of the code.
 */

/**
 * The prefix that continues the containers a line opens, from the text before a block on its first line: `> `
 * stays `> `, a list marker becomes spaces (`- ` → two spaces, `> 1. ` → `>    `). Undefined when that text holds
 * anything but container markers (the block does not start the line's content).
 */
export function continuationPrefix(before: string): string | undefined {
  if (!/^(?:[ \t]*(?:>|[-*+]|\d{1,9}[.)])(?=[ \t]|$))*[ \t]*$/.test(before)) return undefined;
  return before.replace(/[-*+]|\d{1,9}[.)]/g, (marker) => ' '.repeat(marker.length));
}

/** `line` without as much of `prefix` as it has: a blank line or a `>` without its space still loses its prefix. */
export function stripPrefix(line: string, prefix: string): string {
  let i = 0;
  for (let j = 0; j < prefix.length && i < line.length; j++) {
    if (line[i] === prefix[j]) i++;
    else if (prefix[j] !== ' ') break;
  }
  return line.slice(i);
}

/** The text before `offset` on its line. */
export function lineBefore(text: string, offset: number): string {
  return text.slice(text.lastIndexOf('\n', offset - 1) + 1, offset);
}
