import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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

/** Writes a cache entry atomically (parallel test workers write the same ones); a read-only tree just goes without. */
export function writeCacheFile(file: string, text: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, text);
    renameSync(temporary, file);
  } catch {
    // no cache: the next start does the work again
  }
}
