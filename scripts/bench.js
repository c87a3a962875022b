#!/usr/bin/env node
// `npm run bench [-- --posts 10000] [--runs 5] [--profile] [--no-write] [--no-highlight]`
//
// Generates a deterministic corpus of seed-like posts, then times `blogbuild build --quiet` in child
// processes: a cold build (no cache, no previous output), a no-change rebuild and a one-post-edited rebuild.
// Reports medians with min–max, peak RSS of the build process and µs per post, and writes the table into
// BENCHMARKS.md between `<!-- bench:N -->` markers (the prose around them is kept).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { version } from '../lib/index.js';
import { serveRows, timeSaves } from './bench-serve.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(projectRoot, 'bin', 'blogbuild.js');

// ---------------------------------------------------------------------------------------------- arguments

function parseArgs(argv) {
  const args = { posts: 1000, runs: undefined, tagsPerPost: 0, profile: false, write: true, keep: false, serve: true, serveSaves: 10, highlight: true, reference: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--posts') args.posts = Number(value());
    else if (a === '--runs') args.runs = Number(value());
    else if (a === '--tags-per-post') args.tagsPerPost = Number(value());
    else if (a === '--profile') args.profile = true;
    else if (a === '--no-write') args.write = false;
    else if (a === '--keep') args.keep = true;
    else if (a === '--no-serve') args.serve = false;
    else if (a === '--no-highlight') args.highlight = false;
    else if (a === '--no-reference') args.reference = false;
    else if (a === '--serve-saves') args.serveSaves = Number(value());
    else if (a === '--help' || a === '-h') {
      console.log('usage: node scripts/bench.js [--posts N] [--runs R] [--tags-per-post K] [--profile] [--no-write] [--keep] [--no-serve] [--serve-saves S] [--no-highlight] [--no-reference]');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isInteger(args.posts) || args.posts < 1) throw new Error('--posts must be a positive integer');
  args.runs ??= args.posts >= 5000 ? 3 : 5;
  return args;
}

// ------------------------------------------------------------------------------------------------ corpus

/** mulberry32: a small seeded PRNG, so the corpus is the same on every machine. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const vocabulary = (
  'the a of and to in is that it for on with as was at by this be from or have an they which one you were ' +
  'flour water salt yeast dough loaf crumb crust oven starter levain rye wheat spelt butter sugar honey milk ' +
  'morning evening night kitchen bakery counter table shelf window street market customer neighbour friend ' +
  'slowly quickly gently carefully always never often sometimes usually rarely warm cold fresh golden soft ' +
  'bake knead fold shape proof rise rest cool slice taste share mix weigh measure feed wait watch smell ' +
  'recipe method trick secret habit schedule timetable season summer winter spring autumn holiday weekend ' +
  'small large little long short simple careful patient curious bright quiet busy early late open closed ' +
  'because although while after before during until since whenever unless however therefore meanwhile ' +
  'bread pastry croissant baguette brioche focaccia bagel muffin scone cake tart pie cookie biscuit roll'
).split(' ');
const emoji = ['🍞', '🥐', '🥖', '🥯', '🧈', '🍯', '☕', '🌾', '🔥', '⏰', '✅', '💡', '🎉', '📦', '🧂'];
const tagNames = Array.from({ length: 60 }, (_, i) => {
  const stems = ['sourdough', 'baking', 'recipes', 'news', 'events', 'behind the scenes', 'tips', 'equipment', 'flour', 'seasonal'];
  return `${stems[i % stems.length]} ${Math.floor(i / stems.length) + 1}`;
});
const languages = ['js', 'python', 'bash', 'json', 'yaml', 'css'];

/** Builds one post (front matter + ~800 words of markdown) from its index; deterministic. */
function generatePost(index, options = {}) {
  const random = rng(0x9e3779b9 ^ (index * 2654435761));
  const pick = (list) => list[Math.floor(random() * list.length)];
  const int = (min, max) => min + Math.floor(random() * (max - min + 1));
  const words = (n) => Array.from({ length: n }, () => pick(vocabulary)).join(' ');
  const sentence = () => {
    const s = words(int(8, 16));
    return `${s[0].toUpperCase()}${s.slice(1)}.`;
  };
  const paragraph = () => {
    const parts = [];
    const n = int(3, 5);
    for (let i = 0; i < n; i++) {
      let s = sentence();
      const r = random();
      if (r < 0.2) s = s.replace(/ (\w+) (\w+)/, ' [$1 $2](https://example.com/' + pick(vocabulary) + '/' + int(1, 999) + ')');
      else if (r < 0.35) s = s.replace(/ (\w+)/, ' **$1**');
      else if (r < 0.45) s = s.replace(/ (\w+)/, ' `$1()`');
      else if (r < 0.5) s = s.replace(/ (\w+)/, ' [$1](/posts/post-' + int(0, 999) + '/)');
      parts.push(s);
    }
    return parts.join(' ');
  };
  const title = `${pick(vocabulary)} ${pick(vocabulary)} ${pick(vocabulary)} number ${index}`.replace(/^\w/, (c) => c.toUpperCase());
  const day = new Date(Date.UTC(2015, 0, 1) + index * 86400000 * 0.75);
  const date = day.toISOString().slice(0, 10);
  const tagCount = options.tagsPerPost || int(1, 4);
  const tags = new Set();
  while (tags.size < tagCount) tags.add(pick(tagNames));

  const blocks = [paragraph(), paragraph()];
  if (index % 5 === 0) blocks.push('<!-- more -->');
  blocks.push(`## ${words(int(2, 5))}`, paragraph(), paragraph());
  blocks.push(Array.from({ length: int(3, 6) }, () => `- ${pick(emoji)} ${words(int(3, 9))}`).join('\n'));
  blocks.push(`## ${words(int(2, 5))}`, paragraph());
  const columns = int(3, 4);
  const row = () => `| ${Array.from({ length: columns }, () => words(int(1, 3))).join(' | ')} |`;
  blocks.push([row(), `| ${Array.from({ length: columns }, () => '---').join(' | ')} |`, ...Array.from({ length: int(3, 6) }, row)].join('\n'));
  blocks.push(paragraph(), paragraph());
  if (index % 3 === 0) {
    const lang = pick(languages);
    const lines = Array.from({ length: int(5, 14) }, () => `  ${pick(vocabulary)}_${int(1, 99)} = ${pick(vocabulary)}(${int(0, 9)}); // ${words(3)}`);
    blocks.push('```' + lang + '\nfunction ' + pick(vocabulary) + '() {\n' + lines.join('\n') + '\n}\n```');
  }
  blocks.push(`### ${words(int(2, 4))}`, paragraph());
  blocks.push(Array.from({ length: int(3, 5) }, (_, i) => `${i + 1}. ${words(int(4, 10))}`).join('\n'));
  blocks.push(`> ${sentence()} ${sentence()}`, paragraph(), paragraph(), paragraph());
  while (blocks.join(' ').split(/\s+/).length < 780) blocks.push(paragraph());

  const front = ['---', `title: "${title}"`, `date: ${date}`, 'tags:', ...[...tags].map((t) => `  - ${t}`)];
  if (index % 4 === 0) front.push(`description: "${sentence()}"`);
  if (index % 7 === 0) front.push('readTime: 4');
  front.push('---', '');
  return `${front.join('\n')}${blocks.join('\n\n')}\n`;
}

function generateSite(dir, count, options) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'posts'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'blogbuild.config.json'),
    `${JSON.stringify({ title: 'Bench Blog', description: 'A generated blog for benchmarks.', url: 'https://example.org/blog/', author: 'bench', postsPerPage: 10, ...(options.highlight === false ? { markdown: { highlight: false } } : {}) }, null, 2)}\n`,
  );
  let bytes = 0;
  let wordsTotal = 0;
  for (let i = 0; i < count; i++) {
    const text = generatePost(i, options);
    bytes += Buffer.byteLength(text);
    wordsTotal += text.split(/\s+/).length;
    fs.writeFileSync(path.join(dir, 'posts', `post-${String(i).padStart(5, '0')}.md`), text);
  }
  return { bytes, words: Math.round(wordsTotal / count) };
}

