import type { DevFiles } from '../../src/dev/session.js';

/**
 * Every file a dev server serves, by output path: a finished build's files as they are, or every page of a site
 * served on demand made now (a page that fails to render is left out, as a build would fail instead of writing it).
 */
export async function servedFiles(files: DevFiles): Promise<ReadonlyMap<string, Uint8Array>> {
  if (!('made' in files)) return files;
  const served = new Map<string, Uint8Array>();
  for (const file of files.files()) {
    const bytes = await files.get(file).catch(() => undefined);
    if (bytes) served.set(file, bytes);
  }
  return served;
}
