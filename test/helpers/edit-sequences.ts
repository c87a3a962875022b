/**
 * Random edit sequences for the differential tests of repeated builds and of the dev server: a small blog's posts
 * (title, date, tags, draft flag, body) and edits to them (a body, a same-length or longer title, tags, a date moved
 * into the future or back, the draft flag, a post added, deleted or renamed, the config's page size or title).
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';

const words = ['Alpha', 'Bravo', 'Delta', 'Gamma', 'Kilos', 'Oscar'];
const tagPool = ['news', 'how to', 'café', 'release', 'notes'];

export interface PostSpec {
  title: string;
  date: string;
  tags: string[];
  isDraft: boolean;
  body: string;
}

export const postSpec: fc.Arbitrary<PostSpec> = fc.record({
  title: fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 3 }).map((parts) => parts.join(' ')),
  // Scheduled: 2026-05-01 at the tests' FIXED_NOW (2026-01-01), 2030-03-01 at any time these tests run.
  date: fc.constantFrom('2024-03-01', '2024-12-31', '2025-06-15', '2025-06-15T08:30:00+02:00', '2026-05-01', '2030-03-01'),
  tags: fc.subarray(tagPool),
  isDraft: fc.boolean(),
  body: fc.constantFrom(
    'A short paragraph.',
    '## A heading\n\n- 🍞 one\n- 🥐 two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n',
    '# The title heading\n\nText with a [link](https://example.org/) and `code`.\n\n<!-- more -->\n\nAfter the fold.',
    '```js\nconst x = 1;\n```\n\nText after code.',
  ),
});

export type Edit =
  | { kind: 'body' | 'title' | 'tags' | 'date' | 'draft'; post: number; spec: PostSpec }
  | { kind: 'add'; spec: PostSpec }
  | { kind: 'delete'; post: number }
  | { kind: 'rename'; post: number }
  | { kind: 'config'; postsPerPage: number; title: string };

export const anyEdit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constantFrom('body', 'title', 'tags', 'date', 'draft'), post: fc.nat(), spec: postSpec }) as fc.Arbitrary<Edit>,
  fc.record({ kind: fc.constant('add'), spec: postSpec }) as fc.Arbitrary<Edit>,
  fc.record({ kind: fc.constantFrom('delete', 'rename'), post: fc.nat() }) as fc.Arbitrary<Edit>,
  fc.record({ kind: fc.constant('config'), postsPerPage: fc.integer({ min: 1, max: 4 }), title: fc.constantFrom('Fuzz blog', 'Other blog') }) as fc.Arbitrary<Edit>,
);

export function postText(spec: PostSpec): string {
  const tags = spec.tags.length ? `tags: [${spec.tags.map((tag) => JSON.stringify(tag)).join(', ')}]\n` : '';
  return `---\ntitle: ${spec.title}\ndate: ${spec.date}\n${tags}${spec.isDraft ? 'draft: true\n' : ''}---\n${spec.body}\n`;
}

export function configText(postsPerPage: number, title: string): string {
  return `${JSON.stringify({ url: 'https://example.org/blog/', title, postsPerPage }, null, 2)}\n`;
}

/** The blog's posts as the test knows them: file name and spec, in order. */
export type Posts = Array<{ file: string; spec: PostSpec }>;

/** Writes `text` to `file` when it differs from what is there; whether it did. */
function write(file: string, text: string): boolean {
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) return false;
  fs.writeFileSync(file, text);
  return true;
}

/** Applies one edit to the blog and to `posts` (`next` numbers new files); whether any file changed. */
export function apply(blog: string, posts: Posts, e: Edit, next: () => number): boolean {
  const at = (file: string) => path.join(blog, 'posts', file);
  if (e.kind === 'add') {
    const file = `added-${next()}.md`;
    posts.push({ file, spec: e.spec });
    return write(at(file), postText(e.spec));
  }
  if (e.kind === 'config') return write(path.join(blog, 'blogbuild.config.json'), configText(e.postsPerPage, e.title));
  if (posts.length === 0) return false;
  const target = posts[e.post % posts.length];
  if (e.kind === 'delete') {
    fs.rmSync(at(target.file));
    posts.splice(posts.indexOf(target), 1);
    return true;
  }
  if (e.kind === 'rename') {
    const file = `renamed-${next()}.md`;
    fs.renameSync(at(target.file), at(file));
    target.file = file;
    return true;
  }
  const field = e.kind === 'draft' ? 'isDraft' : e.kind;
  target.spec = { ...target.spec, [field]: e.spec[field] };
  return write(at(target.file), postText(target.spec));
}
