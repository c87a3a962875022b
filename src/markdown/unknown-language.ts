import { warning, type Diagnostic } from '../diagnostics/error.js';

// Apart from rehype-highlight-code.ts, so that a build whose posts all come from the cache warns again without
// loading the grammars.

/** A fenced code block's language no grammar knows, at its body-relative place (1-based line and column). */
export interface UnknownLanguage {
  language: string;
  line: number;
  column?: number;
}

/** The warning for a code block whose language has no grammar, at its fence's line in the post file. */
export function unknownLanguageWarning(file: string, bodyStartLine: number, found: UnknownLanguage): Diagnostic {
  const loc = { file, line: bodyStartLine + found.line - 1, column: found.column };
  return warning('CodeLanguageUnknown', { language: found.language }, loc);
}