// ------------------------------------------------------------------------------------------------ runner

const timeBinary = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Runs `blogbuild build` in `site`; returns wall time (ms) and the build process's peak RSS (KiB). */
function runBuild(site, extraArgs = [], nodeArgs = []) {
  return runNode(site, [cli, 'build', '--quiet', ...extraArgs], nodeArgs);
}

/**
 * Runs `node <script> <args>` in `site`; returns wall time (ms), CPU time (ms) and peak RSS (KiB). `tag` names the
 * report file, for processes run at once in one site.
 */
function runNode(site, scriptArgs, nodeArgs = [], tag = '') {
  const rssFile = path.join(site, `.rss${tag}`);
  fs.rmSync(rssFile, { force: true });
  let command;
  let args;
  if (timeBinary) {
    command = timeBinary;
    args = ['-v', '-o', rssFile, process.execPath, ...nodeArgs, ...scriptArgs];
  } else {
    // No GNU time: a wrapper reports the process's own maxRSS when it exits (the CLI only).
    if (scriptArgs[0] !== cli) throw new Error('the reference case needs GNU time (/usr/bin/time)');
    const extraArgs = scriptArgs.slice(3);
    const wrapper = path.join(site, '.rss-wrapper.mjs');
    fs.writeFileSync(
      wrapper,
      `import fs from 'node:fs';\nprocess.on('exit', () => fs.writeFileSync(${JSON.stringify(rssFile)}, 'Maximum resident set size (kbytes): ' + process.resourceUsage().maxRSS));\n` +
        `const { main } = await import(${JSON.stringify(new URL('../lib/cli/index.js', import.meta.url).href)});\nawait main(process.argv);\n`,
    );
    command = process.execPath;
    args = [...nodeArgs, wrapper, 'build', '--quiet', ...extraArgs];
  }
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { cwd: site, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CI: '1' } });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0) return reject(new Error(`build exited ${code}:\n${stderr}`));
      const report = fs.existsSync(rssFile) ? fs.readFileSync(rssFile, 'utf8') : '';
      const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(report)?.[1] ?? NaN);
      const seconds = (label) => Number(new RegExp(`${label} time \\(seconds\\): ([\\d.]+)`).exec(report)?.[1] ?? NaN);
      resolve({ ms, rssKiB: rss, cpuMs: (seconds('User') + seconds('System')) * 1000 });
    });
  });
}

