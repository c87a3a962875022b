/**
 * Limits on what one post's markdown may cost (issue 14). micromark and the hast utilities recurse and backtrack:
 * a 2,000-level blockquote took 26 s and 3.2 GB before a stack overflow, 1,000 nested list items 27 s, and
 * `![` × 4,000 … `](y)` × 4,000 (24 KB) 40 s. A cheap scan of the source finds the deep ones before parsing; a time
 * budget, enforced in a worker thread that is terminated when a post overruns it, catches what the scan cannot.
 */

/** Limits on one post's markdown (`markdown.limits` in the config). */
export interface MarkdownLimits {
  /** Deepest nesting of blockquotes, list items and `[` brackets (links, images). @default 100 */
  maxDepth: number;
  /** Largest body, in UTF-8 bytes. @default 2000000 */
  maxBytes: number;
  /** Longest a post may take to render, in milliseconds, in a worker thread that is stopped when it overruns. @default 10000 */
  timeBudgetMs: number;
}

/** The default limits: far above what a written post needs, far below what hangs a build. */
export const defaultLimits = { maxDepth: 100, maxBytes: 2_000_000, timeBudgetMs: 10_000 } as const satisfies MarkdownLimits;

/**
 * Below these a post may render in the build's own thread; above them (or any limit) it renders in a worker under
 * the time budget, even in a build too small for a worker pool. Written posts stay far below. The pathological cases
 * are all deep; what is slow without depth is size (see worstMsPerByte), bounded here and by the budget.
 */
const plain = { depth: 16, bytes: 50_000 } as const;

/** The deepest nesting a post may have and still render in the build's own thread. */
export const plainDepth = plain.depth;

/**
 * What the slowest plain markdown costs a byte, in milliseconds: 50 KB of links, reference links or emphasis took
 * 2.1–4.4 s of a loaded 2-core machine (~90 µs a byte; prose ~4 µs). A post renders in the build's own thread only
 * if this many milliseconds a byte stay within half the time budget, so that a small budget sends even a
 * modest post to a worker, where the budget is enforced.
 */
const worstMsPerByte = 0.1;

/**
 * Which limit a post passes: `depth` and `bytes` found by the scan, `stack` a stack overflow while rendering (nesting
 * the scan does not count, such as raw HTML), `time` the time budget (the worker stopped), `slow` the time budget
 * overrun by a post rendered in the build's own thread (measured after), `unguarded` a post too costly to render
 * without a worker when none could start (`found`: its estimated milliseconds), `memory` a worker's heap.
 */
export type LimitKind = 'depth' | 'bytes' | 'stack' | 'time' | 'slow' | 'unguarded' | 'memory';

/** The fields of a {@link MarkdownTooComplexError}, as they cross from a worker thread. */
export interface LimitDetails {
  kind: LimitKind;
  found: number;
  limit: number;
  /** 1-based, body-relative. */
  line: number;
  column: number;
  construct: string;
}

/** A post beyond a limit: which one, the value found, and where in the body (1-based, body-relative). */
export class MarkdownTooComplexError extends Error {
  constructor(
    readonly kind: LimitKind,
    readonly found: number,
    readonly limit: number,
    readonly line: number,
    readonly column: number,
    readonly construct = '',
  ) {
    super(`${kind} ${found} beyond ${limit}`);
    this.name = 'MarkdownTooComplexError';
  }

  /** The fields, to post from a worker. */
  details(): LimitDetails {
    return { kind: this.kind, found: this.found, limit: this.limit, line: this.line, column: this.column, construct: this.construct };
  }

  /** The error again, from its posted fields. */
  static from(d: LimitDetails): MarkdownTooComplexError {
    return new MarkdownTooComplexError(d.kind, d.found, d.limit, d.line, d.column, d.construct);
  }
}

/**
 * What {@link scanMarkdown} found: the deepest nesting, where (the first place beyond the limit, if any, else the
 * deepest), and whether the post needs the time budget.
 */
export interface MarkdownScan {
  depth: number;
  line: number;
  column: number;
  /** `blockquotes and lists` or `brackets`. */
  construct: string;
  /** Whether the post is small and shallow enough to render in the build's own thread (no worker to stop it). */
  isPlain: boolean;
}

