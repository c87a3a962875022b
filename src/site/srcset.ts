// One module of its own, without the HTML parser absolute-urls.ts loads: list pages resolve their excerpts' srcsets
// with it, and a build that renders no feed item must not load parse5 for them.

/**
 * Resolves each candidate URL of an element's `srcset` (hast's `srcSet`: the HTML parser gives the attribute's text,
 * other trees a list of candidates). Candidates are `url [descriptor]`, separated by commas; a URL may hold commas.
 */
export function resolveSrcset(properties: Record<string, unknown>, resolve: (url: string) => string): void {
  const value = properties.srcSet;
  if (typeof value !== 'string' && !Array.isArray(value)) return;
  const candidates: string[] = [];
  for (const text of typeof value === 'string' ? [value] : value.map(String)) {
    // After the HTML standard's srcset parsing: a URL runs to whitespace (trailing commas end the candidate), its
    // descriptors to the next comma.
    for (const match of text.matchAll(/[\s,]*([^\s,][^\s]*?)(,+(?=\s|$)|,*$|\s+([^,]*))(?:,|$)/g)) {
      const [, url, , descriptor] = match;
      candidates.push(descriptor?.trim() ? `${resolve(url)} ${descriptor.trim()}` : resolve(url));
    }
  }
  properties.srcSet = candidates.join(', ');
}
