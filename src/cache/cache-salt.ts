import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MarkdownOptions } from '../markdown/processor.js';
import { version } from '../version.js';

/** Packages whose code shapes the rendered HTML; their versions are part of every cache key. */
const markdownPackages = [
  'unified', 'remark-parse', 'remark-gfm', 'remark-rehype', 'rehype-slug', 'rehype-stringify', 'micromark',
  'micromark-extension-gfm', 'mdast-util-from-markdown', 'mdast-util-gfm', 'mdast-util-to-hast', 'hast-util-raw',
  'hast-util-to-html', 'hast-util-to-string', 'mdast-util-to-string', 'github-slugger',
];

let codeSalt: string | undefined;

/**
 * Everything besides a post's body that decides its rendered HTML: the markdown options, blogbuild's version,
 * the markdown plugins' versions, and a hash of blogbuild's own markdown modules (so a development build with
 * changed plugin code but the same version number does not reuse old results).
 */
export function markdownCacheSalt(options: Required<MarkdownOptions>): string {
  codeSalt ??= computeCodeSalt();
  return JSON.stringify({ format: 1, version, rawHtml: options.rawHtml, basePath: options.basePath, code: codeSalt });
}

function computeCodeSalt(): string {
  const hash = createHash('sha1');
  const here = path.dirname(fileURLToPath(import.meta.url));
  const markdownDir = path.join(here, '..', 'markdown');
  try {
    for (const name of fs.readdirSync(markdownDir).sort()) {
      if (/\.(js|ts)$/.test(name) && !name.endsWith('.d.ts')) hash.update(name).update(fs.readFileSync(path.join(markdownDir, name)));
    }
  } catch {
    hash.update('no-markdown-dir');
  }
  for (const name of markdownPackages) hash.update(`${name}@${packageVersion(name, here)};`);
  return hash.digest('hex');
}

/** The installed version of a package, found by walking up node_modules folders (exports maps may hide package.json). */
function packageVersion(name: string, from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      return (JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      // Not here; look one folder up.
    }
    if (path.dirname(dir) === dir) return 'missing';
  }
}
