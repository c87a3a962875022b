import type { UserConfig } from './schema.js';

/** Identity helper that types a `blogbuild.config.js` default export. */
export function defineConfig(config: UserConfig): UserConfig {
  return config;
}