const fence = /^(`{3,}|~{3,})/;
const listMarker = /(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)/y;

/**
 * Scans a body for its deepest nesting in one pass over its lines: blockquote markers and list markers at a
 * line's start (list items nest by indentation, tracked as a stack of indents), and `[` brackets within a
 * paragraph (outside code spans, escapes excepted). Fenced code is skipped. An estimate, never above what the
 * parser would build by more than a marker or two; what it misses, the time budget catches.
 */
export function scanMarkdown(body: string, maxDepth = Infinity): MarkdownScan {
  const deepest: MarkdownScan = { depth: 0, line: 1, column: 1, construct: '', isPlain: true };
  let isBeyond = false;
  const note = (depth: number, line: number, column: number, construct: string) => {
    if (depth <= deepest.depth || (isBeyond && construct !== deepest.construct)) return;
    // The place shown is the first beyond `maxDepth` (where to start flattening); the depth the deepest.
    if (!isBeyond) Object.assign(deepest, { line, column, construct });
    deepest.depth = depth;
    isBeyond = depth > maxDepth;
  };
  const indents: number[] = [];
  let openFence = '';
  let brackets = 0;
  let lineStart = 0;
  for (let number = 1; lineStart <= body.length; number++) {
    let end = body.indexOf('\n', lineStart);
    if (end < 0) end = body.length;
    const line = body.slice(lineStart, end);
    lineStart = end + 1;
    let at = 0;
    let markers = 0;
    let firstList = -1;
    let lastMarker = 0;
    // Linear in the line however many markers it has: a run of `- ` that is all the rest is a thematic break.
    const lastNot = { '-': lastIndexNotIn(line, '-'), '*': lastIndexNotIn(line, '*') };
    for (;;) {
      while (line[at] === ' ' || line[at] === '\t') at++;
      if (line[at] === '>') {
        markers++;
        lastMarker = at++;
        continue;
      }
      if (openFence || ((line[at] === '-' || line[at] === '*') && lastNot[line[at] as '-' | '*'] < at)) break;
      listMarker.lastIndex = at;
      const marker = listMarker.exec(line);
      if (!marker) break;
      if (firstList < 0) firstList = at;
      markers++;
      lastMarker = at;
      at += marker[0].length;
    }
    const rest = line.slice(at);
    const fenceMatch = fence.exec(rest);
    if (openFence) {
      if (fenceMatch && fenceMatch[1][0] === openFence[0] && fenceMatch[1].length >= openFence.length && rest.trim() === fenceMatch[1]) openFence = '';
      continue;
    }
    if (fenceMatch) openFence = fenceMatch[1];
    if (rest.trim() === '' && markers === 0) {
      brackets = 0;
      continue;
    }
    // List items nest by indentation: a line indented no further than an open item's marker is outside it.
    const indent = firstList >= 0 ? firstList : at;
    while (indents.length > 0 && indents[indents.length - 1] >= indent) indents.pop();
    if (firstList >= 0) indents.push(firstList);
    const listDepth = indents.length + (firstList >= 0 ? -1 : 0);
    note(markers + listDepth, number, lastMarker + 1, 'blockquotes and lists');
    if (!fenceMatch) brackets = scanBrackets(rest, brackets, (depth, column) => note(depth, number, at + column, 'brackets'));
  }
  deepest.isPlain = deepest.depth <= plain.depth && body.length <= plain.bytes && htmlDepth(body) <= plain.depth;
  return deepest;
}

const voidElements = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

/**
 * A rough depth of the raw HTML in a body: start tags less end tags, at their deepest. Only decides whether a post
 * renders under the time budget (unclosed `<p>` or `<li>` tags overcount it), never whether it fails: deep raw
 * HTML that overflows the stack fails as `stack`.
 */
function htmlDepth(body: string): number {
  let depth = 0;
  let deepest = 0;
  for (const [, end, name] of body.matchAll(/<(\/?)([A-Za-z][A-Za-z\d-]*)/g)) {
    if (voidElements.has(name.toLowerCase())) continue;
    depth += end ? -1 : 1;
    if (depth > deepest) deepest = depth;
  }
  return deepest;
}

/** The last index of a character in `line` other than `char`, a space or a tab; -1 if none. */
function lastIndexNotIn(line: string, char: string): number {
  let i = line.length - 1;
  while (i >= 0 && (line[i] === char || line[i] === ' ' || line[i] === '\t')) i--;
  return i;
}

/** Follows `[` nesting through one line's inline text; returns the depth open at its end. */
function scanBrackets(text: string, depth: number, onDeeper: (depth: number, column: number) => void): number {
  // The shortest run of backticks found nowhere further on: longer runs are not searched for again (linear time).
  let unclosed = Infinity;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '`') {
      // A code span: skip to the next run of as many backticks, if there is one on the line.
      let run = 1;
      while (text[i + run] === '`') run++;
      const close = run >= unclosed ? -1 : text.indexOf('`'.repeat(run), i + run);
      if (close < 0) unclosed = Math.min(unclosed, run);
      i = close < 0 ? i + run - 1 : close + run - 1;
    } else if (c === '[') onDeeper(++depth, i + 1);
    else if (c === ']' && depth > 0) depth--;
  }
  return depth;
}

/**
 * Checks a body against the limits before it is parsed: throws {@link MarkdownTooComplexError} for one too large
 * or too deep, else returns the scan, whose `isPlain` says whether it may render in the build's own thread: shallow,
 * and small enough that its worst case stays within half the time budget.
 */
export function checkMarkdownLimits(body: string, limits: MarkdownLimits): MarkdownScan {
  const bytes = Buffer.byteLength(body);
  if (bytes > limits.maxBytes) throw new MarkdownTooComplexError('bytes', bytes, limits.maxBytes, 1, 1);
  const scan = scanMarkdown(body, limits.maxDepth);
  if (scan.depth > limits.maxDepth) throw new MarkdownTooComplexError('depth', scan.depth, limits.maxDepth, scan.line, scan.column, scan.construct);
  return { ...scan, isPlain: scan.isPlain && worstCaseMs(bytes) <= limits.timeBudgetMs / 2 };
}

/** The longest a body of `bytes` UTF-8 bytes of plain markdown may take to render, in milliseconds (an estimate). */
export function worstCaseMs(bytes: number): number {
  return Math.round(bytes * worstMsPerByte);
}
