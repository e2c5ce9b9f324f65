/**
 * The data directory of `standin serve --data`, made ready before any sandbox is loaded: created if missing,
 * proved writable by writing a file the way sandbox files are written (a read-only or full disk is refused at
 * start, not found by the first flush), and locked to one process (a second server on it would overwrite the
 * first one's files). Temporary files a killed process left behind are removed once the lock is held.
 */
import {
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { replaceFile, TEMPORARY_FILE, type Disk } from './disk.ts';

/** The data directory cannot be used: the message says why and what to do. */
export class DataDirectoryError extends Error {}

export const LOCK_FILE = '.standin.lock';
/** Enough to need a new block of the file system: a full disk refuses it. */
const PROBE_BYTES = 64 * 1024;

const codeOf = (error: unknown) => (error as NodeJS.ErrnoException).code ?? '';

/**
 * mkdir -p, one level at a time: Node 20's recursive mkdir never returns for a path it cannot create under
 * /proc (it retries ENOENT for ever).
 */
function makeDirectory(dir: string): void {
  try {
    mkdirSync(dir);
  } catch (error) {
    if (codeOf(error) === 'EEXIST') {
      if (!statSync(dir).isDirectory())
        throw Object.assign(new Error(`ENOTDIR: not a directory, '${dir}'`), { code: 'ENOTDIR' });
      return;
    }
    if (codeOf(error) !== 'ENOENT' || dirname(dir) === dir) throw error;
    makeDirectory(dirname(dir));
    mkdirSync(dir);
  }
}

/**
 * Directories (resolved) this process holds the lock of: a lock file naming our own pid is ours only if listed here;
 * otherwise it was left by an earlier process that had our pid (a container restarted on the same volume).
 */
const held = new Set<string>();

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return codeOf(error) === 'EPERM';
  }
}

function readLock(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/** The pid a lock file names, when that process is running (and, for our own pid, holds the lock here). */
function liveHolder(text: string, dir: string): number | undefined {
  const pid = Number(text.trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  if (pid === process.pid) return held.has(resolve(dir)) ? pid : undefined;
  return isRunning(pid) ? pid : undefined;
}

/**
 * Removes a lock file whose holder is gone, if it is still the one that was read: it is first renamed aside (only
 * one process can rename it), then compared; a fresh lock renamed by mistake is put back.
 */
function removeStaleLock(file: string, staleText: string): void {
  const aside = `${file}.stale.${process.pid}`;
  try {
    renameSync(file, aside);
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return;
    throw error;
  }
  if (readFileSync(aside, 'utf8') !== staleText) {
    try {
      linkSync(aside, file);
    } catch (error) {
      if (codeOf(error) !== 'EEXIST') throw error;
    }
  }
  unlinkSync(aside);
}

/**
 * Takes the lock of `dir` (a file naming this process's pid, created whole by a hard link so no reader sees it
 * empty); a lock left by a process that is gone is taken over. Returns the function that releases it.
 */
function lockDataDirectory(dir: string): () => void {
  const file = join(dir, LOCK_FILE);
  const mine = join(dir, `${LOCK_FILE}.${process.pid}`);
  writeFileSync(mine, `${process.pid}\n`);
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        linkSync(mine, file);
        held.add(resolve(dir));
        return () => releaseLock(dir, file);
      } catch (error) {
        if (codeOf(error) !== 'EEXIST') throw error;
      }
      const text = readLock(file);
      if (text === undefined) continue;
      const holder = liveHolder(text, dir);
      if (holder !== undefined)
        throw new DataDirectoryError(
          `the data directory ${dir} is in use by another Standin (pid ${holder}, lock file ${file}); stop it, or give each server its own --data`,
        );
      removeStaleLock(file, text);
    }
    throw new DataDirectoryError(`could not take the lock ${file}: other processes keep taking it`);
  } finally {
    rmSync(mine, { force: true });
  }
}

function releaseLock(dir: string, file: string): void {
  if (!held.delete(resolve(dir))) return;
  if (readLock(file)?.trim() === String(process.pid)) rmSync(file, { force: true });
}

/** Removes the temporary files of writes that never finished (a process killed while writing). */
function removeLeftoverTemporaries(dir: string): void {
  for (const name of readdirSync(dir))
    if (TEMPORARY_FILE.test(name) || /^\..+\.json\.tmp$/.test(name) || /^\.standin-probe\.\d+$/.test(name))
      rmSync(join(dir, name), { force: true });
}

const unwritable = (dir: string, error: unknown) =>
  new DataDirectoryError(
    `the data directory ${dir} cannot be written (${(error as Error).message}); give --data a writable directory with free space`,
  );

/**
 * Makes `dir` ready (see the header): creates it, locks it, writes, syncs, renames and removes a probe file in it,
 * and clears what a killed process left. Returns the function that releases the lock.
 */
export async function openDataDirectory(dir: string, disk: Disk): Promise<() => void> {
  let release: () => void;
  try {
    makeDirectory(dir);
    release = lockDataDirectory(dir);
  } catch (error) {
    throw error instanceof DataDirectoryError ? error : unwritable(dir, error);
  }
  const probe = join(dir, `.standin-probe.${process.pid}`);
  try {
    removeLeftoverTemporaries(dir);
    await replaceFile(disk, probe, ['x'.repeat(PROBE_BYTES)]);
    await disk.remove(probe);
  } catch (error) {
    await disk.remove(probe).catch(() => undefined);
    release();
    throw unwritable(dir, error);
  }
  return release;
}
