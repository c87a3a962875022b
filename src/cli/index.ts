import { Command, CommanderError, Option } from 'commander';
import { version } from '../version.js';
import { buildCommand } from './build-command.js';

/** Builds the commander program; each command's action sets `process.exitCode`. */
export function createProgram(): Command {
  const program = new Command('blogbuild')
    .description('Build a static blog from markdown posts.')
    .version(version, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError()
    .exitOverride();

  program
    .command('build')
    .description('build the blog into the output folder (dist/ by default)')
    .option('-c, --config <file>', 'config file (default: blogbuild.config.json, .js or .mjs)')
    .option('--posts <dir>', 'folder of markdown posts (default: posts)')
    .option('--templates <dir>', 'folder of templates overriding the built-in theme (default: templates)')
    .option('-o, --out <dir>', 'output folder (default: dist)')
    .option('--url <url>', 'absolute URL the site is published at, e.g. https://example.org/blog/')
    .option('--drafts', 'include posts marked draft: true')
    .option('--future', 'include posts dated in the future')
    .option('-q, --quiet', 'print only errors')
    .addOption(new Option('--debug', 'print stack traces of errors').hideHelp())
    .action(async (flags) => {
      process.exitCode = await buildCommand(flags);
    });

  program.action(() => {
    program.outputHelp();
  });
  return program;
}

/** Runs the CLI. Usage errors exit 2; unexpected errors print as internal errors with their stack. */
export async function main(argv: string[]): Promise<void> {
  const program = createProgram();
  try {
    await program.parseAsync(argv);
  } catch (cause) {
    if (cause instanceof CommanderError) {
      // Help and version "errors" are successes; everything else is bad usage.
      process.exitCode = cause.exitCode === 0 ? 0 : 2;
      return;
    }
    process.stderr.write(
      `internal error: ${(cause as Error)?.stack ?? String(cause)}\n\nThis is a bug in blogbuild ${version}; please report it with the command you ran.\n`,
    );
    process.exitCode = 1;
  }
}
