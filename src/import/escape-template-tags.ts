/**
 * Template tags the import could not convert (`{% tweet … %}`, `{{< gist … >}}`, the text of a `{% raw %}` block,
 * Hugo's escaped shortcodes) stay in the post as written, and the report lists them; written as
 * `\{% … %}` they show as they are and the build does not warn about them a second time. Code is left alone.
 */
export function escapeTemplateTags(markdown: string): string {
  let fence: string | undefined;
  return markdown
    .split('\n')
    .map((line) => {
      const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
      if (marker && (!fence || (marker[0] === fence[0] && marker.length >= fence.length))) {
        fence = fence ? undefined : marker;
        return line;
      }
      if (fence || /^( {4}|\t)/.test(line)) return line;
      // Outside code spans only: the parts between them are the even pieces of the split.
      return line
        .split(/(`+[^`]*?`+)/)
        .map((part, i) => (i % 2 === 1 ? part : part.replace(/(?<!\\)\{(?=%|\{<|\{%)/g, '\\{')))
        .join('');
    })
    .join('\n');
}
