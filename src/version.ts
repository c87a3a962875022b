import { readFileSync } from 'node:fs';

/**
 * blogbuild's version, from its package.json: the nearest one named blogbuild above this module, which may run
 * from src/, lib/ or the bundle in lib/bundle/ (scripts/bundle.js), so its depth below the package root varies.
 */
export const version: string = readVersion();

function readVersion(): string {
  for (let dir = new URL('./', import.meta.url); ; dir = new URL('../', dir)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name?: string; version: string };
      if (pkg.name === 'blogbuild') return pkg.version;
    } catch {
      // No package.json here; look one folder up.
    }
    if (new URL('../', dir).href === dir.href) throw new Error(`blogbuild: cannot find its package.json above ${import.meta.url}`);
  }
}