/** Path → "inode:mtime" of every file under dir, to count files a build rewrote. */
function snapshot(dir) {
  const result = new Map();
  const walk = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const s = fs.statSync(full, { bigint: true });
        result.set(path.relative(dir, full), `${s.ino}:${s.mtimeNs}`);
      }
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return result;
}

function changedFiles(before, after) {
  let changed = 0;
  for (const [file, stamp] of after) if (before.get(file) !== stamp) changed++;
  return changed;
}

const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function summarise(samples) {
  const ms = samples.map((s) => s.ms);
  const rss = samples.map((s) => s.rssKiB).filter(Number.isFinite);
  const cpu = samples.map((s) => s.cpuMs).filter(Number.isFinite);
  return { median: median(ms), min: Math.min(...ms), max: Math.max(...ms), rssMiB: rss.length ? Math.max(...rss) / 1024 : NaN, cpuMs: cpu.length ? median(cpu) : NaN, runs: ms.length };
}

// ----------------------------------------------------------------------------------------------- serving

/** Median time from saving a post to the in-process dev server serving its updated page, over `saves` saves. */
async function measureServe(site, target, original, saves, log) {
  const { serve } = await import('../lib/dev/serve.js');
  const handle = await serve({ root: site, port: 0 });
  try {
    await handle.idle();
    const settle = async () => {
      await handle.idle();
      await new Promise((resolve) => setTimeout(resolve, 150));
    };
    const report = (i, ms) => log(`  serve save #${i + 1}: ${ms === undefined ? 'not picked up within 60 s' : fmtS(ms)}`);
    const { samples, missed } = await timeSaves(handle.url, target, original, { saves, settle, log: report });
    if (samples.length === 0) throw new Error('serve: no save was picked up');
    return { ...summarise(samples.map((ms) => ({ ms }))), missed };
  } finally {
    await handle.close();
  }
}

