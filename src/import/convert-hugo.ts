import { type BodyText, fenceInPlace, labelledQuote, capitalize, parseArguments } from './body-text.js';
import { convertContainers, oneLine, type BodyContext } from './convert-liquid.js';

const open = (name: string) => `\\{\\{([<%])\\s*${name}\\b([^}]*?)\\s*[>%]\\}\\}`;
const close = (name: string) => `\\{\\{[<%]\\s*/\\s*${name}\\s*[>%]\\}\\}`;
const admonitions = 'notice|alert|admonition|callout|hint|note|tip|warning|info|caution|important|danger';

/**
 * Converts Hugo shortcodes: `highlight` (fenced code), `figure` (an image and its caption), `youtube` and `vimeo`
 * (an embedded player), `ref`/`relref` (the post's new URL), `gist` (a link) and notices/alerts (a labelled
 * blockquote). Every other shortcode is reported with its line.
 */
export function convertHugo(body: BodyText, context: BodyContext): void {
  body.replace(/\{\{([<%])\/\*([\s\S]*?)\*\/([>%])\}\}/g, 'escaped shortcode → text', (m) => body.hold(`{{${m[1]}${m[2]}${m[3]}}}`));
  body.replace(new RegExp(`${open('highlight')}([\\s\\S]*?)${close('highlight')}`, 'g'), '{{< highlight >}} → fenced code', (m) => {
    return body.hold(fenceInPlace(m, parseArguments(m[2]!).positional[0] ?? '', m[3]!));
  });
  body.replace(new RegExp(`${open(`(?:${admonitions})`)}([\\s\\S]*?)\\{\\{[<%]\\s*/\\s*(?:${admonitions})\\s*[>%]\\}\\}`, 'g'), 'notice → blockquote', (m) => {
    const args = parseArguments(m[2]!);
    const name = /\{\{[<%]\s*(\w+)/.exec(m[0])![1]!;
    const label = args.named.title ?? args.named.type ?? args.positional[0] ?? (name === 'notice' || name === 'alert' ? 'note' : name);
    return labelledQuote(capitalize(label), m[3]!);
  });
  body.replace(new RegExp(open('figure'), 'g'), '{{< figure >}} → image', (m) => {
    const { named } = parseArguments(m[2]!);
    if (!named.src) return undefined;
    const title = named.title ? ` "${named.title.replace(/"/g, '\\"')}"` : '';
    const caption = named.caption ?? named.title;
    return `![${named.alt ?? caption ?? ''}](${named.src}${title})${caption ? `\n\n*${caption}*` : ''}`;
  }, () => 'figure without src');
  body.replace(new RegExp(open('youtube'), 'g'), '{{< youtube >}} → embedded player', (m) => {
    const { positional, named } = parseArguments(m[2]!);
    const id = named.id ?? positional[0];
    return id ? player(`https://www.youtube-nocookie.com/embed/${id}`, named.title ?? 'YouTube video') : undefined;
  }, () => 'youtube without a video id');
  body.replace(new RegExp(open('vimeo'), 'g'), '{{< vimeo >}} → embedded player', (m) => {
    const { positional, named } = parseArguments(m[2]!);
    const id = named.id ?? positional[0];
    return id ? player(`https://player.vimeo.com/video/${id}`, named.title ?? 'Vimeo video') : undefined;
  }, () => 'vimeo without a video id');
  body.replace(new RegExp(open('(?:ref|relref)'), 'g'), '{{< ref >}} → post URL', (m) => {
    const target = parseArguments(m[2]!).positional[0] ?? '';
    return context.resolvePost(target);
  }, (m) => `${oneLine(m[0])}: no such post in the site`);
  body.replace(new RegExp(open('gist'), 'g'), '{{< gist >}} → link', (m) => {
    const [user, id, file] = parseArguments(m[2]!).positional;
    if (!user || !id) return undefined;
    return `[Gist ${user}/${id}${file ? ` (${file})` : ''}](https://gist.github.com/${user}/${id}${file ? `#file-${file.replace(/\./g, '-')}` : ''})`;
  }, () => 'gist without user and id');
  convertContainers(body);
  body.report(/\{\{[<%][\s\S]*?[>%]\}\}/g, 'shortcode', (m) => `${oneLine(m[0])} has no markdown form; left as text`);
}

function player(src: string, title: string): string {
  return `<iframe src="${src}" title="${title.replace(/"/g, '&quot;')}" width="560" height="315" loading="lazy" allowfullscreen></iframe>`;
}
