import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | null | undefined;

/**
 * Runs a full garbage collection, after each background check (the dev server is quiet then). A check is a build:
 * at 10,000 posts it allocates ~300 MiB that is garbage once it ends (the site model, the caches' files), and V8
 * collects its old generation only when the heap grows again, so the next check's allocations stacked on the last
 * one's garbage: the server's peak memory grew with each save (issue 15: serve's peak RSS ≤ 600 MiB). V8 exposes a
 * collection only to code run with `--expose-gc`; the flag is set here, before the first use, as the `expose-gc`
 * idiom does. Without it (a runtime that refuses the flag) nothing is collected early.
 */
export function collectGarbage(): void {
  if (gc === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      gc = vm.runInNewContext('gc') as () => void;
    } catch {
      // No collection on demand: V8 collects when it would anyway.
      gc = null;
    }
  }
  gc?.();
}