// ------------------------------------------------------------------------------------------ reference case

const pipelineScript = path.join(projectRoot, 'scripts', 'pipeline-reference.js');

/**
 * One run of each reference case (scripts/pipeline-reference.js): the markdown pipeline alone over the same posts
 * in one thread, bare (gray-matter + remark-parse → remark-gfm → remark-rehype → rehype-stringify) and with
 * blogbuild's own steps (highlighting, anchors, excerpts…), in child processes like the builds.
 */
async function measureReference(site, samples, log) {
  for (const mode of ['bare', 'ours']) {
    samples[mode].push(await runNode(site, [pipelineScript, site, mode]));
    log(`  pipeline ${mode} #${samples[mode].length}: ${fmtS(samples[mode].at(-1).ms)}, ${fmtS(samples[mode].at(-1).cpuMs)} CPU`);
  }
}

/**
 * The reference rows: each pipeline's wall and CPU time, and the cold build's wall time against the pipeline's
 * CPU time spread over the cores (the issue's floor: ≤ 1.15×).
 */
function referenceRows(results, cores) {
  const { bare, ours } = results.reference;
  const floor = (s) => s.cpuMs / cores;
  const ratio = (s) => results.cold.median / floor(s);
  const mark = (s) => (ratio(s) <= 1.15 ? ' ✅' : ' ❌');
  return [
    `| reference: the pipeline alone, bare (gray-matter + remark-parse → remark-gfm → remark-rehype → rehype-stringify, one thread, one file a post, no templates) | — | ${fmtRange(bare)} | | ${fmtCpu(bare)} | ${Math.round(bare.rssMiB)} MiB | |`,
    `| reference: the pipeline with blogbuild's default steps (highlighting, anchors, excerpts, tag filter…), one thread | — | ${fmtRange(ours)} | | ${fmtCpu(ours)} | ${Math.round(ours.rssMiB)} MiB | |`,
    `| cold build's wall ÷ (bare pipeline's CPU ÷ ${cores} cores = ${fmtS(floor(bare))}) | ≤ 1.15× | ${ratio(bare).toFixed(2)}×${mark(bare)} | | | | |`,
    `| cold build's wall ÷ (pipeline with default steps' CPU ÷ ${cores} cores = ${fmtS(floor(ours))}) | ≤ 1.15× | ${ratio(ours).toFixed(2)}×${mark(ours)} | | | | |`,
    // Wall times mean little on a loaded machine; CPU times less so: what the build adds to the pipeline's work.
    `| cold build's CPU ÷ pipeline's CPU (bare / with default steps) | — | ${(results.cold.cpuMs / bare.cpuMs).toFixed(2)}× / ${(results.cold.cpuMs / ours.cpuMs).toFixed(2)}× | | | | |`,
  ];
}

// --------------------------------------------------------------------------------------------- profiling

/** Aggregates .cpuprofile files: self time by package (or blogbuild module) and by function. */
function summariseProfiles(dir) {
  const byGroup = new Map();
  const byFunction = new Map();
  let total = 0;
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map();
    for (let i = 0; i < profile.samples.length; i++) {
      const dt = profile.timeDeltas[i] ?? 0;
      self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
    }
    for (const [id, us] of self) {
      const frame = nodes.get(id).callFrame;
      total += us;
      const url = frame.url || '';
      let group;
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
      if (pkg) group = pkg[1];
      else if (url.includes('/lib/')) group = `blogbuild ${url.slice(url.lastIndexOf('/lib/') + 5)}`;
      else if (url.startsWith('node:')) group = 'node internals';
      else group = frame.functionName ? `(${frame.functionName})` : '(native/idle)';
      byGroup.set(group, (byGroup.get(group) ?? 0) + us);
      const fn = `${frame.functionName || '(anonymous)'} ${pkg ? pkg[1] : url.split('/').slice(-2).join('/')}`;
      byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    }
  }
  const top = (map, n) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, us]) => ({ name: k, ms: us / 1000, share: us / total }));
  return { totalMs: total / 1000, groups: top(byGroup, 15), functions: top(byFunction, 15) };
}

