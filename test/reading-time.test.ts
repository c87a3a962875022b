/**
 * Read times shown on posts: Chinese and Japanese read about 500 characters a minute, so a 2,000-character
 * Japanese post is a 4-minute read, not "1 min read" (its sentences hold no spaces to count words by).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildFixture, type FixtureBuild } from './helpers/build-fixture.js';

const japanese = '今朝から雨が降っていたので家で本を読んだ。'; // 20 kanji and kana, then a full stop
const chinese = '今天天气很好我们去公园散步。'; // 13 hanzi
const korean = '오늘은 날씨가 좋아서 공원에 갔습니다. '; // 5 words
const english = 'Flour, water and salt make a loaf of bread. '; // 9 words

let scratch: string;
let blog: FixtureBuild;
beforeAll(async () => {
  expect([...japanese].length - 1).toBe(20);
  expect([...chinese].length - 1).toBe(13);
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-readtime-'));
  await fs.mkdir(path.join(scratch, 'posts'));
  await fs.writeFile(path.join(scratch, 'blogbuild.config.json'), JSON.stringify({ title: 'Read times', language: 'ja' }));
  const post = (slug: string, body: string) => fs.writeFile(path.join(scratch, 'posts', `2025-01-01-${slug}.md`), `---\ntitle: ${slug}\ndate: 2025-01-01\n---\n\n${body}\n`);
  await post('japanese', japanese.repeat(100)); // 2,000 characters
  await post('chinese', chinese.repeat(77)); // 1,001 characters
  await post('korean', korean.repeat(138)); // 690 words
  await post('english', english.repeat(51)); // 459 words
  await post('mixed', `${japanese.repeat(50)}\n\n${english.repeat(26)}`); // 1,000 characters and 234 words
  blog = await buildFixture(scratch, { cache: false });
  expect(blog.ok).toBe(true);
});
afterAll(async () => {
  await fs.rm(scratch, { recursive: true, force: true });
});

const readTime = (slug: string) => parseHTML(blog.read(`posts/${slug}/index.html`)).document.querySelector('.post-read-time')?.textContent;

it('reads 2,000 Japanese characters in 4 minutes and 1,000 Chinese ones in 2', () => {
  expect(readTime('japanese')).toBe('4 min read');
  expect(readTime('chinese')).toBe('2 min read');
});

it('reads Korean and English by words at 230 a minute, and mixed text by both', () => {
  expect(readTime('korean')).toBe('3 min read');
  expect(readTime('english')).toBe('2 min read');
  expect(readTime('mixed')).toBe('3 min read');
});
