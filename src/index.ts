export { build, type BuildOptions, type BuildResult, type BuildStats } from './build.js';
export { loadConfig, type ConfigOverrides } from './config/load.js';
export { defineConfig } from './config/define.js';
export type { UserConfig, ResolvedConfig } from './config/schema.js';
export { BlogbuildError, exitCodeFor, type Diagnostic, type Location } from './diagnostics/error.js';
export type { ErrorCode } from './diagnostics/codes.js';
export { formatDiagnostic } from './diagnostics/format.js';
export { memoryWriter, fsWriter, type Writer, type MemoryWriter } from './output/writer.js';
export type { Site, Post, RenderedPost, Tag } from './site/model.js';
export type {
  BaseContext, DateView, LayoutContext, ListContext, NotFoundContext, PageView, PaginationView, PostContext, PostView, SiteView, TagsContext,
  TagView, TemplateContext,
} from './render/template-context.js';
export { version } from './version.js';
export { serve, type ServeOptions, type ServeHandle } from './dev/serve.js';
export { checkOutput, type CheckOutputOptions, type CheckReport } from './check/check-output.js';
