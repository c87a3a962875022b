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
  /** `=` for TOML front matter (`key = value`). */
  separator: ':' | '=' = ':',
): { line: number; column: number; length: number } | undefined {
  const lines = yaml.split('\n');
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^(["']?)${escaped}\\1\\s*${separator}[ \\t]*`);
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

/**
 * Where `value` is written under a top-level YAML key: on the key's line (`tags: [a, b]`) or on a later line of its
 * block (`  - b`). Falls back to the key's position when the value is not written as it is (quoted, escaped).
 */
export function findYamlValue(yaml: string, key: string, value: string, frontMatterStartLine: number, separator: ':' | '=' = ':'): { line: number; column: number; length: number } | undefined {
  const keyAt = findYamlKey(yaml, key, frontMatterStartLine, separator);
  if (!keyAt) return undefined;
  const lines = yaml.split('\n');
  for (let i = keyAt.line - frontMatterStartLine; i < lines.length; i++) {
    if (i > keyAt.line - frontMatterStartLine && /^\S/.test(lines[i])) break;
    const column = lines[i].indexOf(value, i === keyAt.line - frontMatterStartLine ? keyAt.column - 1 : 0);
    if (column >= 0) return { line: frontMatterStartLine + i, column: column + 1, length: value.length };
  }
  return keyAt;
}
