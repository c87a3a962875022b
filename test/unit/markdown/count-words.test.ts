import { describe, expect, it } from 'vitest';
import { countWords } from '../../../src/markdown/count-words.js';

describe('countWords', () => {
  it('counts Latin, Cyrillic and Korean text by words', () => {
    expect(countWords("Baker's dozen: twelve-plus loaves, 13 in all.")).toBe(7);
    expect(countWords('Привет, мир и все')).toBe(4);
    expect(countWords('오늘은 날씨가 좋아서 공원에 갔습니다.')).toBe(5);
  });

  it('counts Chinese and Japanese by characters, 500 of them reading like 230 words', () => {
    expect(countWords('漢'.repeat(500))).toBe(230);
    expect(countWords('ひらがな'.repeat(250))).toBe(460);
    expect(countWords('カタカナ、漢字。'.repeat(100))).toBe(Math.round(600 * (230 / 500)));
  });

  it('counts mixed text by both, and punctuation not at all', () => {
    expect(countWords('TypeScript の型は便利です。')).toBe(1 + Math.round(7 * (230 / 500)));
    expect(countWords('「」、。…—')).toBe(0);
  });
});

describe('countWords against the word pattern it stands for', () => {
  // The definition the count keeps (it ran as these two patterns before it became one pass by code point).
  const byPattern = (text: string) => {
    let characters = 0;
    const rest = text.replace(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu, () => {
      characters++;
      return ' ';
    });
    return (rest.match(/[\p{L}\p{N}][\p{L}\p{N}'’_-]*/gu)?.length ?? 0) + Math.round(characters * (230 / 500));
  };

  it('gives the same count on joiners, combining marks, astral letters, emoji and lone surrogates', () => {
    for (const text of ["-a", "a-'b", '’x x’', "'quoted' word's", 'a_b _c __', 'é-à', '١٢٣ abc', 'ǅx Ⅻ x\u0301y', '𝒜bc 𠀀x 🍞 bread', 'a\ud800b \udc00c d\ud83d', 'ｶﾀｶﾅ half', '漢字abc字', 'a—b a–b', '\ud83c\udf5e\ufe0f']) {
      expect(countWords(text), JSON.stringify(text)).toBe(byPattern(text));
    }
  });

  it('gives the same count on random text from ASCII, Latin, Cyrillic, CJK, emoji and surrogate halves', () => {
    const pieces = ['a', 'Z', '7', ' ', '-', "'", '’', '_', '.', 'é', 'ж', 'ß', '漢', 'ひ', 'カ', 'ー', '한', '🍞', '𝒜', '\u0301', '\ud800', '\udfff', '\n', '٣', '—'];
    let seed = 15;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let n = 0; n < 500; n++) {
      const text = Array.from({ length: next() % 40 }, () => pieces[next() % pieces.length]).join('');
      expect(countWords(text), JSON.stringify(text)).toBe(byPattern(text));
    }
  });
});
