import fs from 'node:fs/promises';
import path from 'node:path';
import type { ArgsOf, ErrorCode } from '../diagnostics/codes.js';
import { BlogbuildError, exitCodeFor, type Diagnostic } from '../diagnostics/error.js';
import { createReporter } from './output.js';

/**
 * A failure of a command (a file-system error, a refused `new` or `init`), its wording from the catalogue
 * (diagnostics/codes-cli.ts): thrown where it happens, printed by {@link reportFileError}.
 */
export class CommandFileError<C extends ErrorCode = ErrorCode> extends BlogbuildError<C> {
  constructor(code: C, args: ArgsOf<C>, options?: { cause?: unknown }) {
    super(code, args, undefined, options);
    this.name = 'CommandFileError';
  }
}

/** The longest name one path segment may have: most file systems allow 255 bytes; this leaves room for `.md`, `.tmp`… */
export const maxSegmentBytes = 200;

/** Why `shown` (a path as the user should read it) cannot be created or written, from an fs error. */
export function describeFileError(cause: unknown, shown: string): CommandFileError<'PathUnwritable'> {
  const code = (cause as NodeJS.ErrnoException)?.code;
  const fail = (args: ArgsOf<'PathUnwritable'>) => new CommandFileError('PathUnwritable', args, { cause });
  switch (code) {
    case 'ENAMETOOLONG':
      return fail({ path: shown, problem: 'name-too-long', maxBytes: maxSegmentBytes });
    case 'ENOTDIR':
    case 'EEXIST':
      return fail({ path: shown, problem: 'in-the-way' });
    case 'EACCES':
    case 'EPERM':
      return fail({ path: shown, problem: 'permission' });
    case 'EROFS':
      return fail({ path: shown, problem: 'read-only' });
    case 'ENOSPC':
    case 'EDQUOT':
      return fail({ path: shown, problem: 'disk-full' });
    case 'ENOENT':
    case 'ELOOP':
      return fail({ path: shown, problem: 'not-here', errno: code });
    default:
      return fail({ path: shown, problem: 'other', reason: code ?? (cause as Error)?.message ?? String(cause) });
  }
}

/**
 * `mkdir -p` in a bounded number of steps: each missing folder from the deepest existing one down is created once.
 * Node's `mkdir({ recursive: true })` retries forever on procfs (`/proc/x`: mkdir says ENOENT, the parent exists),
 * so a command pointed there would spin at 100% CPU. Throws a {@link CommandFileError} naming `shown`.
 */
export async function makeDirectory(dir: string, shown: string): Promise<void> {
  const missing: string[] = [];
  let current = path.resolve(dir);
  for (;;) {
    const stat = await fs.stat(current).catch((cause: NodeJS.ErrnoException) => {
      if (cause.code === 'ENOENT') return undefined;
      throw describeFileError(cause, shown);
    });
    if (stat) {
      if (!stat.isDirectory()) throw describeFileError(Object.assign(new Error('not a folder'), { code: 'ENOTDIR' }), shown);
      break;
    }
    missing.unshift(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const folder of missing) {
    try {
      await fs.mkdir(folder);
    } catch (cause) {
      // Created by someone else meanwhile: fine when it is a folder.
      if ((cause as NodeJS.ErrnoException).code === 'EEXIST' && (await fs.stat(folder).then((s) => s.isDirectory(), () => false))) continue;
      throw describeFileError(cause, shown);
    }
  }
}

/**
 * Prints a command's error (a {@link CommandFileError}, or any catalogue diagnostic) as every command prints
 * diagnostics (with `debug`, its cause and stack); returns the exit code of its kind: 2 usage, 1 content.
 */
export function reportFileError(failure: BlogbuildError | Diagnostic, debug = false): 1 | 2 {
  const diagnostic = failure instanceof BlogbuildError ? failure.toDiagnostic() : failure;
  createReporter({ cwd: process.cwd(), debug }).diagnostics([diagnostic]);
  return exitCodeFor([diagnostic]) === 2 ? 2 : 1;
}
