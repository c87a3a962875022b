/**
 * `--debug` prints what caused an error, the original error with its stack, for every command; without it the user
 * sees the diagnostic and its hint only. Each command is run on something it must refuse, once with and once
 * without the flag.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/blogbuild.js', import.meta.url));
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'blogbuild-debug-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** A blog whose config has a trailing comma, a file `blocker` where folders are asked for, and a Jekyll site with a broken post. */
function makeSite(): string {
  const root = path.join(scratch, 'blog');
  fs.mkdirSync(path.join(root, 'posts'), { recursive: true });
  fs.writeFileSync(path.join(root, 'blogbuild.config.json'), '{ "title": "Debug", }\n');
  fs.writeFileSync(path.join(root, 'blocker'), 'a file, not a folder\n');
  fs.mkdirSync(path.join(root, 'node_modules'));
  fs.writeFileSync(path.join(root, 'node_modules', '.cache'), 'a file where the cache folder goes\n');
  fs.mkdirSync(path.join(scratch, 'jekyll', '_posts'), { recursive: true });
  fs.writeFileSync(path.join(scratch, 'jekyll', '_posts', '2024-01-01-broken.md'), '---\ntitle: [never closed\n---\nText.\n');
  return root;
}
const root = makeSite();

const cases: { command: string; args: string[]; exitCode: number; says: string; cause: string }[] = [
  { command: 'build', args: ['build'], exitCode: 2, says: 'error: config file is not valid JSON: there is a comma after the last entry [ConfigInvalid]', cause: 'caused by: SyntaxError' },
  { command: 'check', args: ['check'], exitCode: 2, says: '[ConfigInvalid]', cause: 'caused by: SyntaxError' },
  { command: 'serve', args: ['serve', '--port', '0'], exitCode: 2, says: '[ConfigInvalid]', cause: 'caused by: SyntaxError' },
  { command: 'new', args: ['new', 'Hello'], exitCode: 2, says: '[ConfigInvalid]', cause: 'caused by: SyntaxError' },
  { command: 'init', args: ['init', 'blocker/blog'], exitCode: 2, says: 'error: blocker/blog: a file is in the way where a folder is needed', cause: 'caused by: Error: ENOTDIR' },
  { command: 'clean', args: ['clean'], exitCode: 2, says: 'error: node_modules/.cache/blogbuild: a file is in the way where a folder is needed', cause: 'caused by: Error: ENOTDIR' },
  {
    command: 'import',
    args: ['import', 'jekyll', path.join(scratch, 'jekyll'), '--out', path.join(scratch, 'imported')],
    exitCode: 1,
    says: 'error: the front matter cannot be read as YAML: unexpected end of the stream within a flow collection',
    cause: 'caused by: YAMLException',
  },
];

function run(args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1', CI: '1' } });
  return { code: result.status, stderr: result.stderr };
}

describe('--debug', () => {
  for (const { command, args, exitCode, says, cause } of cases) {
    it(`${command}: prints the cause and its stack only with --debug`, () => {
      const plain = run(args);
      expect(plain.code, plain.stderr).toBe(exitCode);
      expect(plain.stderr).toContain(says);
      expect(plain.stderr).toMatch(/^ {2}hint: \S/m);
      expect(plain.stderr).not.toContain('caused by:');
      expect(plain.stderr).not.toMatch(/^\s+at /m);

      const debug = run([...args, '--debug']);
      expect(debug.code, debug.stderr).toBe(exitCode);
      expect(debug.stderr).toContain(says);
      expect(debug.stderr).toContain(cause);
      // Errors thrown by JavaScript code carry their stack; a file-system error from Node may have none.
      if (!cause.includes('ENOTDIR')) expect(debug.stderr).toMatch(/^\s+at /m);
    });
  }
});
