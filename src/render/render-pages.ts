import type { ResolvedConfig } from '../config/schema.js';
import { error, type Diagnostic } from '../diagnostics/error.js';
import type { Site } from '../site/model.js';
import { paginate } from '../site/paginate.js';
import { outputPath, postPath, tagPath } from '../site/urls.js';
import { createViews } from './context.js';
import type { CompiledTemplate, PageTemplateName, Theme } from './templates.js';

/** A file to write: text or bytes rendered here, or a file copied from `source`. */
export type OutputFile = { path: string; contents: string | Uint8Array; source?: undefined } | { path: string; source: string; contents?: undefined };

/** Renders every HTML page of the site through the theme. Feed, sitemap and copies are added by the build. */
export function renderPages(site: Site, config: ResolvedConfig, theme: Theme, generator: string): { files: OutputFile[]; diagnostics: Diagnostic[] } {
  const views = createViews(site, config, generator);
  const files: OutputFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const failed = new Set<string>();

  const render = (template: PageTemplateName, sitePath: string, context: Record<string, unknown>) => {
    if (failed.has(template)) return;
    const page = theme.pages[template];
    try {
      const body = page.render(context, { allowProtoPropertiesByDefault: false });
      const html = theme.pages.layout.render({ ...context, body }, { allowProtoPropertiesByDefault: false });
      files.push({ path: sitePath === '404.html' ? sitePath : outputPath(sitePath), contents: html });
    } catch (cause) {
      failed.add(template);
      diagnostics.push(renderError(cause, [page, theme.pages.layout, ...theme.partials.values()]));
    }
  };

  site.posts.forEach((post, i) => {
    const newer = site.posts[i - 1];
    const older = site.posts[i + 1];
    const view = views.post(post, true);
    render('post', postPath(post.slug), {
      ...views.common('post', post.title, view.description, postPath(post.slug)),
      post: view,
      newer: newer ? { title: newer.title, url: views.post(newer, false).url } : null,
      older: older ? { title: older.title, url: views.post(older, false).url } : null,
    });
  });

  const summaries = new Map(site.posts.map((post) => [post, views.post(post, false)]));
  for (const page of paginate(site.posts, config.postsPerPage, '')) {
    const title = page.page === 1 ? config.title : `Page ${page.page}`;
    render('list', page.path, {
      ...views.common('home', title, config.description, page.path),
      posts: page.items.map((post) => summaries.get(post)),
      pagination: views.pagination(page),
      tag: null,
    });
  }

  render('tags', 'tags/', {
    ...views.common('tags', 'Tags', `All tags of ${config.title}`, 'tags/'),
    tags: site.tags.map((tag) => views.tagView(tag)),
  });

  for (const tag of site.tags) {
    for (const page of paginate(tag.posts, config.postsPerPage, tagPath(tag.slug))) {
      const title = page.page === 1 ? `Posts tagged “${tag.name}”` : `Posts tagged “${tag.name}”, page ${page.page}`;
      render('list', page.path, {
        ...views.common('tag', title, `Posts tagged “${tag.name}” on ${config.title}`, page.path),
        posts: page.items.map((post) => summaries.get(post)),
        pagination: views.pagination(page),
        tag: views.tagView(tag),
      });
    }
  }

  render('404', '404.html', views.common('404', 'Page not found', '', '404.html'));
  return { files, diagnostics };
}

/** A Handlebars runtime error, located in the template that mentions the missing helper or partial. */
function renderError(cause: unknown, templates: CompiledTemplate[]): Diagnostic {
  const message = String((cause as Error).message ?? cause);
  const name = /Missing helper: "([^"]+)"/.exec(message)?.[1] ?? /The partial (\S+) could not be found/.exec(message)?.[1];
  for (const template of templates) {
    const needle = name && (message.startsWith('The partial') ? new RegExp(`{{#?>\\s*${escape(name)}\\b`) : new RegExp(`{{[#~]?\\s*${escape(name)}\\b`));
    const index = needle ? template.source.search(needle) : -1;
    if (index >= 0) {
      const before = template.source.slice(0, index);
      const line = before.split('\n').length;
      return error('TemplateRender', `template failed: ${message}`, { file: template.file, line, column: index - before.lastIndexOf('\n'), length: name!.length + 2 },
        message.startsWith('The partial') ? `create partials/${name}.hbs or fix the partial's name` : 'built-in helpers are url, absUrl, formatDate, eq, json; check the spelling');
    }
  }
  return error('TemplateRender', `template failed: ${message}`, { file: templates[0].file }, undefined, cause);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
