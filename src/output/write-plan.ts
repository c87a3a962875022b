import fsSync from 'node:fs';
import path from 'node:path';
import type { OutputFile } from '../render/render-pages.js';
import { sameBytes } from './commit.js';
import { sha1, statSignature, tryStat, type Manifest, type ManifestEntry } from './manifest.js';

/** What the writer decided for one output file: its hash, whether the previous output holds its bytes already. */
export interface Plan {
  file: OutputFile;
  /** The file's path in the previous output. */
  old: string;
  oldStat: fsSync.BigIntStats | undefined;
  sourceStat: string | undefined;
  hash: string;
  isSame: boolean;
  /** The bytes of a changed file, kept while it could still be updated in place. */
  bytes?: Buffer;
  /** Whether the file is in the staging folder already. */
  isWritten?: boolean;
}

/**
 * Decides whether the previous output (`outDir`, described by `known` from the manifest) already holds a file's
 * bytes, reading and rendering as little as it can: a copied file whose source is unchanged has the recorded hash,
 * a file that comes with its hash has that one; an old file the manifest describes is compared by hash, any other
 * by bytes.
 */
export function planFile(file: OutputFile, outDir: string, known: ManifestEntry | undefined): Plan {
  const old = path.join(outDir, file.path);
  const sourceStat = file.source !== undefined ? statSignature(file.source) : undefined;
  const oldStat = tryStat(old);
  const isOldKnown = Boolean(known && oldStat && known[1] === Number(oldStat.size) && known[2] === String(oldStat.mtimeNs) && known[3] === String(oldStat.ino));
  let bytes: Buffer | undefined;
  let hash: string;
  if (known && file.source !== undefined && sourceStat !== undefined && known[4] === sourceStat) {
    // A copied file whose source has not changed since the last build: its bytes are those recorded.
    hash = known[0];
  } else if (file.hash !== undefined) {
    // Its maker knows the hash (a page rendered from the same inputs before): rendered only if it must be written.
    hash = file.hash;
  } else {
    bytes = bytesOf(file);
    hash = sha1(bytes);
    file.onHash?.(hash);
  }
  let isSame = false;
  if (oldStat?.isFile()) {
    if (isOldKnown) {
      // The old file is the one the manifest describes: compare hashes, not bytes.
      isSame = known![0] === hash;
    } else {
      bytes ??= bytesOf(file);
      isSame = Number(oldStat.size) === bytes.length && sameBytes(old, bytes);
    }
  }
  return { file, old, oldStat, sourceStat, hash, isSame, ...(bytes && !isSame ? { bytes } : {}) };
}

/** The bytes of an output file: read from its source, rendered now, or its contents. */
export function bytesOf(file: OutputFile): Buffer {
  if (file.source !== undefined) return fsSync.readFileSync(file.source);
  const contents = file.render ? file.render() : file.contents;
  if (typeof contents === 'string') return Buffer.from(contents);
  // Bytes are written as they are, not copied (a cold build's post pages come as Buffers already: ~11 MB at 1,000).
  return Buffer.isBuffer(contents) ? contents : Buffer.from(contents.buffer, contents.byteOffset, contents.byteLength);
}

/** Counts and records (in the next manifest) what a write did with each file; `skip` (the marker) is not counted. */
export function writeRecorder(outDir: string, skip: OutputFile) {
  const stats = { written: 0, unchanged: 0 };
  const manifest: Manifest = { format: 1, outDir, files: Object.create(null) as Record<string, ManifestEntry> };
  return {
    stats,
    manifest,
    record(plan: Plan, kind: 'written' | 'unchanged', stat: fsSync.BigIntStats) {
      if (plan.file !== skip) stats[kind]++;
      manifest.files[plan.file.path] = [plan.hash, Number(stat.size), String(stat.mtimeNs), String(stat.ino), plan.sourceStat ?? null];
    },
  };
}

/** Writes files into the staging folder (made by `staging()` on first use), making each folder once. */
export function stagedWriter(staging: () => string, recorder: ReturnType<typeof writeRecorder>) {
  const made = new Set<string>();
  const stagedPath = (file: OutputFile) => {
    const target = path.join(staging(), file.path);
    const dir = path.dirname(target);
    if (!made.has(dir)) {
      fsSync.mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    return target;
  };
  return {
    stagedPath,
    write(plan: Plan, bytes: Buffer) {
      const target = stagedPath(plan.file);
      fsSync.writeFileSync(target, bytes);
      // A rename keeps the inode and mtime, so the staged file's stat is the final file's.
      recorder.record(plan, 'written', fsSync.statSync(target, { bigint: true }));
      plan.bytes = undefined;
      plan.isWritten = true;
    },
  };
}
