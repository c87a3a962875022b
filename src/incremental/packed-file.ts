import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';

/**
 * The framing of the cache files: a header line `<magic> <crc32> <bytes>` then the payload: the byte length of a
 * JSON part, a newline, the JSON part (`{"blobs":[byte lengths…],"data":…}`), then the blobs as raw UTF-8, one
 * after the other. Large strings (post bodies, HTML) are blobs, referred to from `data` by index: decoding each
 * on its own is several times faster than parsing them out of one large JSON text, and writing them needs no
 * escaping. A file whose header, length, checksum, JSON or blob lengths are wrong is rejected as a whole.
 */
export function packFile(magic: string, data: unknown, blobs: (string | Uint8Array)[]): Uint8Array[] {
  // Blobs still undecoded from the file read last time (see defineLazyText) are written as they are.
  const blobBuffers = blobs.map((blob) => (typeof blob === 'string' ? Buffer.from(blob, 'utf8') : blob));
  const json = Buffer.from(JSON.stringify({ blobs: blobBuffers.map((b) => b.length), data }));
  const chunks = [Buffer.from(`${json.length}\n`), json, ...blobBuffers];
  let crc = 0;
  let length = 0;
  for (const chunk of chunks) {
    crc = crc32(chunk, crc);
    length += chunk.length;
  }
  return [Buffer.from(`${magic} ${(crc >>> 0).toString(16).padStart(8, '0')} ${length}\n`), ...chunks];
}

/**
 * Writes a packed file's chunks with gathered writes (writev): no copy of the whole file in memory (it would be
 * ~8 MiB for 1,000 posts, at the build's peak), and one system call per 1,024 chunks rather than one each.
 */
export function writeChunksSync(file: string, chunks: Uint8Array[]): void {
  const fd = fs.openSync(file, 'w');
  try {
    for (let start = 0; start < chunks.length; start += 1024) {
      const batch = chunks.slice(start, start + 1024);
      while (batch.length > 0) {
        let written = fs.writevSync(fd, batch);
        // A short write goes on after the bytes written.
        while (batch.length > 0 && written >= batch[0].length) written -= batch.shift()!.length;
        if (batch.length > 0) batch[0] = batch[0].subarray(written);
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Writes a file so that a reader sees the old file or the whole new one, never part of it: into a temp file beside
 * it, then renamed over it. Every cache file is written by this function. Throws when it cannot write (the temp
 * file is removed): callers decide whether that matters.
 */
export function writeFileAtomic(file: string, chunks: Uint8Array[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeChunksSync(temp, chunks);
    fs.renameSync(temp, file);
  } catch (cause) {
    fs.rmSync(temp, { force: true });
    throw cause;
  }
}

/** A packed file's data and a reader of its blobs, or why it was rejected. */
export function unpackFile(bytes: Buffer, magic: string): { data: unknown; blobCount: number; blob(index: number): Buffer } | { reason: string } {
  const newline = bytes.indexOf(10);
  if (newline < 0) return { reason: 'no header' };
  const header = bytes.subarray(0, newline).toString('latin1').split(' ');
  if (header.slice(0, -2).join(' ') !== magic) return { reason: 'not a blogbuild cache file of this format' };
  const [sum, length] = header.slice(-2);
  const payload = bytes.subarray(newline + 1);
  if (payload.length !== Number(length)) return { reason: `truncated: ${payload.length} of ${length} bytes` };
  if ((crc32(payload) >>> 0).toString(16).padStart(8, '0') !== sum) return { reason: 'checksum mismatch' };
  const jsonEnd = payload.indexOf(10);
  const jsonLength = Number(payload.subarray(0, Math.max(jsonEnd, 0)).toString('latin1'));
  if (jsonEnd < 0 || !Number.isInteger(jsonLength) || jsonEnd + 1 + jsonLength > payload.length) return { reason: 'invalid structure' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.toString('utf8', jsonEnd + 1, jsonEnd + 1 + jsonLength));
  } catch {
    // A damaged cache file: the reason is returned and the caller ignores the file.
    return { reason: 'invalid JSON' };
  }
  const lengths = (parsed as { blobs?: unknown })?.blobs;
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray(lengths)) return { reason: 'invalid structure' };
  const starts: number[] = [];
  let at = jsonEnd + 1 + jsonLength;
  for (const n of lengths) {
    if (!Number.isInteger(n) || n < 0) return { reason: 'invalid structure' };
    starts.push(at);
    at += n;
  }
  if (at !== payload.length) return { reason: 'invalid structure' };
  return {
    data: (parsed as { data?: unknown }).data,
    blobCount: lengths.length,
    blob: (index) => payload.subarray(starts[index], starts[index] + (lengths[index] as number)),
  };
}
