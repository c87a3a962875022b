import { mkdtempSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type BuildResult } from '../../src/build.js';
import { memoryWriter, type MemoryWriter } from '../../src/output/writer.js';

/** The fixed build time of every fixture build, so scheduled posts and output never depend on the clock. */
export const FIXED_NOW = new Date('2026-01-01T00:00:00Z');

/** Root of the fixture sites. */
export const sitesDir = fileURLToPath(new URL('../fixtures/sites/', import.meta.url));

/** Absolute folder of a fixture site by name. */
export function fixturePath(name: string): string {
  return path.join(sitesDir, name);
}

const testCacheDir = mkdtempSync(path.join(os.tmpdir(), 'blogbuild-test-cache-'));

/** A build result with the in-memory output. */
export interface FixtureBuild extends BuildResult {
  writer: MemoryWriter;
  /** Output file as text; throws when it does not exist, so a missing page fails loudly. */
  read(filePath: string): string;
  /** Whether the output has this file. */
  has(filePath: string): boolean;
}

/** Builds a fixture site (a name under test/fixtures/sites/ or an absolute folder) in memory at FIXED_NOW. */
export async function buildFixture(nameOrDir: string, options: Omit<BuildOptions, 'root' | 'writer'> = {}): Promise<FixtureBuild> {
  const writer = memoryWriter();
  const root = path.isAbsolute(nameOrDir) ? nameOrDir : fixturePath(nameOrDir);
  // The markdown cache goes to a temp folder, never into the fixture (options may still turn it off).
  const result = await build({ now: FIXED_NOW, cacheDir: testCacheDir, ...options, root, writer });
  return {
    ...result,
    writer,
    has: (filePath) => writer.files.has(filePath),
    read: (filePath) => {
      const text = writer.read(filePath);
      if (text === undefined) throw new Error(`output has no ${filePath}; it has: ${[...writer.files.keys()].sort().join(', ')}`);
      return text;
    },
  };
}

/** Every file under `dir` (relative, `/`-separated), sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const visit = async (sub: string) => {
    for (const entry of await fs.readdir(path.join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await visit(rel);
      else out.push(rel);
    }
  };
  await visit('');
  return out.sort();
}

/** Copies a fixture to a fresh temp folder and returns it; `order` decides the order files are created in. */
export async function copyFixture(name: string, target: string, order: 'forward' | 'reverse' = 'forward'): Promise<string> {
  const source = fixturePath(name);
  const files = await listFiles(source);
  if (order === 'reverse') files.reverse();
  for (const rel of files) {
    await fs.mkdir(path.dirname(path.join(target, rel)), { recursive: true });
    await fs.copyFile(path.join(source, rel), path.join(target, rel));
  }
  return target;
}

/**
 * Waits out the caches' racy window (isRacy in src/cache/post-cache.ts): a source changed within a tick of a build's
 * start is not trusted by its stat, and setting a file's times back (to make it look saved long ago) changes its
 * ctime to now, which nothing can set back.
 */
export function pastRacyWindow(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 120));
}

/** A clean full build of a blog's current files in memory: no build state, no persistent cache. */
export async function cleanMemoryBuild(root: string, now?: Date, overrides: Pick<BuildOptions, 'drafts' | 'future'> = {}): Promise<Map<string, Uint8Array>> {
  const writer = memoryWriter();
  const result = await build({ ...overrides, root, writer, cache: false, now });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`clean build of ${root} failed: ${errors.map((d) => d.message).join('; ')}`);
  return writer.files;
}

/** Output paths that differ between a build under test and a clean build; empty when identical. */
export function outputDifferences(actual: ReadonlyMap<string, Uint8Array>, clean: ReadonlyMap<string, Uint8Array>): string[] {
  const out: string[] = [];
  for (const [key, bytes] of actual) {
    const other = clean.get(key);
    if (!other) out.push(`only in the build under test: ${key}`);
    else if (!Buffer.from(bytes).equals(Buffer.from(other))) out.push(`differs: ${key}`);
  }
  for (const key of clean.keys()) if (!actual.has(key)) out.push(`only in the clean build: ${key}`);
  return out.sort();
}
