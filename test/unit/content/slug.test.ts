import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiSlug, fallbackSlug, isUnsafePathSegment, slugify, unicodeSlug } from '../../../src/content/slug.js';
import { tagSlug } from '../../../src/site/tags.js';

describe('slugify', () => {
  it.each([
    ['C++', 'c-plus-plus'],
    ['C#', 'c-sharp'],
    ['C', 'c'],
    ['F#', 'f-sharp'],
    ['Node.js', 'node-js'],
    ['café', 'cafe'],
    ['naïve résumé', 'naive-resume'],
    ['Straße', 'strasse'],
    ['a/b testing', 'a-b-testing'],
    ['AT&T', 'at-and-t'],
    ['100%', '100-percent'],
    ['Hello, World!', 'hello-world'],
    ['  Spaces  around ', 'spaces-around'],
    ['x -- y', 'x-y'],
    ['-leading and trailing-', 'leading-and-trailing'],
    ['日本語', '日本語'],
    // Marks that are part of a letter in other scripts stay, composed: only Latin letters lose their accents.
    ['レシピ', 'レシピ'],
    ['ﾊﾟﾝ', 'パン'],
    ['हिन्दी ब्लॉग', 'हिन्दी-ब्लॉग'],
    ['한국어 블로그', '한국어-블로그'],
    ['Йога', 'йога'],
    ['tiếng Việt', 'tieng-viet'],
    ['🎉\uFE0F party', 'party'],
    ['../../etc', 'etc'],
  ])('%s → %s', (text, slug) => {
    expect(slugify(text)).toBe(slug);
  });

  it('leaves nothing for emoji-only or punctuation-only text', () => {
    expect(slugify('🎉')).toBe('');
    expect(slugify('🎉 🚀')).toBe('');
    expect(slugify('...')).toBe('');
  });

  it('gives distinct slugs to names that differ only in meaningful punctuation', () => {
    const names = ['C', 'C++', 'C#', 'Node.js', 'Nodejs', 'AT&T', 'ATT'];
    const slugs = names.map(slugify);
    expect(slugs.slice(0, 4)).toEqual(['c', 'c-plus-plus', 'c-sharp', 'node-js']);
    expect(new Set(slugs.slice(0, 4)).size).toBe(4);
    expect(slugify('Node.js')).not.toBe(slugify('Nodejs'));
    expect(slugify('AT&T')).not.toBe(slugify('ATT'));
  });

  it('gives one slug to names that differ only in case, accents or spacing', () => {
    expect(new Set(['Café', 'cafe', 'CAFÉ', ' café '].map(slugify))).toEqual(new Set(['cafe']));
  });

  it('is safe as a path segment', () => {
    for (const text of ['../../etc', 'a/b', 'a\\b', '..', '/etc/passwd', 'x\u0000y']) {
      const slug = slugify(text);
      expect(slug).not.toMatch(/[/\\]|^\.+$|[\u0000-\u001f]/);
    }
  });
});

describe('asciiSlug', () => {
  it('gives the slug unicodeSlug gives for any ASCII text', () => {
    const ascii = fc.string({ unit: fc.constantFrom(...Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)), 'C++', 'C#', 'A & B', ' Node.js ', '50%', '@home'), maxLength: 24 });
    fc.assert(fc.property(ascii, (text) => {
      expect(asciiSlug(text)).toBe(unicodeSlug(text));
    }), { numRuns: 2000, seed: 15 });
  });
});

describe('fallbackSlug', () => {
  it('spells emoji-only names as code points, distinct per name', () => {
    expect(fallbackSlug('🎉')).toBe('u-1f389');
    expect(fallbackSlug(' 🎉🚀 ')).toBe('u-1f389-1f680');
    expect(fallbackSlug('🎉')).not.toBe(fallbackSlug('🚀'));
  });

  it('is what tag slugs use when slugify leaves nothing', () => {
    expect(tagSlug('🎉')).toBe('u-1f389');
    expect(tagSlug('C++')).toBe('c-plus-plus');
  });
});

describe('isUnsafePathSegment', () => {
  it.each(['../../etc', '..', '.', 'a/b', 'a\\b', '/etc', 'tab\there'])('%s is unsafe', (text) => {
    expect(isUnsafePathSegment(text)).toBe(true);
  });
  it.each(['hello', 'my-first-post', 'v1.2', 'café', '...a'])('%s is safe', (text) => {
    expect(isUnsafePathSegment(text)).toBe(false);
  });
});
