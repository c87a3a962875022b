import { describe, expect, it } from 'vitest';
import type { FrontMatter } from '../../../src/content/front-matter.js';
import { firstHeading } from '../../../src/content/field-values.js';

// A body read from disk is searched as bytes, with a quick look for a marker that could open a level-1 heading
// before any line is walked; a body given as text is searched line by line. Both must find the same heading.

const lines = [
  '# Title here', '#\tTabbed *title*', '   # Three spaces', '    # Four spaces is code', '## Level two', '### Level three',
  'Setext title', '=====', '  ===  ', 'a = b', 'x == y', '```', '~~~', '```js', 'C# is a language', '#hashtag',
  '\u00a0# After a no-break space', '\u3000\u3000# After ideographic spaces', 'Plain text with émoji 🎉', '',
  '- list item', '> # Quoted heading', '#', '# ', '=', '\r', 'Ends in CR\r', '# With CR\r', '\t# Tab first',
];

function body(seed: number): string {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const count = Math.floor(next() * 12);
  return Array.from({ length: count }, () => lines[Math.floor(next() * lines.length)]).join('\n');
}

const asText = (text: string) => ({ body: text }) as FrontMatter;
const asBytes = (text: string) => ({ body: text, bodyBytes: new TextEncoder().encode(text) }) as FrontMatter;

describe('firstHeading', () => {
  it('finds the same heading in a body read as bytes as in one given as text', () => {
    let found = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const text = body(seed);
      const expected = firstHeading(asText(text));
      if (expected !== undefined) found++;
      expect(firstHeading(asBytes(text)), JSON.stringify(text)).toBe(expected);
    }
    // Both kinds of body are among the generated ones: with a heading and without.
    expect(found).toBeGreaterThan(300);
    expect(found).toBeLessThan(2700);
  });

  it('finds headings after non-ASCII spaces and skips those in code', () => {
    expect(firstHeading(asBytes('Intro.\n\u00a0# Spaced title\n'))).toBe('Spaced title');
    expect(firstHeading(asBytes('```\n# Not this\n```\nText = more\n\nReal one\n===\n'))).toBe('Real one');
    expect(firstHeading(asBytes('## Two\n\nC# and a = b only.\n'))).toBeUndefined();
  });
});
