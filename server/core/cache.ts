import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cacheRoot = fileURLToPath(new URL('../../node_modules/.cache/standin/', import.meta.url));

export const sha256 = (...parts: string[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex');
};

/**
 * A file of the start-up cache (node_modules/.cache/standin/<kind>/<name>). Names are hashes of everything the
 * content depends on, so an entry is never stale, only unused.
 */
export function cacheFile(kind: string, name: string): string {
  return join(cacheRoot, kind, name);
}

/**
 * Writes a cache entry atomically (parallel test workers write the same ones); a read-only tree just goes without.
 * Entries whose names start with `replaces` (the same contract before an edit) are removed: unused, they add up.
 */
export function writeCacheFile(file: string, text: string, replaces?: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, text);
    renameSync(temporary, file);
    if (replaces)
      for (const name of readdirSync(dirname(file)))
        if (name.startsWith(replaces) && name !== basename(file) && !name.endsWith('.tmp'))
          rmSync(join(dirname(file), name), { force: true });
  } catch {
    // no cache: the next start does the work again
  }
}
