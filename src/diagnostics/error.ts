import { codes, describeCode, type ArgsOf, type ErrorCode } from './codes.js';

/** Where a diagnostic points: a file and, when known, a 1-based line and column. */
export interface Location {
  /** Absolute path of the file. */
  file: string;
  /** 1-based line. */
  line?: number;
  /** 1-based column. */
  column?: number;
  /** How many characters to underline in the code frame. @default 1 */
  length?: number;
}

/** One problem found by a build: what happened, where, and what to do next. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  code: ErrorCode;
  /** What happened and why; no location, no "Error:" prefix. */
  message: string;
  loc?: Location;
  /** What to do next. */
  hint?: string;
  /** The original error, printed only with --debug. */
  cause?: unknown;
}

/**
 * The one error type stages throw; carries a diagnostic. Its message and hint come from the catalogue (codes.ts):
 * `throw new BlogbuildError('UsageInvalid', { problem: 'import-into-source' }, { file }, { cause })`.
 */
export class BlogbuildError<C extends ErrorCode = ErrorCode> extends Error {
  readonly hint?: string;

  constructor(
    readonly code: C,
    args: ArgsOf<C>,
    readonly loc?: Location,
    options?: { cause?: unknown },
  ) {
    const { message, hint } = describeCode(code, args);
    super(message, options);
    this.name = 'BlogbuildError';
    this.hint = hint;
  }

  /** This error as a diagnostic of severity `error`. */
  toDiagnostic(): Diagnostic {
    return { severity: 'error', code: this.code, message: this.message, loc: this.loc, hint: this.hint, cause: this.cause };
  }
}

/** An error diagnostic: the code's message and hint (from codes.ts) made from `args`, at `loc`, keeping the original error. */
export function error<C extends ErrorCode>(code: C, args: ArgsOf<C>, loc?: Location, cause?: unknown): Diagnostic {
  return { severity: 'error', code, ...describeCode(code, args), loc, cause };
}

/** A warning diagnostic; see {@link error}. */
export function warning<C extends ErrorCode>(code: C, args: ArgsOf<C>, loc?: Location, cause?: unknown): Diagnostic {
  return { severity: 'warning', code, ...describeCode(code, args), loc, cause };
}

/** The exit code a list of diagnostics calls for: 2 for usage/config errors, 1 for content errors, else 0. */
export function exitCodeFor(diagnostics: readonly Diagnostic[], isStrict = false): 0 | 1 | 2 {
  const failing = diagnostics.filter((d) => d.severity === 'error' || isStrict);
  if (failing.some((d) => codes[d.code].kind === 'usage')) return 2;
  return failing.length > 0 ? 1 : 0;
}

/** Whether any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
