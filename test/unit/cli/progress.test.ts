import { afterEach, describe, expect, it } from 'vitest';
import { createReporter } from '../../../src/cli/output.js';
import { createProgress, formatDuration, formatProgress, noProgress } from '../../../src/cli/progress.js';

describe('formatProgress', () => {
  it('shows the count, the share, the rate and the time left at that rate', () => {
    expect(formatProgress('rendering posts', 412, 1000, 180)).toBe('rendering posts 412/1,000 (41 %), 180/s, about 4 s left');
    expect(formatProgress('rendering posts', 5000, 10000, 250.4)).toBe('rendering posts 5,000/10,000 (50 %), 250/s, about 20 s left');
    expect(formatProgress('rendering posts', 1, 100, 0.5)).toBe('rendering posts 1/100 (1 %), 0.5/s, about 3 min 18 s left');
  });

  it('shows only the count while the rate is unknown, and says what comes next when all are done', () => {
    expect(formatProgress('rendering posts', 3, 1000)).toBe('rendering posts 3/1,000 (0 %)');
    expect(formatProgress('rendering posts', 3, 1000, 0)).toBe('rendering posts 3/1,000 (0 %)');
    expect(formatProgress('rendering posts', 3, 1000, Infinity)).toBe('rendering posts 3/1,000 (0 %)');
    expect(formatProgress('rendering posts', 1000, 1000, 200)).toBe('rendering posts 1,000/1,000 done; writing pages');
  });
});

describe('formatDuration', () => {
  it('rounds up to whole seconds, then minutes and hours', () => {
    expect(formatDuration(0.2)).toBe('1 s');
    expect(formatDuration(4.01)).toBe('5 s');
    expect(formatDuration(59.5)).toBe('1 min 00 s');
    expect(formatDuration(65)).toBe('1 min 05 s');
    expect(formatDuration(7380)).toBe('2 h 03 min');
  });
});

describe('createProgress', () => {
  /** A progress line on a fake terminal with a clock the test moves. */
  function fake(options: { delayMs?: number; intervalMs?: number } = {}) {
    let time = 1_000;
    const writes: string[] = [];
    const progress = createProgress({ label: 'rendering posts', stream: { write: (text: string) => writes.push(text) }, now: () => time, ...options });
    return { progress, writes, advance: (ms: number) => (time += ms) };
  }

  it('draws nothing for a task shorter than the delay', () => {
    const { progress, writes, advance } = fake();
    progress.update(0, 10);
    advance(100);
    progress.update(10, 10);
    progress.done();
    expect(writes).toEqual([]);
  });

  it('counts the rate from the first item done, without the items already done then (posts from the cache)', () => {
    const { progress, writes, advance } = fake();
    // 600 of 1,000 came from the cache: the 400 left render at 100 a second.
    progress.update(600, 1000);
    advance(1000);
    progress.update(601, 1000);
    advance(1000);
    progress.update(701, 1000);
    expect(writes).toEqual(['\r\x1b[2Krendering posts 601/1,000 (60 %)', '\r\x1b[2Krendering posts 701/1,000 (70 %), 100/s, about 3 s left']);
    advance(3000);
    progress.update(1000, 1000);
    expect(writes.at(-1)).toBe('\r\x1b[2Krendering posts 1,000/1,000 done; writing pages');
    progress.done();
    expect(writes.at(-1)).toBe('\r\x1b[2K');
  });

  it('leaves the workers\' start-up out of the rate: no estimate until items have come for a second', () => {
    const { progress, writes, advance } = fake();
    progress.update(0, 1000);
    // The first post comes back after 2.4 s (workers starting, code warming up), then 22 a second.
    advance(2400);
    progress.update(1, 1000);
    expect(writes.at(-1)).toBe('\r\x1b[2Krendering posts 1/1,000 (0 %)');
    for (let i = 0; i < 5; i++) {
      advance(200);
      progress.update(1 + (i + 1) * 4, 1000);
    }
    advance(100);
    progress.update(23, 1000);
    expect(writes.at(-1)).toBe('\r\x1b[2Krendering posts 23/1,000 (2 %), 20/s, about 49 s left');
    expect(writes.join('')).not.toContain('min');
  });

  it('redraws at most once an interval, but always for the last item', () => {
    const { progress, writes, advance } = fake({ delayMs: 0, intervalMs: 100 });
    progress.update(0, 3);
    advance(10);
    progress.update(1, 3);
    advance(10);
    progress.update(2, 3);
    advance(10);
    progress.update(3, 3);
    expect(writes).toHaveLength(2);
    expect(writes[0]).toBe('\r\x1b[2Krendering posts 0/3 (0 %)');
    expect(writes[1]).toContain('3/3 done');
  });
});

describe('the reporter draws progress only on a terminal', () => {
  const isTTY = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
  const ci = process.env.CI;
  const term = process.env.TERM;
  const setTty = (value: boolean) => Object.defineProperty(process.stderr, 'isTTY', { value, configurable: true });
  afterEach(() => {
    if (isTTY) Object.defineProperty(process.stderr, 'isTTY', isTTY);
    else delete (process.stderr as { isTTY?: boolean }).isTTY;
    if (ci === undefined) delete process.env.CI;
    else process.env.CI = ci;
    if (term === undefined) delete process.env.TERM;
    else process.env.TERM = term;
  });

  it('is off when stderr is not a terminal, in CI and with --quiet, and on otherwise', () => {
    delete process.env.CI;
    process.env.TERM = 'xterm-256color';
    setTty(false);
    expect(createReporter({ cwd: '/' }).progress('rendering posts')).toBe(noProgress());
    setTty(true);
    expect(createReporter({ cwd: '/', quiet: true }).progress('rendering posts')).toBe(noProgress());
    expect(createReporter({ cwd: '/' }).progress('rendering posts')).not.toBe(noProgress());
    process.env.CI = '1';
    expect(createReporter({ cwd: '/' }).progress('rendering posts')).toBe(noProgress());
  });
});
