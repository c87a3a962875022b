/**
 * The error catalogue: every diagnostic blogbuild prints, each code in one place with its wording.
 *
 * Codes are permanent: users search for them, so a code is never renamed or reused. An entry holds
 * - `kind`: `usage` (bad flags, config, folders) exits 2, `content` (posts, templates) exits 1;
 * - `title`: a few words for lists and docs;
 * - `message`: what happened and why, no location and no "Error:" prefix; a string, or a function of typed values;
 * - `hint`: what to do next (optional); a string, or a function of the same values.
 * Call sites pass only the code, the values and the location: `error('DateInvalid', { key: 'date', reason }, loc, cause)`
 * (or `warning(…)`, or `throw new BlogbuildError(…)` with the same arguments); the wording never leaves the catalogue.
 *
 * To add a code: add an entry with `define({ … })` to the group file of its stage (`codes-config.ts` for flags, config
 * and folders; `codes-content.ts` for posts; `codes-output.ts` for markdown, templates, output and `check`), with the
 * message's values as one typed object (a `problem` field picks the wording when one code has several). Then add an
 * invalid-site fixture (test/fixtures/invalid/<case>/) or a test that prints it: test/catalogue.test.ts fails for a
 * code no test triggers, unless it is in that test's allow-list with the reason.
 */
import { configCodes } from './codes-config.js';
import { contentCodes } from './codes-content.js';
import { outputCodes } from './codes-output.js';
import type { ErrorData } from './define.js';

export const codes = { ...configCodes, ...contentCodes, ...outputCodes };

/** A permanent diagnostic code, e.g. `DateInvalid`. */
export type ErrorCode = keyof typeof codes;

/** The values a code's message and hint are made from. */
export type ArgsOf<C extends ErrorCode> = (typeof codes)[C] extends ErrorData<infer A> ? A : never;

/** The message and hint of `code` made from `args`. */
export function describeCode<C extends ErrorCode>(code: C, args: ArgsOf<C>): { message: string; hint?: string } {
  const entry = codes[code] as ErrorData<ArgsOf<C>>;
  const message = typeof entry.message === 'function' ? entry.message(args) : entry.message;
  const hint = typeof entry.hint === 'function' ? entry.hint(args) : entry.hint;
  return hint === undefined ? { message } : { message, hint };
}
