import { describe, expect, it } from 'vitest';
import { escapeXml, xmlText } from '../../../src/site/xml.js';

describe('xmlText', () => {
  it('keeps emoji (surrogate pairs) and drops what XML 1.0 forbids beside them', () => {
    expect(xmlText('ship 🚀 it 👍🏿')).toBe('ship 🚀 it 👍🏿');
    // Lone surrogates: a high one at the end, a low one after an emoji, a high one before text.
    expect(xmlText('a🚀\ud800')).toBe('a🚀');
    expect(xmlText('🚀\udc00b')).toBe('🚀b');
    expect(xmlText('\ud83dx🚀')).toBe('x🚀');
    expect(xmlText('🚀\u0001\uffff\ufffe\u000b')).toBe('🚀');
    // Supplementary noncharacters are allowed in XML 1.0 (Char includes #x10000-#x10FFFF).
    expect(xmlText('\u{1fffe}')).toBe('\u{1fffe}');
    expect(escapeXml('<🚀 & "\ud800">')).toBe('&lt;🚀 &amp; &quot;&quot;&gt;');
  });
});
