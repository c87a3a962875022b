import type { BodyText } from './body-text.js';
import { convertContainers, oneLine } from './convert-liquid.js';

/**
 * Converts an Astro post body. Markdown needs only admonitions; MDX `import` lines are dropped (they name
 * components, not content), and components (`<Chart … />`) are reported: they have no markdown form.
 */
export function convertMdx(body: BodyText, file: string): void {
  convertContainers(body);
  if (!file.endsWith('.mdx')) return;
  body.replace(/^import\s+[^\n]*?from\s+['"][^'"]+['"];?[ \t]*$/gm, 'MDX import removed', () => '');
  body.report(/^[ \t]*<[A-Z][\w.]*[^\n]*$/gm, 'MDX component', (m) => `${oneLine(m[0])} has no markdown form; left as text`);
}
