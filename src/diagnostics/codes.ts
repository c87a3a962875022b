/**
 * The error catalog. Codes are permanent: users search for them, so a code is never renamed or reused.
 * `kind` decides the exit code: `usage` (bad flags, config, folders) exits 2, `content` (posts, templates) exits 1.
 */
export const codes = {
  ConfigNotFound: { kind: 'usage', title: 'Config file not found' },
  ConfigInvalid: { kind: 'usage', title: 'Config file is invalid' },
  ConfigUnknownKey: { kind: 'usage', title: 'Unknown config key' },
  PostsFolderMissing: { kind: 'usage', title: 'Posts folder not found' },
  TemplatesFolderMissing: { kind: 'usage', title: 'Templates folder not found' },
  UsageInvalid: { kind: 'usage', title: 'Invalid command-line usage' },
  FrontMatterSyntax: { kind: 'content', title: 'Front matter is not valid YAML' },
  FrontMatterInvalid: { kind: 'content', title: 'Front matter value is invalid' },
  FrontMatterTooLarge: { kind: 'content', title: 'Front matter expands beyond the size limits' },
  TitleMissing: { kind: 'content', title: 'Post has no title' },
  DateMissing: { kind: 'content', title: 'Post has no date' },
  DateInvalid: { kind: 'content', title: 'Date cannot be parsed' },
  TagsInvalid: { kind: 'content', title: 'Tags are not a list' },
  SlugUnsafe: { kind: 'content', title: 'Slug or tag would write outside the output folder' },
  DuplicateSlug: { kind: 'content', title: 'Two posts have the same slug' },
  DuplicateOutputPath: { kind: 'content', title: 'Two files would be written to the same path' },
  TemplateSyntax: { kind: 'content', title: 'Template cannot be compiled' },
  TemplateRender: { kind: 'content', title: 'Template failed while rendering' },
  TemplateNotFound: { kind: 'content', title: 'Template not found' },
  MarkdownFailed: { kind: 'content', title: 'Markdown could not be rendered' },
  RawHtmlFiltered: { kind: 'content', title: 'Raw HTML tag shown as text by the tag filter' },
  FileUnreadable: { kind: 'content', title: 'File cannot be read' },
  CharacterInvalid: { kind: 'content', title: 'Text holds a character a web page cannot hold' },
  SymlinkSkipped: { kind: 'content', title: 'Symbolic link not followed' },
  PostSkipped: { kind: 'content', title: 'File in the posts folder is not read as a post' },
  ForeignTemplateSyntax: { kind: 'content', title: "Another generator's template tag in a post" },
  OutputFailed: { kind: 'usage', title: 'Output folder cannot be written' },
  OutputFolderForeign: { kind: 'usage', title: 'Output folder holds files blogbuild did not write' },
  FoldersOverlap: { kind: 'usage', title: 'Output, source and public folders overlap' },
  CacheUnwritable: { kind: 'usage', title: 'Build cache cannot be written' },
  FeedWithoutUrl: { kind: 'content', title: 'Feed and sitemap have no absolute URLs' },
  LinkBroken: { kind: 'content', title: 'Internal link points to no page' },
  AnchorMissing: { kind: 'content', title: 'Link points to an #anchor that is not on the page' },
  ImageMissing: { kind: 'content', title: 'Local image does not exist' },
  XmlInvalid: { kind: 'content', title: 'Feed or sitemap is not well-formed XML' },
} as const satisfies Record<string, { kind: 'usage' | 'content'; title: string }>;

/** A permanent diagnostic code, e.g. `DateInvalid`. */
export type ErrorCode = keyof typeof codes;
