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
