/**
 * Characters that cannot appear in a web page: HTML parsers report C0 controls other than whitespace, DEL and C1
 * controls, noncharacters (U+FDD0–U+FDEF, U+xFFFE, U+xFFFF) and lone surrogates as errors, and the Nu Html Checker
 * rejects the page. NUL passes when `isNulAllowed` (markdown turns it into U+FFFD; front-matter text is not markdown).
 */
export function findUnprintable(text: string, isNulAllowed = true): { index: number; codePoint: number } | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) continue;
    if (c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d || (c === 0 && isNulAllowed)) continue;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return { index: i, codePoint: c };
      const codePoint = text.codePointAt(i)!;
      if ((codePoint & 0xfffe) === 0xfffe) return { index: i, codePoint };
      i++;
      continue;
    }
    if ((c >= 0xdc00 && c <= 0xdfff) || c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0xfdd0 && c <= 0xfdef) || c >= 0xfffe) {
      return { index: i, codePoint: c };
    }
  }
  return undefined;
}

/** `U+0005`, the way Unicode names a code point. */
export function codePointName(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}
