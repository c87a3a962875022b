import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import { describeMissing, howToEnable, type ToolCheck } from './tools.js';

/**
 * Prints, once after vitest's own summary, which tests did not run because a program they need is missing and
 * the command that enables them. A reporter rather than a log line: test output can be buffered or hidden, a
 * reporter writes to the terminal after everything else.
 */
export class MissingToolsReporter implements Reporter {
  constructor(
    private readonly missing: ToolCheck[],
    private readonly root: string,
    private readonly write: (text: string) => void = (text) => process.stdout.write(text),
  ) {}

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let count = 0;
    const sections: string[] = [];
    const needed: ToolCheck[] = [];
    for (const tool of this.missing) {
      const lines: string[] = [];
      for (const module of testModules) {
        const groups = skippedGroups(module, tool);
        count += [...groups.values()].reduce((sum, n) => sum + n, 0);
        if (groups.size === 0) continue;
        lines.push(`   ${path.relative(this.root, module.moduleId)}`);
        for (const [name, n] of groups) lines.push(`     ${name}${n > 1 ? ` (${n} tests)` : ''}`);
      }
      if (lines.length === 0) continue;
      sections.push(` ${describeMissing(tool)}`, ...lines);
      needed.push(tool);
    }
    if (count === 0) return;
    const heading = `${count} test${count > 1 ? 's' : ''} did not run: a program they need is missing.`;
    const enable = howToEnable(needed).replace(/^/gm, ' ');
    this.write(`\n ${bold(heading)}\n${sections.join('\n')}\n${bold(enable)}\n\n`);
  }
}

/**
 * The skipped tests of a module tagged with `tool`, one entry per suite (or per test at the top level) with how
 * many tests it holds: the page-by-page suites of validators.test.ts read better as 8 lines than as 24.
 */
function skippedGroups(module: TestModule, tool: ToolCheck): Map<string, number> {
  const groups = new Map<string, number>();
  for (const test of module.children.allTests('skipped')) {
    if (!test.tags.includes(tool.name)) continue;
    const name = test.parent.type === 'suite' ? test.parent.fullName : test.name;
    groups.set(name, (groups.get(name) ?? 0) + 1);
  }
  return groups;
}

function bold(text: string): string {
  return process.stdout.isTTY && !process.env.NO_COLOR ? `\x1b[1m${text}\x1b[22m` : text;
}
