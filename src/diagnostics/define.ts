/** One entry of the error catalogue (see codes.ts): its exit-code kind, title, message and hint. */
export interface ErrorData<A extends object = Record<string, never>> {
  /** `usage` exits 2 (flags, config, folders); `content` exits 1 (posts, templates). */
  kind: 'usage' | 'content';
  /** A few words naming the problem. */
  title: string;
  /** What happened and why: no location, no "Error:" prefix. */
  message: string | ((args: A) => string);
  /** What to do next. */
  hint?: string | ((args: A) => string | undefined);
}

/** Types a catalogue entry: the values `A` come from the message's parameter, and the hint receives the same. */
export function define<A extends object = Record<string, never>>(entry: ErrorData<A>): ErrorData<A> {
  return entry;
}
