import fs from 'node:fs';
import { escapeControl, formatDiagnostic } from '../diagnostics/format.js';
import type { Diagnostic } from '../diagnostics/error.js';
import { createProgress, noProgress, type Progress } from './progress.js';

/** How the CLI talks: colour, progress and verbosity decided once from the environment and flags. */
export interface Reporter {
  isQuiet: boolean;
  /** Prints diagnostics to stderr; warnings are hidden with --quiet. */
  diagnostics(list: readonly Diagnostic[]): void;
  /** Prints an informational line to stdout unless --quiet; control characters (from file names) are escaped. */
  info(line: string): void;
  /** Returns a progress line (no-op when not on a terminal, in CI or quiet). */
  progress(label: string): Progress;
}

/** A source file's text for code frames, or undefined when it cannot be read. */
export function readSource(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    // No code frame for a file that vanished or cannot be read; the message and location are still printed.
    return undefined;
  }
}

/** Creates the reporter for this process. */
export function createReporter(options: { quiet?: boolean; debug?: boolean; cwd: string; /** Where info lines go (stderr when stdout carries a report). @default process.stdout */ infoStream?: NodeJS.WritableStream }): Reporter {
  const env = process.env;
  const isTty = Boolean(process.stderr.isTTY);
  // NO_COLOR counts only when non-empty (no-color.org); FORCE_COLOR=0 turns colour off.
  const color = env.FORCE_COLOR ? env.FORCE_COLOR !== '0' : isTty && !env.NO_COLOR && env.TERM !== 'dumb';
  const showProgress = isTty && !env.CI && !options.quiet && env.TERM !== 'dumb';
  return {
    isQuiet: Boolean(options.quiet),
    diagnostics(list) {
      for (const d of list) {
        if (options.quiet && d.severity !== 'error') continue;
        process.stderr.write(`${formatDiagnostic(d, { cwd: options.cwd, readSource, color, debug: options.debug })}\n\n`);
      }
    },
    info(line) {
      if (!options.quiet) (options.infoStream ?? process.stdout).write(`${escapeControl(line)}\n`);
    },
    progress(label) {
      return showProgress ? createProgress({ label, stream: process.stderr }) : noProgress();
    },
  };
}
