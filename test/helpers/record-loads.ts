/**
 * Runs the CLI in a child Node that records every module it loads: ES modules by a module hook (`node --import`),
 * CommonJS ones from require's cache when it exits. The tests that check what a command does *not* load (the bundle's
 * lazy chunks, the early exit, an edit without code) share it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const hookSource = `import { register, createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';
register('data:text/javascript,' + encodeURIComponent(\`
import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (url.startsWith('file:')) appendFileSync(process.env.BLOGBUILD_TEST_LOADS, url + '\\\\n');
  return next(url, context);
}\`));
const cache = createRequire(import.meta.url).cache;
process.on('exit', () => appendFileSync(process.env.BLOGBUILD_TEST_LOADS, Object.keys(cache).map((file) => 'file://' + file + '\\n').join('')));
`;

/** Runs `node <bin> ...args` in `cwd`; returns its exit code, output and the files of the modules it loaded, each once. */
export function runRecordingLoads(bin: string, args: string[], cwd: string) {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'blogbuild-loads-'));
  try {
    const record = path.join(scratch, 'loads.txt');
    const hook = path.join(scratch, 'record-loads.mjs');
    fs.writeFileSync(record, '');
    fs.writeFileSync(hook, hookSource);
    const env = { ...process.env, NO_COLOR: '1', BLOGBUILD_TEST_LOADS: record };
    const result = spawnSync(process.execPath, ['--import', pathToFileURL(hook).href, bin, ...args], { cwd, encoding: 'utf8', env });
    const urls = new Set(fs.readFileSync(record, 'utf8').split('\n').filter(Boolean));
    return { code: result.status, stdout: result.stdout, stderr: result.stderr, loaded: [...urls].map((url) => fileURLToPath(url)) };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
