/**
 * Issue 15 (serve's memory): the background check builds from the posts the served site loaded instead of reading
 * the persistent post cache (a second copy of every post, 59 MB of files at 10,000 posts). Its findings must stay
 * those of `build`: a body with a character a page cannot hold (which the served site, loading front matter only,
 * does not scan for) and a post saved since the site was loaded are read from their files.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import type { Diagnostic } from '../src/diagnostics/error.js';
import { serve, type ServeHandle } from '../src/dev/serve.js';
import { memoryWriter } from '../src/output/writer.js';
import { copyFixture, pastRacyWindow } from './helpers/build-fixture.js';

let handle: ServeHandle | undefined;
let tmp: string | undefined;
afterEach(async () => {
  await handle?.close();
  handle = undefined;
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  tmp = undefined;
});

/** Diagnostics as a user reads them: code, severity, file and position, sorted. */
function summary(diagnostics: readonly Diagnostic[], root: string): string[] {
  return diagnostics.map((d) => `${d.severity} ${d.code} ${d.loc ? `${path.relative(root, d.loc.file)}:${d.loc.line ?? ''}:${d.loc.column ?? ''}` : ''}`).sort();
}

/** What a clean build (no cache) of the blog reports. */
async function cleanDiagnostics(root: string): Promise<string[]> {
  const result = await build({ root, writer: memoryWriter(), cache: false });
  return summary(result.diagnostics, root);
}

const bell = '\u0007';

describe('serve on demand: the background check and the served posts', () => {
  it('reports what build reports: a body control character, and a post saved since the site was loaded', async () => {
    tmp = await copyFixture('kitchen-sink', await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-check-posts-')));
    const root = tmp;
    await fs.writeFile(path.join(root, 'posts', '2025-08-01-bell.md'), `---\ntitle: A bell\ndate: 2025-08-01\n---\n\nFirst line.\n\nA bell ${bell} rings here.\n`);
    // Sources saved in the clock's last tick are never taken from memory (see isRacy): these were saved a minute ago.
    const past = new Date(Date.now() - 60_000);
    for (const entry of await fs.readdir(root, { recursive: true })) await fs.utimes(path.join(root, entry), past, past);
    await pastRacyWindow();
    const checks: Diagnostic[][] = [];
    handle = await serve({ root, port: 0, host: '127.0.0.1', debounce: 30, onBuild: (event) => checks.push(event.result.diagnostics) });
    await fetch(handle.url);
    await handle.idle();
    expect(checks).toHaveLength(1);
    const first = summary(checks[0], root);
    expect(first).toContain('warning CharacterInvalid posts/2025-08-01-bell.md:8:8');
    expect(first).toEqual(await cleanDiagnostics(root));
    // The check neither read nor wrote the post cache: its posts were the served site's.
    const cache = path.join(root, 'node_modules', '.cache', 'blogbuild');
    expect((await fs.readdir(cache)).filter((name) => name.startsWith('posts.'))).toEqual([]);

    // A body saved with a control character (its front matter unchanged: the served site takes the new body in).
    const note = path.join(root, 'posts', '2025-02-01-short-note.md');
    await fs.appendFile(note, `\nSaved with a bell ${bell} in it.\n`);
    const line = (await fs.readFile(note, 'utf8')).split('\n').findIndex((text) => text.includes(bell)) + 1;
    const deadline = Date.now() + 20_000;
    while (checks.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await handle.idle();
    const second = summary(checks.at(-1)!, root);
    expect(second).toContain(`warning CharacterInvalid posts/2025-02-01-short-note.md:${line}:19`);
    expect(second).toEqual(await cleanDiagnostics(root));
  });
});
