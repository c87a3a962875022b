/** A `{{> name}}` in a Handlebars template (its AST from `Handlebars.parse`), at its 1-based line and column. */
export interface PartialReference {
  name: string;
  line: number;
  column: number;
  /** Characters from `{{` to `}}` when on one line, else 1. */
  length: number;
}

type Node = { type?: string; [key: string]: unknown };

/**
 * The partials a template's AST includes by a name written out (`{{> footer}}`), so that a missing one is reported when
 * the theme loads, at its place, instead of failing the first page that renders it. Left out: partial blocks
 * (`{{#> name}}fallback{{/name}}` render their fallback), names computed at render time (`{{> (lookup …)}}`) and
 * inline partials the template defines itself (`{{#*inline "name"}}`).
 */
export function partialReferences(ast: object): PartialReference[] {
  const found: PartialReference[] = [];
  const inline = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (typeof value !== 'object' || value === null) return;
    const node = value as Node;
    if (node.type === 'PartialStatement') {
      const name = node.name as Node & { original?: unknown };
      const loc = node.loc as { start: { line: number; column: number }; end: { line: number; column: number } } | undefined;
      if (name.type === 'PathExpression' && typeof name.original === 'string' && loc) {
        const length = loc.end.line === loc.start.line ? loc.end.column - loc.start.column : 1;
        found.push({ name: name.original, line: loc.start.line, column: loc.start.column + 1, length });
      }
      return;
    }
    if (node.type === 'DecoratorBlock' && (node.path as { original?: unknown }).original === 'inline') {
      const param = (node.params as Node[])[0] as { value?: unknown } | undefined;
      if (typeof param?.value === 'string') inline.add(param.value);
    }
    for (const [key, child] of Object.entries(node)) if (key !== 'loc') visit(child);
  };
  visit(ast);
  return found.filter((reference) => !inline.has(reference.name));
}
