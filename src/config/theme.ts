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
      error('ConfigInvalid', `\`theme\` names ${theme}, which is neither a folder of the blog nor an installed package`,
        locate(['theme']) ?? (configFile ? { file: configFile } : undefined),
        isBareSpecifier(theme) ? `install it (npm install ${theme}) or give the path of a folder holding templates/, e.g. "./themes/${theme}"` : 'check the path; it is relative to the blog\'s folder'),
    ],
  };
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
