import { createReporter } from './output.js';

/** Flags of `blogbuild import`. */
export interface ImportFlags {
  out?: string;
  force?: boolean;
  dryRun?: boolean;
  debug?: boolean;
}

/** `blogbuild import <generator> <site>`: converts the site and prints the report; usage errors exit 2. */
export async function importCommand(generator: string, site: string, flags: ImportFlags): Promise<number> {
  const cwd = process.cwd();
  const { importSite } = await import('../import/import-site.js');
  const { formatReport } = await import('../import/format-report.js');
  const { BlogbuildError, exitCodeFor } = await import('../diagnostics/error.js');
  try {
    const report = await importSite({ generator, source: site, out: flags.out, force: flags.force, dryRun: flags.dryRun });
    process.stdout.write(formatReport(report, cwd));
    return 0;
  } catch (cause) {
    if (!(cause instanceof BlogbuildError)) throw cause;
    const diagnostic = cause.toDiagnostic();
    createReporter({ cwd, debug: flags.debug }).diagnostics([diagnostic]);
    return exitCodeFor([diagnostic]);
  }
}
