import fsSync from 'node:fs';
import path from 'node:path';
import type { Plan } from './write-plan.js';

// What the writer knows of the output folder after it committed an update in place, for the record the next
// build's early exit checks (build-unchanged.ts): the stats it took anyway, so the folder is not stat'ed again.

/** Every file and folder of an output folder (paths relative, `/`-separated; `''` the folder itself) with its stat. */
export interface OutputStats {
  files: Map<string, fsSync.Stats | fsSync.BigIntStats>;
  folders: Map<string, fsSync.Stats>;
}

/**
 * The output folder's stats after an update in place: those the plans and the folder check took, but for the files
 * the commit renamed in and their folders, stat'ed again (a rename changes a file's ctime and its folder's mtime).
 * Undefined when one cannot be stat'ed (the next build then finds the output changed).
 */
export function statsInPlace(outDir: string, plans: Plan[], folders: Map<string, fsSync.Stats>, replaced: string[]): OutputStats | undefined {
  const isReplaced = new Set(replaced);
  const files: OutputStats['files'] = new Map();
  try {
    for (const rel of replaced) {
      const at = rel.lastIndexOf('/');
      const folder = at < 0 ? '' : rel.slice(0, at);
      folders.set(folder, fsSync.statSync(folder ? path.join(outDir, folder) : outDir));
    }
    for (const plan of plans) files.set(plan.file.path, isReplaced.has(plan.file.path) ? fsSync.statSync(plan.old) : plan.oldStat!);
    return { files, folders };
  } catch {
    // Gone or unreadable since: no record, so the next build does its work.
    return undefined;
  }
}
