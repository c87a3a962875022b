import { SaxesParser } from 'saxes';

/**
 * Why an XML document is not well-formed (`line:column: what`), or undefined when it is. saxes is a strict XML 1.0
 * parser: it rejects characters XML forbids, unknown entities and broken nesting, as feed readers do.
 */
export function xmlProblem(text: string): { line: number; column: number; message: string } | undefined {
  const parser = new SaxesParser({ xmlns: false, position: true });
  let problem: { line: number; column: number; message: string } | undefined;
  parser.on('error', (cause) => {
    // saxes prefixes its messages with the position, which the diagnostic carries on its own.
    problem ??= { line: parser.line, column: parser.column, message: cause.message.replace(/^\d+:\d+: /, '') };
  });
  try {
    parser.write(text).close();
  } catch (cause) {
    problem ??= { line: parser.line, column: parser.column, message: (cause as Error).message.replace(/^\d+:\d+: /, '') };
  }
  return problem;
}
