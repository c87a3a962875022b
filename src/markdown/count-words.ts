/**
 * Chinese and Japanese are read by characters, about 500 a minute, while `readingSpeed` counts words (230 a
 * minute by default). Each Han, Hiragana or Katakana character therefore counts as 230/500 of a word, so a
 * 2,000-character Japanese post reads like 920 words (4 minutes), and a slower `readingSpeed` slows both alike.
 * Korean separates words with spaces and is counted by words, like Latin, Cyrillic or Greek text.
 */
const cjkWordsPerCharacter = 230 / 500;

const cjkCharacter = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu;
const word = /[\p{L}\p{N}][\p{L}\p{N}'’_-]*/gu;

/** The words of a text, in word-equivalents: CJK characters count by character (see above), the rest by word. */
export function countWords(text: string): number {
  let characters = 0;
  const rest = text.replace(cjkCharacter, () => {
    characters++;
    return ' ';
  });
  const words = rest.match(word)?.length ?? 0;
  return words + Math.round(characters * cjkWordsPerCharacter);
}
