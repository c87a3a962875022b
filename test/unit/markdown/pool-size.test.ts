import os from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultWorkers } from '../../../src/markdown/render-markdown.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the default markdown pool size', () => {
  it('is one worker a core on a small machine, none below the threshold or on one core', () => {
    vi.spyOn(os, 'availableParallelism').mockReturnValue(2);
    expect(defaultWorkers(1000, 64)).toBe(2);
    expect(defaultWorkers(64, 64)).toBe(2);
    expect(defaultWorkers(63, 64)).toBe(0);
    vi.spyOn(os, 'availableParallelism').mockReturnValue(1);
    expect(defaultWorkers(1000, 64)).toBe(0);
  });

  it('starts at most 8 workers, and one per 32 posts, on a large machine', () => {
    vi.spyOn(os, 'availableParallelism').mockReturnValue(64);
    expect(defaultWorkers(10_000, 64)).toBe(8);
    expect(defaultWorkers(100, 64)).toBe(3);
    expect(defaultWorkers(64, 64)).toBe(2);
  });
});
