#!/usr/bin/env node
// `node scripts/bench-serve.js [--posts 10000] [--runs 3] [--saves 5] [--blogbuild <checkout>] [--write]`
// (also run by `npm run bench`, after the build cases, on the same corpus)
//
// The dev server's cases of issue 15, each in a child process running `blogbuild serve --port 0` as a user would:
// start → first page (the home page answers 200) with an empty cache and with a warm one (a `build` ran before);
// save → page updated (a sentence appended to a post; the page is fetched after each live-reload event until it
// has the sentence); and the server's peak RSS (VmHWM of the process, worker threads included) over a session
// with an empty cache: first page, the background build, the saves. `--blogbuild` measures another checkout (the
// code before the change) on the same corpus.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Starts `blogbuild serve --port 0` in `site`; resolves with the child, its URL and ms from spawn to the URL line. */
function startServer(site, checkout) {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [path.join(checkout, 'bin', 'blogbuild.js'), 'serve', '--port', '0'], { cwd: site, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk;
      const url = /Serving .* at (http:\/\/\S+)/.exec(output)?.[1];
      if (url) {
        child.stdout.off('data', onData);
        resolve({ child, url, started });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => reject(new Error(`serve exited (${code}) before serving:\n${output}`)));
  });
}

const elapsed = (started) => Number(process.hrtime.bigint() - started) / 1e6;

/** Fetches `url` until it answers 200; resolves with the body. */
async function firstPage(url) {
  for (;;) {
    const response = await fetch(url).catch(() => undefined);
    if (response?.status === 200) return response.text();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function stop(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** The process's peak RSS so far, in MiB (Linux). */
function peakRssMiB(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]) / 1024;
}

/** CPU time (user + system, all threads) of a process in ms (Linux). */
function cpuMs(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** Waits until the process used under 5% of a core for two seconds: its background build is done. */
async function quiet(pid) {
  let last = cpuMs(pid);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const now = cpuMs(pid);
    if (now - last < 100) return;
    last = now;
  }
}

/**
 * Times `saves` saves of `target` (a sentence appended to `original`) until the dev server at `url` serves the post's
 * page with it. It follows the live-reload event stream as the browser's client does and fetches the page once after
 * each `state` event (or every 250 ms, in case one was missed): polling every few ms instead would put dozens of
 * requests on the server's thread while it rebuilds. One unmeasured warm-up save comes first, repeated every 2 s until
 * seen (chokidar reports ready before its scan of a large folder is complete); `settle()` runs before each measured
 * save. Resolves with the ms of each save picked up within 60 s and how many were not.
 */
export async function timeSaves(url, target, original, { saves, settle = async () => {}, log = () => {} }) {
  const pageUrl = new URL(`posts/${path.basename(target, '.md')}/`, url).href;
  const events = new AbortController();
  const response = await fetch(new URL('/__blogbuild/events', url), { signal: events.signal });
  let onEvent = () => {};
  (async () => {
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for await (const chunk of response.body) {
        buffered += decoder.decode(chunk, { stream: true });
        let end;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          if (buffered.slice(0, end).includes('event: state')) onEvent();
          buffered = buffered.slice(end + 2);
        }
      }
    } catch {
      // Aborted when the measurement ends.
    }
  })();
  const nextEvent = (ms) => new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    onEvent = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  /** Saves the post with `marker` and waits until the served page has it; resaves every `resave` ms. */
  const save = async (marker, resave = Infinity) => {
    const started = process.hrtime.bigint();
    let written = 0;
    for (;;) {
      if (written === 0 || elapsed(started) >= written * resave) {
        fs.writeFileSync(target, `${original}\n${marker}\n`);
        written++;
      }
      const text = await fetch(pageUrl).then((r) => r.text(), () => '');
      if (text.includes(marker)) return elapsed(started);
      if (elapsed(started) > 60_000) return undefined;
      await nextEvent(250);
    }
  };
  try {
    await save(`Warm-up save at ${Date.now()}.`, 2000);
    const samples = [];
    let missed = 0;
    for (let i = 0; i < saves; i++) {
      await settle();
      const ms = await save(`Saved for serve run ${i + 1} at ${Date.now()}.`);
      if (ms === undefined) missed++;
      else samples.push(ms);
      log(i, ms);
    }
    return { samples, missed };
  } finally {
    events.abort();
  }
}

/** Start → first page: ms from spawning `serve` to the home page answering. */
export async function measureStart(site, { checkout = projectRoot, isCacheEmpty }) {
  if (isCacheEmpty) fs.rmSync(path.join(site, 'node_modules', '.cache', 'blogbuild'), { recursive: true, force: true });
  const { child, url, started } = await startServer(site, checkout);
  try {
    await firstPage(url);
    // CPU time tells what a start costs on a machine shared with other work, where wall time tells little.
    return { ms: elapsed(started), cpuMs: cpuMs(child.pid), rssMiB: peakRssMiB(child.pid) };
  } finally {
    await stop(child);
  }
}

/**
 * One session with an empty cache: the first page, the background build to its end, then `saves` saves of `target`
 * (each timed from the write to the page having the new sentence). Resolves with the save times and the peak RSS.
 */
