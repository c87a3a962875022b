import { codes, type ErrorCode } from './codes.js';

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

/** The one error type stages throw; carries a diagnostic. */
export class BlogbuildError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly loc?: Location,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BlogbuildError';
  }

  /** This error as a diagnostic of severity `error`. */
  toDiagnostic(): Diagnostic {
    return { severity: 'error', code: this.code, message: this.message, loc: this.loc, hint: this.hint, cause: this.cause };
  }
}

/** Shorthand for an error diagnostic. */
export function error(code: ErrorCode, message: string, loc?: Location, hint?: string, cause?: unknown): Diagnostic {
  return { severity: 'error', code, message, loc, hint, cause };
}

/** Shorthand for a warning diagnostic. */
export function warning(code: ErrorCode, message: string, loc?: Location, hint?: string): Diagnostic {
  return { severity: 'warning', code, message, loc, hint };
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
