#!/usr/bin/env node
// `node scripts/bench-compare.js --before <checkout> [--posts N] [--rounds R] [--cases cold,rebuild] [--out file.json] [--fresh]
//   [--work dir] [--no-pipeline]`
//
// This checkout against another (e.g. a worktree of the code before a change, with `npm ci` run in it), build by
// build in the same minutes: each round runs the case with each checkout in turn, the order alternating between
// rounds, on two copies of the `npm run bench` corpus in /dev/shm (`blogbuild-compare-<N>-<before|after>`, kept
// between runs so a 10,000-post cache built once serves later rebuild rounds; --fresh makes them again; --work puts
// them in another folder, so that two people benchmarking on one machine do not build in each other's copies).
// - cold: no cache, no output; after both checkouts, the pipeline alone (scripts/pipeline-reference.js, bare and
//   with blogbuild's default steps) once a round, unless --no-pipeline, and the bare pipeline split over as many
//   processes as there are cores, run at once (each renders every n-th post): the wall time a parallel build could
//   reach at best on this machine, since two threads at once each run slower than one alone;
// - rebuild: a no-change build, then a build with one post edited (a sentence appended), per checkout per round,
//   after an unmeasured warm-up build.
// Prints a markdown table (median, min–max of wall and CPU time, peak RSS) and writes every sample to --out as JSON.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmtS, generateSite, runNode, summarise } from './bench.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pipelineScript = path.join(projectRoot, 'scripts', 'pipeline-reference.js');

function parseArgs(argv) {
  const args = { before: undefined, posts: 1000, rounds: 3, cases: ['cold', 'rebuild'], out: undefined, fresh: false, work: undefined, pipeline: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => argv[++i] ?? (() => { throw new Error(`${a} needs a value`); })();
    if (a === '--before') args.before = path.resolve(value());
    else if (a === '--posts') args.posts = Number(value());
    else if (a === '--rounds') args.rounds = Number(value());
    else if (a === '--cases') args.cases = value().split(',');
    else if (a === '--out') args.out = path.resolve(value());
    else if (a === '--fresh') args.fresh = true;
    else if (a === '--work') args.work = path.resolve(value());
    else if (a === '--no-pipeline') args.pipeline = false;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!args.before) throw new Error('--before <checkout> is required');
  return args;
}

const log = (line) => process.stderr.write(`${line}\n`);

/** The corpus for one checkout: made once (or with --fresh), copied from the other checkout's when there is one. */
function siteFor(name, args, other) {
  const site = path.join(args.work ?? (fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir()), `blogbuild-compare-${args.posts}-${name}`);
  if (!args.fresh && fs.existsSync(path.join(site, 'posts'))) return site;
  fs.rmSync(site, { recursive: true, force: true });
  if (other && fs.existsSync(path.join(other, 'posts'))) {
    fs.mkdirSync(site);
    for (const entry of ['posts', 'blogbuild.config.json']) fs.cpSync(path.join(other, entry), path.join(site, entry), { recursive: true });
  } else generateSite(site, args.posts, {});
  return site;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const before = { name: 'before', bin: path.join(args.before, 'bin', 'blogbuild.js') };
  const after = { name: 'after', bin: path.join(projectRoot, 'bin', 'blogbuild.js') };
  before.site = siteFor('before', args);
  after.site = siteFor('after', args, before.site);
  const samples = { before: { cold: [], unchanged: [], edited: [] }, after: { cold: [], unchanged: [], edited: [] }, bare: [], ours: [], split: [] };
  const build = async (tree) => runNode(tree.site, [tree.bin, 'build', '--quiet']);
  const order = (round) => (round % 2 === 0 ? [before, after] : [after, before]);
  const loads = [os.loadavg()[0]];
  log(`${args.posts} posts; before ${args.before} (${commitOf(args.before)}), after ${projectRoot} (${commitOf(projectRoot)}); load ${os.loadavg().join(' ')}`);

  if (args.cases.includes('cold')) {
    for (let round = 0; round < args.rounds; round++) {
      for (const tree of order(round)) {
        fs.rmSync(path.join(tree.site, 'dist'), { recursive: true, force: true });
        fs.rmSync(path.join(tree.site, 'node_modules'), { recursive: true, force: true });
        samples[tree.name].cold.push(await build(tree));
        log(`  cold ${tree.name} #${round + 1}: ${fmtS(samples[tree.name].cold.at(-1).ms)}, ${fmtS(samples[tree.name].cold.at(-1).cpuMs)} CPU`);
      }
      for (const mode of args.pipeline ? ['bare', 'ours'] : []) {
        samples[mode].push(await runNode(after.site, [pipelineScript, after.site, mode]));
        log(`  pipeline ${mode} #${round + 1}: ${fmtS(samples[mode].at(-1).ms)}, ${fmtS(samples[mode].at(-1).cpuMs)} CPU`);
      }
      if (args.pipeline) {
        samples.split.push(await runSplit(after.site, cores));
        log(`  pipeline bare split over ${cores} processes #${round + 1}: ${fmtS(samples.split.at(-1).ms)}, ${fmtS(samples.split.at(-1).cpuMs)} CPU`);
      }
      loads.push(os.loadavg()[0]);
    }
  }

  if (args.cases.includes('rebuild')) {
    const target = (tree) => path.join(tree.site, 'posts', `post-${String(Math.floor(args.posts / 2)).padStart(5, '0')}.md`);
    const originals = new Map([before, after].map((tree) => [tree, fs.readFileSync(target(tree), 'utf8')]));
    // Warm-up: the first build may be a cold one (no cache yet, or a cache of other code).
    for (const tree of [before, after]) for (let i = 0; i < 2; i++) await build(tree);
    try {
      for (let round = 0; round < args.rounds; round++) {
        for (const tree of order(round)) {
          samples[tree.name].unchanged.push(await build(tree));
          fs.writeFileSync(target(tree), `${originals.get(tree)}\nEdited for round ${round + 1}.\n`);
          samples[tree.name].edited.push(await build(tree));
          log(`  ${tree.name} #${round + 1}: no-change ${fmtS(samples[tree.name].unchanged.at(-1).ms)} (${fmtS(samples[tree.name].unchanged.at(-1).cpuMs)} CPU), one edit ${fmtS(samples[tree.name].edited.at(-1).ms)} (${fmtS(samples[tree.name].edited.at(-1).cpuMs)} CPU)`);
        }
        loads.push(os.loadavg()[0]);
      }
    } finally {
      for (const [tree, text] of originals) fs.writeFileSync(target(tree), text);
    }
  }

  if (args.out) fs.writeFileSync(args.out, `${JSON.stringify({ args, loads, samples }, null, 2)}\n`);
  process.stdout.write(`${table(samples, loads)}\n`);
}

