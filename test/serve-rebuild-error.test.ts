/**
 * A rebuild that throws (a bug in blogbuild or a plugin, not a build error) is reported by serve and the last good
 * site stays served; before, the watch loop dropped the error and nothing was printed.
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { build, type BuildOptions } from '../src/build.js';
import { serve, type ServeHandle } from '../src/dev/serve.js';
import type { WatcherLike } from '../src/dev/watch.js';

const fixture = fileURLToPath(new URL('./fixtures/sites/serve-basic', import.meta.url));

class FakeWatcher extends EventEmitter implements WatcherLike {
  add() {}
  unwatch() {}
  async close() {}
  fire(event: string, file: string) {
    this.emit('all', event, file);
  }
}

let handle: ServeHandle | undefined;
let tmp: string | undefined;
afterEach(async () => {
  await handle?.close();
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

describe('serve, when a rebuild throws', () => {
  it('reports the error with the changed file and keeps serving the last good build', async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-rebuild-error-'));
    await fs.cp(fixture, tmp, { recursive: true });
    const watcher = new FakeWatcher();
    let builds = 0;
    const failing = async (options: BuildOptions) => {
      if (++builds > 1) throw new Error('a bug in a stage', { cause: new Error('the original failure') });
      return build(options);
    };
    const reported: { cause: unknown; changed: string[] }[] = [];
    handle = await serve({ root: tmp, port: 0, watcher, debounce: 10, build: failing, onRebuildError: (cause, changed) => void reported.push({ cause, changed }) });
    const before = await (await fetch(handle.url)).text();

    const post = path.join(tmp, 'posts', (await fs.readdir(path.join(tmp, 'posts'))).find((name) => name.endsWith('.md'))!);
    watcher.fire('change', post);
    await handle.idle();

    expect(builds).toBe(2);
    expect(reported).toHaveLength(1);
    expect((reported[0].cause as Error).message).toBe('a bug in a stage');
    expect(reported[0].changed).toEqual([post]);
    const after = await fetch(handle.url);
    expect(after.status).toBe(200);
    expect(await after.text()).toBe(before);
  });
});
