import path from 'node:path';
import type { ImportReport, ReportItem } from './model.js';

/** The import report as text: posts converted, changes counted by kind, and each construct not converted at file:line. */
export function formatReport(report: ImportReport, cwd: string): string {
  const shown = (dir: string) => path.relative(cwd, dir) || '.';
  const lines = [
    `${report.isDryRun ? 'Would import' : 'Imported'} ${report.posts.length} post${report.posts.length === 1 ? '' : 's'} from the ${report.generator} site ${shown(report.source)} into ${shown(report.out)} (${report.files.length} files)`,
  ];
  const byKind = new Map<string, ReportItem[]>();
  for (const change of report.changes) byKind.set(change.kind, [...(byKind.get(change.kind) ?? []), change]);
  if (byKind.size > 0) {
    lines.push('', 'Changes:');
    for (const [kind, items] of [...byKind].sort(([a], [b]) => a.localeCompare(b))) {
      const files = [...new Set(items.map((item) => item.file))];
      lines.push(`  ${kind}: ${items.length} (${files.slice(0, 3).join(', ')}${files.length > 3 ? `, and ${files.length - 3} more` : ''})`);
    }
  }
  if (report.unconverted.length > 0) {
    lines.push('', `Needs your attention (${report.unconverted.length}; not converted and left as written unless said otherwise):`);
    for (const item of report.unconverted) lines.push(`  ${location(item)}: ${item.kind}${item.detail ? `: ${item.detail}` : ''}`);
  }
  lines.push('', report.isDryRun ? 'Dry run: nothing was written.' : `Next: ${shown(report.out) === '.' ? '' : `cd ${shown(report.out)} && `}npx blogbuild build`);
  return `${lines.join('\n')}\n`;
}

function location(item: ReportItem): string {
  return item.line ? `${item.file}:${item.line}` : item.file;
}