// ------------------------------------------------------------------------------------------------- main

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    parallelism: os.availableParallelism?.() ?? cpus.length,
    memoryGiB: os.totalmem() / 2 ** 30,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    load: os.loadavg().map((l) => l.toFixed(2)).join(' '),
  };
}

const fmtS = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);
const fmtCpu = (s) => (Number.isFinite(s.cpuMs) ? fmtS(s.cpuMs) : '—');
const fmtRange = (s) => `${fmtS(s.median)} (${fmtS(s.min)}–${fmtS(s.max)})`;

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const base = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
  // One folder per run (process id), so two benchmarks on a shared machine never write over each other's site.
  const site = path.join(base, `blogbuild-bench-${args.posts}${args.tagsPerPost ? `x${args.tagsPerPost}` : ''}-${process.pid}`);
  const dist = path.join(site, 'dist');
  const cacheDir = path.join(site, 'node_modules', '.cache', 'blogbuild');
  const m = machine();
  const log = (line) => process.stderr.write(`${line}\n`);

  log(`corpus: ${args.posts} posts in ${site}`);
  const corpus = generateSite(site, args.posts, { tagsPerPost: args.tagsPerPost, highlight: args.highlight });
  log(`  ${(corpus.bytes / 2 ** 20).toFixed(1)} MiB of markdown, ~${corpus.words} words a post`);

  const results = {};
  const writes = {};

  // Cold: no cache, no previous output; each run followed by the reference case (the pipeline alone), so both see
  // the same machine state.
  const cold = [];
  const reference = args.reference ? { bare: [], ours: [] } : undefined;
  for (let i = 0; i < args.runs; i++) {
    fs.rmSync(dist, { recursive: true, force: true });
    fs.rmSync(cacheDir, { recursive: true, force: true });
    cold.push(await runBuild(site));
    log(`  cold #${i + 1}: ${fmtS(cold.at(-1).ms)}, ${fmtS(cold.at(-1).cpuMs)} CPU, ${Math.round(cold.at(-1).rssKiB / 1024)} MiB`);
    if (reference) await measureReference(site, reference, log);
  }
  results.cold = summarise(cold);
  if (reference) results.reference = { bare: summarise(reference.bare), ours: summarise(reference.ours) };
  const outputFiles = snapshot(dist).size;

  // --no-cache with a previous output: every post rendered, only changed files written.
  const noCache = [];
  for (let i = 0; i < Math.min(args.runs, 3); i++) {
    noCache.push(await runBuild(site, ['--no-cache']));
    log(`  --no-cache #${i + 1}: ${fmtS(noCache.at(-1).ms)}`);
  }
  results.noCache = summarise(noCache);

  // No-change rebuild: cache warm, output unchanged.
  await runBuild(site);
  const unchanged = [];
  let rewritten = 0;
  for (let i = 0; i < args.runs; i++) {
    const before = snapshot(dist);
    unchanged.push(await runBuild(site));
    rewritten = Math.max(rewritten, changedFiles(before, snapshot(dist)));
    log(`  no-change #${i + 1}: ${fmtS(unchanged.at(-1).ms)}`);
  }
  results.unchanged = summarise(unchanged);
  writes.unchanged = rewritten;

  // One post edited: a sentence appended to one post's body each run.
  const edited = [];
  const target = path.join(site, 'posts', `post-${String(Math.floor(args.posts / 2)).padStart(5, '0')}.md`);
  const original = fs.readFileSync(target, 'utf8');
  let editWrites = 0;
  for (let i = 0; i < args.runs; i++) {
    fs.writeFileSync(target, `${original}\nEdited for run ${i + 1}.\n`);
    const before = snapshot(dist);
    edited.push(await runBuild(site));
    editWrites = Math.max(editWrites, changedFiles(before, snapshot(dist)));
    log(`  one-edit #${i + 1}: ${fmtS(edited.at(-1).ms)}`);
  }
  fs.writeFileSync(target, original);
  results.edited = summarise(edited);
  writes.edited = editWrites;

  // serve: save → page updated. The dev server runs in this process (as `blogbuild serve` would, with its
  // default debounce); each save appends a sentence to one post, and the time until the server returns the
  // post's page with that sentence is measured: the page is fetched after each live-reload event, as a browser does.
  if (args.serve) {
    results.serve = await measureServe(site, target, original, args.serveSaves, log);
    fs.writeFileSync(target, original);
    // Issue 15's dev-server cases in child processes (start → home page, save → page updated, peak RSS): bench-serve.js.
    results.serveStart = await (await import('./bench-serve.js')).benchServe(site, args.posts, { runs: Math.min(args.runs, 3), saves: args.serveSaves, log });
  }

  let profile;
  if (args.profile) {
    const profDir = path.join(site, '.profile');
    fs.rmSync(profDir, { recursive: true, force: true });
    fs.rmSync(cacheDir, { recursive: true, force: true });
    fs.rmSync(dist, { recursive: true, force: true });
    await runBuild(site, [], ['--cpu-prof', `--cpu-prof-dir=${profDir}`]);
    profile = { cold: summariseProfiles(profDir) };
    fs.rmSync(profDir, { recursive: true, force: true });
    await runBuild(site, [], ['--cpu-prof', `--cpu-prof-dir=${profDir}`]);
    profile.unchanged = summariseProfiles(profDir);
    log(`profile written to ${profDir}`);
  }

  const report = renderReport({ args, m, corpus, results, writes, outputFiles, profile, cacheDir });
  process.stdout.write(`${report}\n`);
  if (args.write) writeBenchmarks(args.posts + (args.tagsPerPost ? `x${args.tagsPerPost}` : ''), report);
  if (!args.keep) fs.rmSync(site, { recursive: true, force: true });
}

