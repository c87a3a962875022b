/** 1-based line and column of a character offset in `text`. */
export function offsetToPosition(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Finds the line of a top-level YAML key in a front-matter block and the column where its value starts.
 * `frontMatterStartLine` is the file line of the first YAML line (the line after the opening `---`).
 */
export function findYamlKey(
  yaml: string,
  key: string,
  frontMatterStartLine: number,
): { line: number; column: number; length: number } | undefined {
  const lines = yaml.split('\n');
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^(["']?)${escaped}\\1\\s*:[ \\t]*`);
  for (let i = 0; i < lines.length; i++) {
    const m = re.exec(lines[i]);
    if (m) {
      const value = lines[i].slice(m[0].length).replace(/\s+#.*$/, '').trimEnd();
      return value
        ? { line: frontMatterStartLine + i, column: m[0].length + 1, length: value.length }
        : { line: frontMatterStartLine + i, column: 1, length: key.length };
    }
  }
  return undefined;
}
