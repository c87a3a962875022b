import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SiteSummary } from '../build-types.js';
import type { Diagnostic } from '../diagnostics/error.js';
import type { FileTree } from '../incremental/file-tree.js';
import { packFile, readPackedFile, writeFileAtomic } from '../incremental/packed-file.js';
import type { BuiltFile } from '../render/route-list.js';

// The last successful build of an output folder, kept in the cache folder: what it read and wrote (file trees), what
// else shaped it (a key) and what it reported, so a build that finds all of it unchanged replays the report and
// stops (see build-unchanged.ts).

/** The counts a build reports besides what it wrote (see BuildStats). */
export interface SnapshotCounts {
  posts: number;
  tags: number;
  tagPages: number;
  files: number;
  pages: number;
  drafts: number;
  scheduled: number;
}

/** The large parts of a snapshot, decoded only when asked for (a machine-readable report). */
export interface SnapshotDetails {
  files: string[];
  routes: BuiltFile[];
  summary: SiteSummary;
}

/** What a successful build leaves for the next one. */
export interface BuildSnapshot extends SnapshotHead {
  /** The sources, templates, public and data folders and the config file, stat'ed before the build read them. */
  inputs: FileTree;
  /** The output folder as the build left it. */
  output: FileTree;
}

/**
 * A snapshot as read: its small part, and its file trees and details each decoded only when asked for (a build
 * whose key or inputs differ never decodes the output's tree, the larger part).
 */
export interface StoredSnapshot extends SnapshotHead {
  inputs(): FileTree | undefined;
  output(): FileTree | undefined;
}

interface SnapshotHead {
  /** A hash of everything besides the files that shapes the output: code salt, resolved config, options, environment. */
  key: string;
  /**
   * The dates (ms since the epoch) the same posts are published for: from the newest published post's date (null:
   * any) until the first scheduled post's (null: none is scheduled).
   */
  window: [from: number | null, until: number | null];
  /** The build's diagnostics (warnings; without their causes), in its order. */
  diagnostics: Diagnostic[];
  counts: SnapshotCounts;
  details: () => SnapshotDetails;
}

/** The snapshot of one output folder in the cache folder; read and write never throw. */
export interface BuildSnapshots {
  read(): StoredSnapshot | undefined;
  /** Saves it (or, when it cannot, removes the old one, which no longer describes the output). */
  write(snapshot: BuildSnapshot): void;
  remove(): void;
}

const magic = 'blogbuild-snapshot 3';

/** The snapshot of `outDir` in `cacheDir`, one file in the cache files' one format (incremental/packed-file.ts). */
export function buildSnapshots(cacheDir: string, outDir: string): BuildSnapshots {
  const file = path.join(cacheDir, `build-${createHash('sha1').update(outDir).digest('hex').slice(0, 12)}.snapshot`);
  const remove = () => {
    try {
      fs.rmSync(file, { force: true });
    } catch {
      // The cache folder cannot be written: the next build finds the same snapshot, which no longer matches the output.
    }
  };
  return {
    read: () => readSnapshot(file),
    write(snapshot) {
      const { details, inputs, output, ...data } = snapshot;
      try {
        writeFileAtomic(file, packFile(magic, data, [JSON.stringify(details()), JSON.stringify(inputs), JSON.stringify(output)]));
      } catch {
        // Not written: the next build does all its work again.
        remove();
      }
    },
    remove,
  };
}

function readSnapshot(file: string): StoredSnapshot | undefined {
  // None (the last build failed, used --no-cache, or there was none) or damaged: no snapshot.
  const read = readPackedFile(file, magic);
  if ('reason' in read || read.blobCount !== 3) return undefined;
  const data = read.data as Omit<SnapshotHead, 'details'> | null;
  if (!isRecord(data) || typeof data.key !== 'string' || !isWindow(data.window) || !Array.isArray(data.diagnostics) || !data.diagnostics.every(isDiagnostic)
    || !isRecord(data.counts)) return undefined;
  let details: SnapshotDetails | undefined;
  // The checksums are checked already; a tree of the wrong shape is no tree (the check then finds everything changed).
  const tree = (index: number) => {
    let parsed: FileTree | undefined;
    return () => (parsed ??= parseTree(read.blob(index)));
  };
  return { ...data, inputs: tree(1), output: tree(2), details: () => (details ??= JSON.parse(read.blob(0).toString('utf8')) as SnapshotDetails) };
}

function parseTree(bytes: Buffer): FileTree | undefined {
  try {
    const parsed: unknown = JSON.parse(bytes.toString('utf8'));
    return isRecord(parsed) ? (parsed as FileTree) : undefined;
  } catch {
    // Not JSON (made by hand): no tree, so everything is found changed.
    return undefined;
  }
}

function isWindow(value: unknown): value is BuildSnapshot['window'] {
  return Array.isArray(value) && value.length === 2 && value.every((end) => end === null || typeof end === 'number');
}

function isDiagnostic(d: unknown): d is Diagnostic {
  return isRecord(d) && (d.severity === 'warning' || d.severity === 'error') && typeof d.code === 'string' && typeof d.message === 'string';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
