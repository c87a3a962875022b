/**
 * Chinese and Japanese are read by characters, about 500 a minute, while `readingSpeed` counts words (230 a
 * minute by default). Each Han, Hiragana or Katakana character therefore counts as 230/500 of a word, so a
 * 2,000-character Japanese post reads like 920 words (4 minutes), and a slower `readingSpeed` slows both alike.
 * Korean separates words with spaces and is counted by words, like Latin, Cyrillic or Greek text.
 */
const cjkWordsPerCharacter = 230 / 500;

/** What a character is to the count (see {@link countWords}). */
const Kind = {
  Other: 0,
  /** A letter or number (`\p{L}`, `\p{N}`): starts or continues a word. */
  Word: 1,
  /** `'`, `’`, `_` or `-`: continues a word, starts none. */
  Joiner: 2,
  /** Han, Hiragana or Katakana: counted by itself, and ends a word. */
  Cjk: 3,
} as const;
type Kind = (typeof Kind)[keyof typeof Kind];

const isCjk = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]$/u;
const isWordCharacter = /^[\p{L}\p{N}]$/u;
/** Kinds of the non-ASCII code points met so far: the Unicode patterns run once per distinct character. */
const kinds = new Map<number, Kind>();

function kindOf(codePoint: number): Kind {
  let kind = kinds.get(codePoint);
  if (kind === undefined) {
    const character = String.fromCodePoint(codePoint);
    kind = isCjk.test(character) ? Kind.Cjk : isWordCharacter.test(character) ? Kind.Word : codePoint === 0x2019 ? Kind.Joiner : Kind.Other;
    kinds.set(codePoint, kind);
  }
  return kind;
}

function asciiKind(code: number): Kind {
  if ((code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57)) return Kind.Word;
  return code === 39 || code === 95 || code === 45 ? Kind.Joiner : Kind.Other;
}

/**
 * The words of a text, in word-equivalents: CJK characters count by character (see above), the rest by word. A word
 * is a letter or number followed by any letters, numbers, `'`, `’`, `_` and `-`, each CJK character ending one (what
 * the pattern `[\p{L}\p{N}][\p{L}\p{N}'’_-]` + `*` found, the CJK characters replaced by spaces). Counted in one pass
 * by code point: the two Unicode patterns over the whole text took ~0.3 ms a post, a few percent of a worker's time.
 */
export function countWords(text: string): number {
  let words = 0;
  let characters = 0;
  let isInWord = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let kind: Kind;
    if (code < 128) kind = asciiKind(code);
    else {
      let codePoint = code;
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
        const low = text.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          codePoint = (code - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
          i++;
        }
      }
      kind = kindOf(codePoint);
    }
    if (kind === Kind.Word) {
      if (!isInWord) words++;
      isInWord = true;
    } else if (kind !== Kind.Joiner) {
      isInWord = false;
      if (kind === Kind.Cjk) characters++;
    }
  }
  return words + Math.round(characters * cjkWordsPerCharacter);
}
