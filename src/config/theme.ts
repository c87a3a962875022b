import fs from 'node:fs';
import path from 'node:path';
import { error, type Diagnostic, type Location } from '../diagnostics/error.js';
import { findPackageDir, isBareSpecifier } from './packages.js';

/**
 * The folder a config's `theme` names: a folder relative to the blog (`themes/paper`), or else an installed npm
 * package (`blogbuild-theme-paper`, found in the blog's `node_modules` as Node would find it). A theme folder holds
 * `templates/` (page templates, `partials/`, `assets/`) and may hold `public/`, copied to the site root.
 */
export function resolveTheme(theme: string | undefined, root: string, configFile: string | undefined, locate: (keyPath: string[]) => Location | undefined): { dir?: string; diagnostics: Diagnostic[] } {
  if (theme === undefined) return { diagnostics: [] };
  const folder = path.resolve(root, theme);
  if (isDirectory(folder)) return { dir: folder, diagnostics: [] };
  const installed = isBareSpecifier(theme) ? findPackageDir(theme, root) : undefined;
  if (installed) return { dir: installed, diagnostics: [] };
  return {
    diagnostics: [
      error('ConfigInvalid', { problem: 'theme-missing', theme, isPackageName: isBareSpecifier(theme) }, locate(['theme']) ?? (configFile ? { file: configFile } : undefined)),
    ],
  };
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    // Missing or unreadable: not a folder, so the theme is looked up as a package next.
    return false;
  }
}
