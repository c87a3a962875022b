import fs from 'node:fs/promises';
import path from 'node:path';
import { escapeControl, formatCause } from '../diagnostics/format.js';

/** A file-system failure of a command, worded for the user: what happened and what to do. Exit 2. */
export class CommandFileError extends Error {
  constructor(message: string, readonly hint: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CommandFileError';
  }
}

/** The longest name one path segment may have: most file systems allow 255 bytes; this leaves room for `.md`, `.tmp`… */
export const maxSegmentBytes = 200;

/** Why `shown` (a path as the user should read it) cannot be created or written, from an fs error. */
export function describeFileError(cause: unknown, shown: string): CommandFileError {
  const code = (cause as NodeJS.ErrnoException)?.code;
  const options = { cause };
  switch (code) {
    case 'ENAMETOOLONG':
      return new CommandFileError(`${shown}: the name is too long for the file system`, `use a shorter name (at most ${maxSegmentBytes} bytes a folder or file name)`, options);
    case 'ENOTDIR':
    case 'EEXIST':
      return new CommandFileError(`${shown}: a file is in the way where a folder is needed`, 'move or rename that file, or choose another folder', options);
    case 'EACCES':
    case 'EPERM':
      return new CommandFileError(`${shown}: permission denied`, 'choose a folder you can write to, or change its permissions', options);
    case 'EROFS':
      return new CommandFileError(`${shown}: the file system is read-only`, 'choose a folder on a writable disk', options);
    case 'ENOSPC':
    case 'EDQUOT':
      return new CommandFileError(`${shown}: the disk is full`, 'free some space and run the command again', options);
    case 'ENOENT':
    case 'ELOOP':
      return new CommandFileError(`${shown}: cannot be created here (${code})`, 'choose a folder on an ordinary disk, such as one in your home folder', options);
    default:
      return new CommandFileError(`${shown}: cannot be written (${code ?? (cause as Error)?.message ?? String(cause)})`, 'check the path and its permissions', options);
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

/** Prints a {@link CommandFileError} as the commands print usage errors (with `debug`, its cause and stack); returns exit code 2. */
export function reportFileError(failure: CommandFileError, debug = false): 2 {
  const cause = debug && failure.cause !== undefined ? `${formatCause(failure.cause)}\n` : '';
  process.stderr.write(`error: ${escapeControl(failure.message)}\n  hint: ${escapeControl(failure.hint)}\n${cause}`);
  return 2;
}
