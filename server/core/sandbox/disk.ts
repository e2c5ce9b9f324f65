/**
 * The file operations sandbox files are written with, and the one way a file is replaced: written whole to a
 * temporary file of a name unique to this process and write, fsync'd, renamed over the old one, and the directory
 * fsync'd. A crash, a full disk or a read-only one leaves the old file or the new one, never a part of either.
 * Tests give the store another Disk to make writes fail (ENOSPC, EROFS) without root.
 */
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface WritableFile {
  /** Writes all of `text` (a short write is continued, not dropped). */
  write(text: string): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface Disk {
  /** Creates a new file for writing; fails when one of that name exists. */
  create(path: string): Promise<WritableFile>;
  rename(from: string, to: string): Promise<void>;
  remove(path: string): Promise<void>;
  /** Makes a rename in `dir` durable. */
  syncDirectory(dir: string): Promise<void>;
}

/** Errors fsync of a directory gives where the system cannot do it (Windows): the rename is as durable as it gets. */
const DIRECTORY_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EPERM', 'EINVAL', 'EBADF']);

export const nodeDisk: Disk = {
  async create(path) {
    const handle = await open(path, 'wx');
    return {
      async write(text) {
        const bytes = Buffer.from(text);
        for (let at = 0; at < bytes.length; ) at += (await handle.write(bytes, at)).bytesWritten;
      },
      sync: () => handle.sync(),
      close: () => handle.close(),
    };
  },
  rename,
  remove: unlink,
  async syncDirectory(dir) {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } catch (error) {
      if (!DIRECTORY_SYNC_UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
    } finally {
      await handle.close();
    }
  },
};

/** `.<name>.<pid>.<n>.tmp`: temporary files left by a process that was killed are recognised (and removed) by this. */
export const TEMPORARY_FILE = /^\..+\.\d+\.\d+\.tmp$/;
let temporaries = 0;

export function temporaryNameFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.${++temporaries}.tmp`);
}

/** Replaces `file` with the concatenated `chunks`, all or nothing (see the header). */
export async function replaceFile(
  disk: Disk,
  file: string,
  chunks: Iterable<string> | AsyncIterable<string>,
): Promise<void> {
  const temporary = temporaryNameFor(file);
  const out = await disk.create(temporary);
  let open = true;
  try {
    for await (const text of chunks) if (text) await out.write(text);
    await out.sync();
    open = false;
    // Together: each step of a write waits its turn of a busy event loop, and a synced file can be renamed open.
    await Promise.all([out.close(), disk.rename(temporary, file)]);
  } catch (error) {
    if (open) await out.close().catch(() => undefined);
    await disk.remove(temporary).catch(() => undefined);
    throw error;
  }
  await disk.syncDirectory(dirname(file));
}
