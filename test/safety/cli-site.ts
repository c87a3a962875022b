// Helpers of the output-safety tests: a small blog in a temp folder, the CLI run on it, and snapshots of folders.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const bin = path.join(repo, 'bin', 'blogbuild.js');
const plainEnv = { NO_COLOR: '1', FORCE_COLOR: '', CI: '1' };

/** Runs the compiled CLI in `cwd`. */
export function run(cwd: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...plainEnv, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Writes a small blog (three posts, two tags) into `dir`. */
export function makeBlog(dir: string, config: Record<string, unknown> = { title: 'Safety', url: 'https://example.org/' }): string {
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  write('blogbuild.config.json', JSON.stringify(config));
  for (const [i, tag] of ['news', 'notes', 'news'].entries()) {
    write(`posts/2024-0${i + 1}-01-post-${i + 1}.md`, `---\ntitle: Post ${i + 1}\ndate: 2024-0${i + 1}-01\ntags: [${tag}]\n---\n\nBody of post ${i + 1}.\n`);
  }
  return dir;
}

/** Every file under `dir` (relative) with its bytes as text and its mtime; symlinks as `-> target`. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      const full = path.join(dir, child);
      if (entry.isSymbolicLink()) out[child] = `-> ${fs.readlinkSync(full)}`;
      else if (entry.isDirectory()) visit(child);
      else out[child] = `${fs.statSync(full).mtimeMs} ${fs.readFileSync(full, 'latin1')}`;
    }
  };
  visit('');
  return out;
}

/** Every file under `dir` with its text, without mtimes (to compare two outputs). */
export function contents(dir: string): Record<string, string> {
  return Object.fromEntries(Object.entries(snapshot(dir)).map(([file, value]) => [file, value.slice(value.indexOf(' ') + 1)]));
}

/**
 * Starts `blogbuild build` in `cwd` with a pause at `point` of its commit (BLOGBUILD_TEST_PAUSE_AT), waits until it
 * is there, and SIGKILLs it: a build killed exactly at that point. Resolves once the process is gone.
 */
export async function killBuildAt(cwd: string, point: string, args: string[] = []): Promise<void> {
  const pauseFile = path.join(cwd, `.pause-${point}`);
  fs.rmSync(pauseFile, { force: true });
  const child = spawn(process.execPath, [bin, 'build', '--quiet', ...args], {
    cwd,
    env: { ...process.env, ...plainEnv, BLOGBUILD_TEST_PAUSE_AT: point, BLOGBUILD_TEST_PAUSE_FILE: pauseFile },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // Wait for the pause, or for the build to end without reaching it (a failure, with its stderr).
  const paused = await Promise.race([
    new Promise<true>((resolve) => {
      const poll = setInterval(() => {
        if (fs.existsSync(pauseFile)) {
          clearInterval(poll);
          resolve(true);
        }
      }, 20);
      void exited.then(() => clearInterval(poll));
    }),
    exited.then(() => false as const),
  ]);
  if (!paused) throw new Error(`the build ended before reaching "${point}":\n${stderr}`);
  child.kill('SIGKILL');
  await exited;
  fs.rmSync(pauseFile, { force: true });
}
