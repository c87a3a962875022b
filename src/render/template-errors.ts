import { error, type Diagnostic } from '../diagnostics/error.js';

/** A Handlebars compile error as a diagnostic; `partial` names a partial written in the config (located at the config file alone). */
export function templateSyntaxError(file: string, source: string, cause: unknown, partial?: string): Diagnostic {
  // The hint is the same as a file's; the message and place are the config partial's.
  if (partial !== undefined) return { ...templateSyntaxError(file, source, cause), ...configPartialError(file, cause, partial) };
  const e = cause as { message?: string; lineNumber?: number; column?: number };
  const message = String(e.message ?? cause);
  const parseLine = /Parse error on line (\d+)/.exec(message);
  const line = e.lineNumber ?? (parseLine ? Number(parseLine[1]) : undefined);
  const expecting = /got '([^']+)'/.exec(message);
  const problem = parseLine ? { problem: 'parse' as const, unexpected: expecting?.[1] } : { problem: 'other' as const, reason: message.replace(/ - \d+:\d+$/, '') };
  const mismatch = /^(\S+) doesn't match (\S+)/.exec(message);
  if (mismatch && line) {
    // Handlebars points at the opening tag; the mistake is usually the closing one, so point there.
    const [, open, close] = mismatch;
    const closing = findAfter(source, line, `{{/${close}`);
    return error('TemplateSyntax', { problem: 'mismatch', open, close }, closing ?? { file, line, column: e.column !== undefined ? e.column + 1 : undefined }, cause);
  }
  const column = e.column !== undefined ? e.column + 1 : line ? findMustache(source, line) : undefined;
  return error('TemplateSyntax', problem, { file, line, column }, cause);

  function findAfter(text: string, fromLine: number, needle: string) {
    const lines = text.split('\n');
    for (let i = fromLine - 1; i < lines.length; i++) {
      const at = lines[i].indexOf(needle);
      if (at >= 0) return { file, line: i + 1, column: at + 1, length: needle.length + 2 };
    }
    return undefined;
  }
}

/** The message of a config partial's syntax error, at the config file: the partial's own lines are not the file's. */
function configPartialError(file: string, cause: unknown, partial: string): Pick<Diagnostic, 'message' | 'loc'> {
  const message = String((cause as Error)?.message ?? cause);
  const mismatch = /^(\S+) doesn't match (\S+)/.exec(message);
  const expecting = /got '([^']+)'/.exec(message);
  const args = mismatch ? { problem: 'mismatch' as const, open: mismatch[1], close: mismatch[2], partial }
    : /Parse error on line/.test(message) ? { problem: 'parse' as const, unexpected: expecting?.[1], partial }
      : { problem: 'other' as const, reason: message.replace(/ - \d+:\d+$/, ''), partial };
  return { message: error('TemplateSyntax', args).message, loc: { file } };
}

function findMustache(source: string, line: number): number | undefined {
  const text = source.split('\n')[line - 1];
  const at = text?.lastIndexOf('{{');
  return at !== undefined && at >= 0 ? at + 1 : undefined;
}
