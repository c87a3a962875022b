import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * The programs some tests need besides Node: Chromium (axe and the live-reload test drive it) and Java (the Nu
 * Html Checker is a jar). `vitest.config.ts` looks for them once per run; a test file or suite that needs one
 * carries its tag (`chromium`, `java`), and the tag skips it when the program is missing, except in CI.
 */

/** The tags of tests that need a program; `vitest.config.ts` defines one per tool. */
export type ToolName = 'chromium' | 'java';

/** What the search for one program found. */
export interface ToolCheck {
  name: ToolName;
  /** The command that started, e.g. `/usr/bin/chromium`; `undefined` when none did. */
  command?: string;
  /** The first line it printed for `--version` / `-version`, or why each candidate failed. */
  report: string;
}

/** Where Debian, Ubuntu and Google put their browsers, in the order they are tried. */
export const chromiumCandidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The Debian packages that provide each tool. */
const aptPackages: Record<ToolName, string> = { chromium: 'chromium', java: 'openjdk-17-jre-headless' };
const titles: Record<ToolName, string> = { chromium: 'Chromium', java: 'Java' };

/**
 * Starts `command args` and says whether it works: a file that exists but cannot run (no exec bit, a broken
 * wrapper, a snap stub that exits 1) counts as missing, because the tests would fail on it all the same.
 */
function probe(command: string, args: string[], env: NodeJS.ProcessEnv): { ok: true; version: string } | { ok: false; why: string } {
  // `env` also decides where a bare command name is looked up (its PATH).
  const run = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'], env });
  if (run.error) {
    const code = (run.error as NodeJS.ErrnoException).code;
    return { ok: false, why: code === 'ENOENT' ? 'not found' : `cannot start (${code ?? run.error.message})` };
  }
  const firstLine = `${run.stdout}\n${run.stderr}`.trim().split('\n')[0];
  if (run.status !== 0) {
    return { ok: false, why: `\`${args.join(' ')}\` exits with ${run.status ?? run.signal}${firstLine ? `: ${firstLine}` : ''}` };
  }
  return { ok: true, version: firstLine };
}

/**
 * Finds a Chromium that starts: `BLOGBUILD_CHROMIUM` when it is set (and only it, so a wrong path is reported
 * rather than silently replaced), otherwise the first of `candidates` that answers `--version`.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env, candidates = chromiumCandidates): ToolCheck {
  const fromEnv = env.BLOGBUILD_CHROMIUM;
  const tried: string[] = [];
  for (const command of fromEnv ? [fromEnv] : candidates) {
    const label = fromEnv ? `BLOGBUILD_CHROMIUM=${command}` : command;
    if (!existsSync(command)) {
      tried.push(`${label}: not there`);
      continue;
    }
    const result = probe(command, ['--version'], env);
    if (result.ok) return { name: 'chromium', command, report: result.version };
    tried.push(`${label}: ${result.why}`);
  }
  return { name: 'chromium', report: tried.join('; ') };
}

/** Finds `java` on the `PATH` (the command `test/helpers/vnu.ts` runs) and checks that it starts. */
export function findJava(env: NodeJS.ProcessEnv = process.env): ToolCheck {
  const result = probe('java', ['-version'], env);
  return result.ok ? { name: 'java', command: 'java', report: result.version } : { name: 'java', report: `java: ${result.why}` };
}

/** `CI` is set the way CI services set it (`true`, `1`, a name); `false` or `0` count as unset. */
export function isCI(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.CI) && env.CI !== 'false' && env.CI !== '0';
}

/** `Chromium is missing: /usr/bin/chromium cannot start (EACCES); …` */
export function describeMissing(tool: ToolCheck): string {
  return `${titles[tool.name]} is missing: ${tool.report}`;
}

/** The one command that installs every missing tool (Debian), and where to point a browser installed elsewhere. */
export function howToEnable(missing: ToolCheck[]): string {
  const packages = missing.map((tool) => aptPackages[tool.name]).join(' ');
  let text = `To run them (Debian): apt-get install ${packages}`;
  if (missing.some((tool) => tool.name === 'chromium')) {
    text += '\nWith a Chromium or Chrome elsewhere: BLOGBUILD_CHROMIUM=/path/to/chromium npm test';
  }
  return text;
}

/** The failure when tests may not be skipped (CI): what is missing and how to enable it, without a stack. */
export function missingToolsError(missing: ToolCheck[]): Error {
  const message = [
    'CI is set, so the tests that need these programs must run:',
    ...missing.map(describeMissing),
    howToEnable(missing),
  ].join('\n');
  const error = new Error(message);
  // vitest prints the stack of a config error; here it would only bury the message.
  error.stack = `Error: ${message}`;
  return error;
}
