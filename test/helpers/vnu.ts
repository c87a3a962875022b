import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The Nu Html Checker jar shipped by the vnu-jar package. */
export const vnuJar = fileURLToPath(new URL('../../node_modules/vnu-jar/build/dist/vnu.jar', import.meta.url));

/** One message of `vnu --format json`. */
export interface VnuMessage {
  /** `error`, `info` (with `subType: "warning"` for warnings) or `non-document-error` (I/O, bad input). */
  type: 'error' | 'info' | 'non-document-error';
  subType?: string;
  /** `file:/abs/path.html` */
  url?: string;
  message: string;
  extract?: string;
  firstLine?: number;
  lastLine?: number;
  firstColumn?: number;
  lastColumn?: number;
}

/** Options for {@link runVnu}. */
export interface VnuOptions {
  /** Also check `.css` files found in the folders or named (`--also-check-css`). @default false */
  alsoCheckCss?: boolean;
}

/**
 * Runs the Nu Html Checker once over files and folders (HTML files only, plus CSS with `alsoCheckCss`) and
 * returns every message. One JVM for everything: starting vnu takes seconds.
 */
export async function runVnu(paths: string[], options: VnuOptions = {}): Promise<VnuMessage[]> {
  const args = ['-jar', vnuJar, '--format', 'json', '--skip-non-html'];
  if (options.alsoCheckCss) args.push('--also-check-css');
  const { code, stdout, stderr } = await run('java', [...args, ...paths]);
  // vnu prints its JSON report on stderr; exit code 1 only means "there were errors".
  const report = [stderr, stdout].map((text) => text.trim()).find((text) => text.startsWith('{'));
  if (!report || (code !== 0 && code !== 1)) {
    throw new Error(`vnu failed (exit ${code}):\n${stderr}\n${stdout}`);
  }
  return (JSON.parse(report) as { messages: VnuMessage[] }).messages;
}

/** Errors are `error` and `non-document-error` messages; `info` messages (incl. warnings) are not. */
export function isVnuError(message: VnuMessage): boolean {
  return message.type !== 'info';
}

/** Messages as `file:line:col: type: message` lines with the extract, for test failure output. */
export function formatVnuMessages(messages: VnuMessage[], root?: string): string {
  return messages
    .map((m) => {
      let file = m.url ? m.url.replace(/^file:/, '') : '(no file)';
      if (root && file.startsWith(root)) file = file.slice(root.length).replace(/^\//, '');
      const line = m.lastLine ?? m.firstLine;
      const at = line === undefined ? file : `${file}:${line}:${m.firstColumn ?? m.lastColumn ?? 0}`;
      const kind = m.subType ? `${m.type}/${m.subType}` : m.type;
      const extract = m.extract ? `\n    ${m.extract.replace(/\n/g, '⏎')}` : '';
      return `${at}: ${kind}: ${m.message}${extract}`;
    })
    .join('\n');
}

function run(command: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (cause) => {
      reject(new Error(`cannot start ${command}: install Java 17 (apt-get install openjdk-17-jre-headless; .ci/run does this)`, { cause }));
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
