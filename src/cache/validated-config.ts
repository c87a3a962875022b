import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ValidatedConfigs } from '../config/load.js';
import { codeSalt } from './code-salt.js';

/**
 * The last JSON config that passed validation, by a key of its text and `--url`, with the settings validation
 * made of it (defaults filled in): `config-v1.json` beside the caches. A rebuild whose config is unchanged skips
 * validation and does not load zod. The salt (the code salt: blogbuild's modules, where the defaults and rules
 * live, and version) and a checksum make a stale or damaged file count as missing.
 */
export function openValidatedConfigs(dir: string): ValidatedConfigs {
  const file = path.join(dir, 'config-v1.json');
  const salt = codeSalt();
  let known: { key: string; settings: unknown } | undefined;
  try {
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { salt?: unknown; key?: unknown; settings?: unknown; sum?: unknown };
    if (data.salt === salt && typeof data.key === 'string' && typeof data.settings === 'object' && data.settings !== null && data.sum === checksum(data.key, data.settings)) {
      known = { key: data.key, settings: data.settings };
    }
  } catch {
    // Missing or damaged: the config is validated.
  }
  return {
    get: (key) => (known?.key === key ? known.settings : undefined),
    set(key, settings) {
      known = { key, settings };
      try {
        fs.mkdirSync(dir, { recursive: true });
        const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
        fs.writeFileSync(temp, JSON.stringify({ salt, key, settings, sum: checksum(key, settings) }));
        fs.renameSync(temp, file);
      } catch {
        // Not written: the next build validates again.
      }
    },
  };
}

function checksum(key: string, settings: unknown): string {
  return createHash('sha1').update(key).update('\0').update(JSON.stringify(settings)).digest('hex');
}
