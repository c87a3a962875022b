import type { Nodes, Root } from 'mdast';
import type { Processor } from 'unified';

type Transform = (tree: Root) => Root | undefined | void;
type Extension = { transforms?: Transform[]; [key: string]: unknown };
type Extensions = (Extension | Extensions)[];

/** A text that one of GFM's literal-autolink patterns (URL, www., email, mailto:, xmpp:) could match. */
const couldAutolink = /https?:\/\/|www\.|@/i;

/**
 * Skips remark-gfm's literal-autolink transform for documents whose text cannot contain a literal autolink.
 *
 * mdast-util-gfm-autolink-literal's transform runs four find-and-replace passes over the whole tree (one per
 * pattern: URL, xmpp:, mailto:, email), about a sixth of the cost of parsing a post. Each pattern needs
 * `http://`, `https://` or `www.` (any case) or an `@` in a text node, so when no text node has one, the
 * transform would change nothing and is not run; otherwise it runs as before. Must come after remark-gfm.
 */
export function remarkAutolinkLiteralGuard(this: Processor) {
  const extensions = this.data('fromMarkdownExtensions') as Extensions | undefined;
  if (extensions) guard(extensions);
}

function guard(extensions: Extensions): void {
  extensions.forEach((extension, index) => {
    if (Array.isArray(extension)) return guard(extension);
    const transforms = extension.transforms;
    if (!transforms?.some((t) => t.name === 'transformGfmAutolinkLiterals')) return;
    extensions[index] = {
      ...extension,
      transforms: transforms.map((transform) =>
        transform.name === 'transformGfmAutolinkLiterals' ? (tree: Root) => (hasCandidateText(tree) ? transform(tree) : undefined) : transform,
      ),
    };
  });
}

function hasCandidateText(node: Nodes): boolean {
  if (node.type === 'text') return couldAutolink.test(node.value);
  if ('children' in node) {
    for (const child of node.children) if (hasCandidateText(child)) return true;
  }
  return false;
}