export async function measureSession(site, target, { checkout = projectRoot, saves = 5 }) {
  fs.rmSync(path.join(site, 'node_modules', '.cache', 'blogbuild'), { recursive: true, force: true });
  const original = fs.readFileSync(target, 'utf8');
  const { child, url } = await startServer(site, checkout);
  try {
    await firstPage(url);
    await quiet(child.pid);
    const { samples } = await timeSaves(url, target, original, { saves, settle: () => quiet(child.pid) });
    return { saves: samples, rssMiB: peakRssMiB(child.pid) };
  } finally {
    fs.writeFileSync(target, original);
    await stop(child);
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);
const range = (values) => (values.length === 0 ? 'not measured' : `${fmt(median(values))} (${fmt(Math.min(...values))}–${fmt(Math.max(...values))})`);

/** Runs every serve case on `site` (a bench corpus); resolves with the report's table rows. */
export async function benchServe(site, posts, { runs = 3, saves = 5, checkout = projectRoot, log = () => {} } = {}) {
  const target = path.join(site, 'posts', `post-${String(Math.floor(posts / 2)).padStart(5, '0')}.md`);
  const result = { empty: [], emptyCpu: [], warm: [], warmCpu: [], saves: [], rssMiB: 0 };
  for (let i = 0; i < runs; i++) {
    const start = await measureStart(site, { checkout, isCacheEmpty: true });
    result.empty.push(start.ms);
    result.emptyCpu.push(start.cpuMs);
    log(`  serve start, empty cache #${i + 1}: ${fmt(start.ms)} (CPU ${fmt(start.cpuMs)})`);
  }
  const session = await measureSession(site, target, { checkout, saves });
  result.saves = session.saves;
  result.rssMiB = session.rssMiB;
  log(`  serve session: saves ${session.saves.map(fmt).join(', ')}; peak RSS ${Math.round(session.rssMiB)} MiB`);
  // The session saved the cache when its background build ended (a quiet second later).
  for (let i = 0; i < runs; i++) {
    const start = await measureStart(site, { checkout, isCacheEmpty: false });
    result.warm.push(start.ms);
    result.warmCpu.push(start.cpuMs);
    log(`  serve start, warm cache #${i + 1}: ${fmt(start.ms)} (CPU ${fmt(start.cpuMs)})`);
  }
  return result;
}

/** The report rows for one checkout's results. */
export function serveRows(label, result, posts) {
  const is10k = posts === 10000;
  const mark = (value, limit) => (is10k ? (value <= limit ? ' ✅' : ' ❌') : '');
  return [
    `| ${label}: serve start → home page, empty cache | ${is10k ? '≤ 1 s' : '—'} | ${range(result.empty)}${mark(median(result.empty), 1000)} | ${range(result.emptyCpu ?? [])} |`,
    `| ${label}: serve start → home page, warm cache | ${is10k ? '≤ 1 s' : '—'} | ${range(result.warm)}${mark(median(result.warm), 1000)} | ${range(result.warmCpu ?? [])} |`,
    `| ${label}: serve save → page updated (${result.saves.length} saves) | ${is10k ? '≤ 150 ms' : '—'} | ${range(result.saves)}${result.saves.length ? mark(median(result.saves), 150) : ''} | |`,
    `| ${label}: serve peak RSS (empty cache, background build, saves) | ${is10k ? '≤ 600 MiB' : '—'} | ${Math.round(result.rssMiB)} MiB${mark(result.rssMiB, 600)} | |`,
  ];
}

async function main() {
  const args = { posts: 1000, runs: 3, saves: 5, checkout: projectRoot, before: undefined };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--posts') args.posts = Number(argv[++i]);
    else if (argv[i] === '--runs') args.runs = Number(argv[++i]);
    else if (argv[i] === '--saves') args.saves = Number(argv[++i]);
    else if (argv[i] === '--before') args.before = path.resolve(argv[++i]);
    else if (argv[i] === '--checkout') args.checkout = path.resolve(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}; usage: node scripts/bench-serve.js [--posts N] [--runs R] [--saves S] [--before <checkout>] [--checkout <checkout>]`);
  }
  const { generateSite } = await import('./bench.js');
  const site = path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), `blogbuild-bench-serve-${args.posts}-${process.pid}`);
  const log = (line) => process.stderr.write(`${line}\n`);
  log(`corpus: ${args.posts} posts in ${site}; load average ${os.loadavg().map((n) => n.toFixed(2)).join(' ')}`);
  generateSite(site, args.posts, {});
  try {
    const rows = ['| case | target | wall time, median (min–max) | CPU time of serve (all threads), median (min–max) |', '|---|---|---|---|'];
    if (args.before) rows.push(...serveRows('before', await benchServe(site, args.posts, { ...args, checkout: args.before, log }), args.posts));
    rows.push(...serveRows('now', await benchServe(site, args.posts, { ...args, log }), args.posts));
    log(`load average at the end ${os.loadavg().map((n) => n.toFixed(2)).join(' ')}`);
    process.stdout.write(`${rows.join('\n')}\n`);
  } finally {
    fs.rmSync(site, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((cause) => {
    process.stderr.write(`bench-serve failed: ${cause.stack ?? cause}\n`);
    process.exitCode = 1;
  });
}
