import type { ConfigOverrides, loadConfig } from '../config/load.js';

/**
 * The config as a build loads it, from a command before it builds or serves: with the validated configs a build left
 * in the cache folder (unless `cache` is false), so an unchanged config is not validated again (zod, ~25 ms to load,
 * is not even loaded). The modules load here, on first use.
 */
export async function loadConfigAsBuilt(cwd: string, overrides: ConfigOverrides, cache = true): ReturnType<typeof loadConfig> {
  const [{ loadConfig: load }, { diskStore }, { storedConfigs }, { resolveCacheDir }, { codeSalt }] = await Promise.all([
    import('../config/load.js'),
    import('../incremental/disk-store.js'),
    import('../incremental/stored.js'),
    import('../cache/markdown-cache.js'),
    import('../cache/code-salt.js'),
  ]);
  const cacheDir = resolveCacheDir(cwd);
  return load(cwd, overrides, cache ? storedConfigs(diskStore(cacheDir, codeSalt(cacheDir))) : undefined);
}
