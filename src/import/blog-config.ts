import { configSchema } from '../config/schema.js';
import type { ImportReport, SiteSettings } from './model.js';

/** The blog's `blogbuild.config.json`: the settings the source config gave that blogbuild's config accepts. */
export function blogConfig(settings: SiteSettings, report: ImportReport): Record<string, string> {
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(settings)) {
    if (value === undefined || value === '') continue;
    // Each value alone is checked against the schema, so a time zone or language blogbuild rejects is dropped.
    const checked = configSchema.safeParse({ [key]: value });
    if (checked.success) config[key] = value;
    else report.unconverted.push({ kind: 'config', file: '(site config)', detail: `${key} ${JSON.stringify(value)} is not valid for blogbuild; left out` });
  }
  return config;
}
