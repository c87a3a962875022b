import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';

/**
 * The framing of the cache files: a header line `<magic> <crc32> <bytes>` then the payload: the byte length of a
 * JSON part, a newline, the JSON part (`{"blobs":[byte lengths…],"crcs":[each blob's CRC-32…],"data":…}`), then the
 * blobs as raw UTF-8, one after the other. The header's CRC-32 covers the payload up to the blobs, and each blob has
 * its own: a reader that needs a few blobs of a large file (the dev server's first page: 10 posts' HTML of a 45 MB
 * markdown cache) reads and checks only those (see {@link openPackedFile}). Large strings (post bodies, HTML) are
 * blobs, referred to from `data` by index: decoding each on its own is several times faster than parsing them out
 * of one large JSON text, and writing them needs no escaping. {@link unpackFile} rejects a file whose header,
 * length, checksums, JSON or blob lengths are wrong as a whole.
 */
export function packFile(magic: string, data: unknown, blobs: (string | Uint8Array)[]): Uint8Array[] {
  // Blobs still undecoded from the file read last time (see defineLazyText) are written as they are.
  const blobBuffers = blobs.map((blob) => (typeof blob === 'string' ? Buffer.from(blob, 'utf8') : blob));
  const crcs = blobBuffers.map((blob) => crc32(blob) >>> 0);
  const json = Buffer.from(JSON.stringify({ blobs: blobBuffers.map((b) => b.length), crcs, data }));
  const head = Buffer.from(`${json.length}\n`);
  const crc = crc32(json, crc32(head)) >>> 0;
  let length = head.length + json.length;
  for (const blob of blobBuffers) length += blob.length;
  return [Buffer.from(`${magic} ${hex(crc)} ${length}\n`), head, json, ...blobBuffers];
}

const hex = (crc: number) => crc.toString(16).padStart(8, '0');

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
  const payload = bytes.subarray(newline + 1);
  const index = readIndex(bytes.subarray(0, newline), magic, payload.length, (start, end) => payload.subarray(start, end));
  if ('reason' in index) return index;
  const { data, lengths, crcs, starts } = index;
  // Every blob is checked now: a file with one damaged blob is rejected as a whole, as its index would be.
  for (let i = 0; i < lengths.length; i++) {
    if (crc32(payload.subarray(starts[i], starts[i] + lengths[i])) >>> 0 !== crcs[i]) return { reason: 'checksum mismatch' };
  }
  return { data, blobCount: lengths.length, blob: (i) => payload.subarray(starts[i], starts[i] + lengths[i]) };
}

/** A packed file read whole and unpacked (see {@link unpackFile}), or why not: missing or unreadable, or rejected. */
export function readPackedFile(file: string, magic: string): ReturnType<typeof unpackFile> {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    // Missing or unreadable: the caller has nothing, as for a damaged file.
    return { reason: 'missing' };
  }
  return unpackFile(bytes, magic);
}

/**
 * A packed file read in part: its header and JSON part now (checked by the header's CRC-32), each blob when asked for
 * (checked by its own CRC-32: undefined when damaged). The file stays open until {@link close}: a file replaced
 * meanwhile (written again by writeFileAtomic, a rename) is still read as it was opened. Undefined (with why) when
 * the file is missing or its header, length, JSON or blob lengths are wrong.
 */
export function openPackedFile(file: string, magic: string): { data: unknown; blobCount: number; blob(index: number): Buffer | undefined; close(): void } | { reason: string } {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    // Missing or unreadable: no values.
    return { reason: 'missing' };
  }
  try {
    const size = fs.fstatSync(fd).size;
    const first = readAt(fd, 0, Math.min(size, 64 * 1024));
    const newline = first.indexOf(10);
    if (newline < 0) throw new Error('no header');
    const at = newline + 1;
    // The payload's parts, read when the index needs them: its first 64 KiB are in `first` already.
    const part = (start: number, end: number) => (at + end <= first.length ? first.subarray(at + start, at + end) : readAt(fd, at + start, end - start));
    const index = readIndex(first.subarray(0, newline), magic, size - at, part);
    if ('reason' in index) throw new Error(index.reason);
    const { data, lengths, crcs, starts } = index;
    return {
      data,
      blobCount: lengths.length,
      blob(i) {
        const bytes = readAt(fd, at + starts[i], lengths[i]);
        return bytes.length === lengths[i] && crc32(bytes) >>> 0 === crcs[i] ? bytes : undefined;
      },
      close: () => fs.closeSync(fd),
    };
  } catch (cause) {
    fs.closeSync(fd);
    return { reason: (cause as Error).message };
  }
}

function readAt(fd: number, position: number, length: number): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  let read = 0;
  while (read < length) {
    const n = fs.readSync(fd, bytes, read, length - read, position + read);
    if (n === 0) break;
    read += n;
  }
  return read === length ? bytes : bytes.subarray(0, read);
}

/** The header's and JSON part's checks: the data, and each blob's length, CRC-32 and start in the payload. */
function readIndex(header: Buffer, magic: string, payloadLength: number, part: (start: number, end: number) => Buffer):
  { data: unknown; lengths: number[]; crcs: number[]; starts: number[] } | { reason: string } {
  const fields = header.toString('latin1').split(' ');
  if (fields.slice(0, -2).join(' ') !== magic) return { reason: 'not a blogbuild cache file of this format' };
  const [sum, length] = fields.slice(-2);
  if (payloadLength !== Number(length)) return { reason: `truncated: ${payloadLength} of ${length} bytes` };
  const head = part(0, Math.min(payloadLength, 24));
  const jsonEnd = head.indexOf(10);
  const jsonLength = Number(head.subarray(0, Math.max(jsonEnd, 0)).toString('latin1'));
  if (jsonEnd < 0 || !Number.isInteger(jsonLength) || jsonEnd + 1 + jsonLength > payloadLength) return { reason: 'invalid structure' };
  const json = part(jsonEnd + 1, jsonEnd + 1 + jsonLength);
  if (hex(crc32(json, crc32(head.subarray(0, jsonEnd + 1))) >>> 0) !== sum) return { reason: 'checksum mismatch' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(json.toString('utf8'));
  } catch {
    // A damaged cache file: the reason is returned and the caller ignores the file.
    return { reason: 'invalid JSON' };
  }
  const { blobs: lengths, crcs } = (parsed ?? {}) as { blobs?: unknown; crcs?: unknown };
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray(lengths) || !Array.isArray(crcs) || crcs.length !== lengths.length) return { reason: 'invalid structure' };
  const starts: number[] = [];
  let at = jsonEnd + 1 + jsonLength;
  for (let i = 0; i < lengths.length; i++) {
    if (!Number.isInteger(lengths[i]) || lengths[i] < 0 || !Number.isInteger(crcs[i])) return { reason: 'invalid structure' };
    starts.push(at);
    at += lengths[i];
  }
  if (at !== payloadLength) return { reason: 'invalid structure' };
  return { data: (parsed as { data?: unknown }).data, lengths, crcs, starts };
}
