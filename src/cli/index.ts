import { Command, CommanderError, Option } from 'commander';
import { formatCause } from '../diagnostics/format.js';
import { version } from '../version.js';
import { buildCommand } from './build-command.js';

/** Builds the commander program; each command's action sets `process.exitCode`. */
export function createProgram(): Command {
  const program = new Command('blogbuild')
    .description('Build a static blog from markdown posts.')
    .version(version, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError()
    .showHelpAfterError('hint: add --help to list the commands and options')
    .exitOverride();

  for (const addCommand of [addBuild, addServe, addNew, addInit, addCheck, addImport, addClean]) addCommand(program);
  return program;
}

/** `blogbuild build`: the blog into the output folder. */
function addBuild(program: Command): void {
  siteOptions(program.command('build').description('build the blog into the output folder (dist/ by default)'))
    .option('-o, --out <dir>', 'output folder (default: dist)')
    .option('-q, --quiet', 'print only errors')
    .option('--no-cache', 'render every post again, ignoring and not updating the build cache')
    .option('-f, --force', 'replace an output folder that blogbuild did not make, deleting everything in it')
    .addOption(new Option('--report <format>', 'print a machine-readable report of the build on stdout (human output goes to stderr)').choices(['json']))
    .action(async (flags) => {
      process.exitCode = await buildCommand(flags);
    });
}

/** `blogbuild serve`: the blog on localhost, rebuilt as its files change. */
function addServe(program: Command): void {
  siteOptions(
    program.command('serve').description('serve the blog on localhost and rebuild and reload the browser as you save'),
    'absolute URL the site is published at; its path is where the site is served',
  )
    .option('-p, --port <port>', 'port to listen on', '4000')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--open', 'open the site in the browser')
    .option('--no-on-demand', 'build the whole site in memory before serving and after each change, instead of rendering pages when asked for')
    .action(async (flags) => {
      const { serveCommand } = await import('./serve-command.js');
      process.exitCode = await serveCommand(flags);
    });
}

/** `blogbuild new <title>`: a post with its front matter filled in. */
function addNew(program: Command): void {
  program
    .command('new')
    .description('create a post in posts/<slug>.md with its front matter filled in')
    .argument('<title>', 'title of the post')
    .option('--tags <tags>', 'comma-separated tags, e.g. --tags news,recipes')
    .option('--draft', 'mark the post as a draft')
    .option('-c, --config <file>', 'config file (default: blogbuild.config.json, .js or .mjs)')
    .option('--posts <dir>', 'folder of markdown posts (default: posts)')
    .addOption(new Option('--debug', 'print stack traces of errors').hideHelp())
    .showHelpAfterError('hint: a title that starts with "-" goes after --, e.g. blogbuild new -- "-1 reasons"; add --help to list the options')
    .action(async (title: string, flags) => {
      const { newCommand } = await import('./new-command.js');
      process.exitCode = await newCommand(title, flags);
    });
}

/** `blogbuild init [dir]`: a new blog. */
function addInit(program: Command): void {
  program
    .command('init')
    .description('create a new blog: config, a first post, package.json and a GitHub Pages workflow')
    .argument('[dir]', 'folder to create the blog in', '.')
    .option('-f, --force', 'write into a folder that is not empty (existing files are kept, package.json is completed)')
    .option('--dependency <spec>', 'version spec of blogbuild in package.json (default: the git URL or tarball blogbuild was installed from; else a file: link to this copy)')
    .addOption(new Option('--debug', 'print stack traces of errors').hideHelp())
    .action(async (dir: string, flags) => {
      const { initCommand } = await import('./init-command.js');
      process.exitCode = await initCommand(dir, flags);
    });
}

/** `blogbuild check`: a build in memory, its links, anchors and images checked. */
function addCheck(program: Command): void {
  siteOptions(
    program
      .command('check')
      .description('build in memory and report errors, broken links and anchors, missing images, drafts and scheduled posts'),
  )
    .option('--strict', 'treat warnings as errors')
    .action(async (flags) => {
      const { checkCommand } = await import('./check-command.js');
      process.exitCode = await checkCommand(flags);
    });
}

/** `blogbuild import <generator> <site>`: another generator's site as a blogbuild blog. */
function addImport(program: Command): void {
  program
    .command('import')
    .description('convert a Jekyll, Hugo, Eleventy or Astro site into a blogbuild blog and report what changed')
    .argument('<generator>', 'the site\'s generator: jekyll, hugo, eleventy or astro')
    .argument('<site>', 'folder of the site to import (never written to)')
    .option('-o, --out <dir>', 'folder to write the blog into (default: the current folder)')
    .option('-f, --force', 'write into a folder that is not empty (files with the same names are replaced)')
    .option('--dry-run', 'print the report and write nothing')
    .addOption(new Option('--debug', 'print stack traces of errors').hideHelp())
    .action(async (generator: string, site: string, flags) => {
      const { importCommand } = await import('./import-command.js');
      process.exitCode = await importCommand(generator, site, flags);
    });
}

/** `blogbuild clean`: the build cache removed. */
function addClean(program: Command): void {
  program
    .command('clean')
    .description('remove the build cache (node_modules/.cache/blogbuild/), so the next build renders every post')
    .option('-q, --quiet', 'print nothing')
    .addOption(new Option('--debug', 'print stack traces of errors').hideHelp())
    .action(async (flags) => {
      const { cleanCommand } = await import('./clean-command.js');
      process.exitCode = await cleanCommand(flags);
    });
}

/** Adds the options of every command that builds the site: where its parts are and what gets published. */
function siteOptions(command: Command, urlHelp = 'absolute URL the site is published at, e.g. https://example.org/blog/'): Command {
  return command
    .option('-c, --config <file>', 'config file (default: blogbuild.config.json, .js or .mjs)')
    .option('--posts <dir>', 'folder of markdown posts (default: posts)')
    .option('--templates <dir>', 'folder of templates overriding the built-in theme (default: templates)')
    // One config serves preview and production deploys: CI sets BLOGBUILD_URL, and --url still wins over it.
    .addOption(new Option('--url <url>', `${urlHelp} (default: $BLOGBUILD_URL, else the config's url)`).env('BLOGBUILD_URL'))
    .option('--drafts', 'include posts marked draft: true')
    .option('--future', 'include posts dated in the future')
    .addOption(new Option('--debug', 'print stack traces of errors').hideHelp())
    .hook('preAction', (cmd) => {
      if (cmd.getOptionValueSource('url') !== 'env') return;
      // An empty BLOGBUILD_URL (a CI variable set to nothing) is no URL; a bad one is reported under its own name.
      if (cmd.getOptionValue('url') === '') cmd.setOptionValue('url', undefined);
      else cmd.setOptionValue('urlFrom', 'BLOGBUILD_URL');
    });
}

/**
 * `blogbuild new "- list"`: commander reads any argument that starts with `-` as an option. An option's name never
 * holds whitespace (`--tags=a, b` has it only after the `=`), so such an argument is the title: it is moved after
 * `--`, where commander takes it as the argument.
 */
export function titleAfterOptions(argv: string[]): string[] {
  if (argv[2] !== 'new' || argv.includes('--')) return argv;
  const takesValue = new Set(['--tags', '-c', '--config', '--posts']);
  const at = argv.findIndex((arg, i) => i > 2 && /^-[^=]*\s/.test(arg) && !takesValue.has(argv[i - 1]));
  if (at < 0) return argv;
  return [...argv.slice(0, at), ...argv.slice(at + 1), '--', argv[at]];
}

/** Runs the CLI. Usage errors exit 2; unexpected errors print as internal errors with their stack. */
export async function main(argv: string[]): Promise<void> {
  const program = createProgram();
  // With no command, show help and succeed. (A program-level action would swallow unknown commands as
  // "too many arguments" instead of commander's "unknown command 'buidl' (Did you mean build?)".)
  if (argv.length <= 2) {
    program.outputHelp();
    process.exitCode = 0;
    return;
  }
  try {
    await program.parseAsync(titleAfterOptions(argv));
  } catch (cause) {
    if (cause instanceof CommanderError) {
      // Help and version "errors" are successes; everything else is bad usage.
      process.exitCode = cause.exitCode === 0 ? 0 : 2;
      return;
    }
    // The stack always (this is a bug); what caused it, when anything did, too.
    const inner = cause instanceof Error && cause.cause !== undefined ? `\n${formatCause(cause.cause)}` : '';
    process.stderr.write(
      `internal error: ${(cause as Error)?.stack ?? String(cause)}${inner}\n\nThis is a bug in blogbuild ${version}; please report it with the command you ran.\n`,
    );
    process.exitCode = 1;
  }
}