const cores = os.availableParallelism?.() ?? os.cpus().length;

/** The bare pipeline split over `parts` processes run at once (see pipeline-reference.js): the wall time of the whole, the CPU of all. */
async function runSplit(site, parts) {
  const started = process.hrtime.bigint();
  const runs = await Promise.all(Array.from({ length: parts }, (_, k) => runNode(site, [pipelineScript, site, 'bare', `${k}/${parts}`], [], `-${k}`)));
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, cpuMs: runs.reduce((sum, run) => sum + run.cpuMs, 0), rssKiB: Math.max(...runs.map((run) => run.rssKiB)) };
}

const range = (values) => `${fmtS(summarise(values.map((ms) => ({ ms }))).median)} (${fmtS(Math.min(...values))}–${fmtS(Math.max(...values))})`;
const change = (a, b) => `${(((summarise(b.map((ms) => ({ ms }))).median / summarise(a.map((ms) => ({ ms }))).median) - 1) * 100).toFixed(1)} %`;

/** One row per case and measure: before and after, median (min–max), and the change of the medians. */
function table(samples, loads) {
  const rows = ['| case | before median (min–max) | after median (min–max) | change |', '|---|---|---|---|'];
  for (const [key, label] of [['cold', 'cold'], ['unchanged', 'no-change'], ['edited', 'one post edited']]) {
    if (samples.before[key].length === 0) continue;
    for (const [measure, field] of [['wall', 'ms'], ['CPU', 'cpuMs']]) {
      const a = samples.before[key].map((s) => s[field]);
      const b = samples.after[key].map((s) => s[field]);
      rows.push(`| ${label}, ${measure} | ${range(a)} | ${range(b)} | ${change(a, b)} |`);
    }
  }
  for (const [key, label] of [['cold', 'cold'], ['unchanged', 'no-change'], ['edited', 'one post edited']]) {
    const mib = (tree) => samples[tree][key].map((s) => s.rssKiB / 1024);
    if (samples.before[key].length === 0 || mib('before').some(Number.isNaN)) continue;
    const fmt = (values) => `${Math.round(median(values))} MiB (${Math.round(Math.min(...values))}–${Math.round(Math.max(...values))})`;
    rows.push(`| ${label}, peak RSS | ${fmt(mib('before'))} | ${fmt(mib('after'))} | ${((median(mib('after')) / median(mib('before')) - 1) * 100).toFixed(1)} % |`);
  }
  for (const mode of ['bare', 'ours']) {
    if (samples[mode].length === 0) continue;
    rows.push(`| pipeline alone (${mode === 'bare' ? 'bare' : 'with default steps'}), wall / CPU | ${range(samples[mode].map((s) => s.ms))} / ${range(samples[mode].map((s) => s.cpuMs))} | (same) | |`);
  }
  if (samples.split.length > 0) {
    rows.push(`| pipeline alone (bare), split over ${cores} processes at once, wall / CPU | ${range(samples.split.map((s) => s.ms))} / ${range(samples.split.map((s) => s.cpuMs))} | (same) | |`);
  }
  if (samples.bare.length > 0 && samples.before.cold.length > 0) {
    // The measure: cold wall ÷ (the bare pipeline's CPU in one thread ÷ the cores), medians of the same run.
    const floor = median(samples.bare.map((s) => s.cpuMs)) / cores;
    const ratio = (tree) => (median(samples[tree].cold.map((s) => s.ms)) / floor).toFixed(2);
    rows.push(`| cold wall ÷ (bare pipeline CPU ÷ ${cores} cores = ${fmtS(floor)}) | ${ratio('before')}× | ${ratio('after')}× | |`);
    if (samples.split.length > 0) {
      const split = median(samples.split.map((s) => s.ms));
      rows.push(`| cold wall ÷ the split pipeline's wall (${fmtS(split)}) | ${(median(samples.before.cold.map((s) => s.ms)) / split).toFixed(2)}× | ${(median(samples.after.cold.map((s) => s.ms)) / split).toFixed(2)}× | |`);
    }
  }
  rows.push('', `Load average (1 min) at the start and after each round: ${loads.map((l) => l.toFixed(1)).join(', ')}.`);
  return rows.join('\n');
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function commitOf(dir) {
  try {
    return execFileSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

main().catch((cause) => {
  process.stderr.write(`bench-compare failed: ${cause.stack ?? cause}\n`);
  process.exitCode = 1;
});