// Issue 15: repeated builds; the cold build's target is against the reference case (see referenceRows).
const targets = {
  1000: { cold: '≤ 4.5 s', unchanged: '≤ 0.2 s', edited: '≤ 0.3 s', rss: '≤ 250 MiB' },
  10000: { cold: '≤ 45 s', unchanged: '≤ 1 s', edited: '≤ 1.2 s', rss: '≤ 600 MiB' },
};

function renderReport({ args, m, corpus, results, writes, outputFiles, profile }) {
  const t = targets[args.posts] ?? {};
  const perPost = (s) => `${Math.round((s.median * 1000) / args.posts)} µs`;
  const meets = (s, limit) => {
    if (!limit) return '';
    const n = Number(/[\d.]+/.exec(limit)[0]);
    const value = limit.includes('MiB') ? s : s / 1000;
    return value <= n ? ' ✅' : ' ❌';
  };
  const peak = Math.max(results.cold.rssMiB, results.noCache.rssMiB, results.unchanged.rssMiB, results.edited.rssMiB);
  const lines = [
    `### ${args.posts.toLocaleString('en')} posts${args.tagsPerPost ? ` × ${args.tagsPerPost} tags` : ''}`,
    '',
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC with blogbuild ${version}: ${m.cpu}, ${m.cores} cores ` +
      `(availableParallelism ${m.parallelism}), ${m.memoryGiB.toFixed(0)} GiB, Node ${m.node}, ${m.os}; load average at start ${m.load}. ` +
      `Corpus: ${args.posts} posts, ~${corpus.words} words each, ${(corpus.bytes / 2 ** 20).toFixed(1)} MiB of markdown; ${outputFiles} output files; code highlighting ${args.highlight ? 'on' : 'off (--no-highlight)'}. ` +
      `Site folder on ${fs.existsSync('/dev/shm') ? 'tmpfs (/dev/shm)' : 'the temp folder'}. Each figure is the wall time of ` +
      `\`node bin/blogbuild.js build --quiet\` in a child process (Node start-up included), median (min–max) of ${args.runs} runs; ` +
      `RSS is the build process's peak (${timeBinary ? '/usr/bin/time -v' : 'process.resourceUsage().maxRSS'}).`,
    '',
    '| case | target | wall time, median (min–max) | µs per post | CPU time (user+sys), median | peak RSS | files rewritten |',
    '|---|---|---|---|---|---|---|',
    `| cold build (empty cache, no previous output) | ${t.cold ?? '—'} | ${fmtRange(results.cold)}${meets(results.cold.median, t.cold)} | ${perPost(results.cold)} | ${fmtCpu(results.cold)} | ${Math.round(results.cold.rssMiB)} MiB | all ${outputFiles} |`,
    ...(results.reference ? referenceRows(results, m.parallelism) : []),
    `| \`--no-cache\` rebuild (every post rendered, previous output kept) | — | ${fmtRange(results.noCache)} | ${perPost(results.noCache)} | ${fmtCpu(results.noCache)} | ${Math.round(results.noCache.rssMiB)} MiB | |`,
    `| no-change rebuild | ${t.unchanged ?? '—'} | ${fmtRange(results.unchanged)}${meets(results.unchanged.median, t.unchanged)} | ${perPost(results.unchanged)} | ${fmtCpu(results.unchanged)} | ${Math.round(results.unchanged.rssMiB)} MiB | ${writes.unchanged} |`,
    `| one post edited | ${t.edited ?? '—'} | ${fmtRange(results.edited)}${meets(results.edited.median, t.edited)} | ${perPost(results.edited)} | ${fmtCpu(results.edited)} | ${Math.round(results.edited.rssMiB)} MiB | ${writes.edited} |`,
    `| peak RSS, any case | ${t.rss ?? '—'} | ${Math.round(peak)} MiB${meets(peak, t.rss)} | | | | |`,
    results.serve
      ? `| serve: save → page updated (in-process dev server, ${results.serve.runs} saves${results.serve.missed ? `; ${results.serve.missed} not picked up by the watcher` : ''}) | ${args.posts === 1000 ? '≤ 150 ms' : '—'} | ${fmtRange(results.serve)}${args.posts === 1000 ? meets(results.serve.median, '≤ 0.15 s') : ''} | | | | |`
      : '| serve: save → page updated | ≤ 150 ms (1,000 posts) | not measured (--no-serve) | | | | |',
  ];
  if (results.serveStart) lines.push('', '`blogbuild serve` in a child process (scripts/bench-serve.js):', '', ...serveTable(results.serveStart, args.posts));
  if (profile) {
    for (const [name, p] of Object.entries(profile)) {
      lines.push('', `CPU profile of one ${name === 'cold' ? 'cold' : 'no-change'} build (all threads, ${Math.round(p.totalMs)} ms of samples), self time by package:`, '');
      lines.push('| package / module | self time | share |', '|---|---|---|');
      for (const g of p.groups) lines.push(`| ${g.name} | ${Math.round(g.ms)} ms | ${(g.share * 100).toFixed(1)} % |`);
      lines.push('', 'Top functions by self time:', '', '| function | self time | share |', '|---|---|---|');
      for (const f of p.functions) lines.push(`| \`${f.name.replace(/\|/g, '\\|')}\` | ${Math.round(f.ms)} ms | ${(f.share * 100).toFixed(1)} % |`);
    }
  }
  return lines.join('\n');
}

/** The dev server's rows (see bench-serve.js), as their own table. */
function serveTable(result, posts) {
  return ['| case | target | wall time, median (min–max) | CPU time of serve (all threads), median (min–max) |', '|---|---|---|---|', ...serveRows('now', result, posts)];
}

function writeBenchmarks(key, report) {
  const file = path.join(projectRoot, 'BENCHMARKS.md');
  const start = `<!-- bench:${key} start -->`;
  const end = `<!-- bench:${key} end -->`;
  let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n\n';
  const block = `${start}\n${report}\n${end}`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i >= 0 && j > i) text = text.slice(0, i) + block + text.slice(j + end.length);
  else text = `${text.trimEnd()}\n\n${block}\n`;
  fs.writeFileSync(file, text);
  process.stderr.write(`wrote ${path.relative(process.cwd(), file)}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((cause) => {
    process.stderr.write(`bench failed: ${cause.stack ?? cause}\n`);
    process.exitCode = 1;
  });
}

export { fmtRange, fmtS, generatePost, generateSite, median, runNode, summarise };
