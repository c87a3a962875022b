import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../../../src/dev/collect-garbage.js';

describe('collectGarbage', () => {
  it('frees objects nothing refers to any more, at once (the background check calls it after each check)', async () => {
    let garbage: object[] | undefined = Array.from({ length: 10_000 }, (_, i) => ({ i }));
    const ref = new WeakRef(garbage);
    const kept = { kept: true };
    const keptRef = new WeakRef(kept);
    garbage = undefined;
    // WeakRef targets are held until the end of the current job: collect in a later one.
    await new Promise((resolve) => setTimeout(resolve, 0));
    collectGarbage();
    expect(ref.deref()).toBeUndefined();
    expect(keptRef.deref()).toBe(kept);
  });
});
