import type { FaultMarker } from '../faults.ts';
import type { Problem } from '../validator/compile.ts';

export interface JournalEntry {
  seq: number;
  /** Sandbox time of the request. */
  at: string;
  api: string | null;
  operationId: string | null;
  method: string;
  path: string;
  /** 0 when an injected fault reset the connection. */
  status: number;
  /** Set when an injected fault took effect (its answer is on purpose: the self-check skipped it). */
  fault?: FaultMarker;
  durationMs: number;
  /** Problems found in the request (it was rejected) and in the response (the self-check). */
  validation: { request: Problem[]; response: Problem[]; omitted?: { request: number; response: number } };
  requestBody?: unknown;
  responseBody?: unknown;
}

const MAX_BODY_CHARS = 16_384;
const MAX_PATH_CHARS = 2_048;
/** What one sandbox's journal may hold, about: the oldest entries go first beyond it (or beyond its capacity). */
export const JOURNAL_MAX_BYTES = 4 * 1024 * 1024;

const cut = (text: string, max: number) =>
  text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;

/** A JSON body kept as the text that was sent, parsed only when the journal is read (serialised). */
class JsonText {
  constructor(readonly text: string) {}
  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}

/** Keeps bodies small enough to keep many entries: long ones are cut and marked. */
export function journalBody(body: unknown): unknown {
  if (body === undefined || body === null) return body;
  if (Buffer.isBuffer(body)) return `<${body.length} bytes>`;
  if (typeof body === 'string') return cut(body, MAX_BODY_CHARS);
  return journalJson(JSON.stringify(body));
}

/** journalBody for a body already serialised as JSON text: costs nothing until the journal is read. */
export function journalJson(text: string): unknown {
  return text.length <= MAX_BODY_CHARS ? new JsonText(text) : cut(text, MAX_BODY_CHARS);
}

const charsOf = (body: unknown) =>
  body instanceof JsonText ? body.text.length : typeof body === 'string' ? body.length : 0;
const problemChars = (problems: Problem[]) =>
  problems.reduce((n, p) => n + p.pointer.length + p.message.length + 40, 0);

/** About how many bytes an entry takes (its bodies, path and problems; the rest is small and fixed). */
function sizeOf(entry: Omit<JournalEntry, 'seq'>): number {
  return (
    300 +
    entry.path.length +
    charsOf(entry.requestBody) +
    charsOf(entry.responseBody) +
    problemChars(entry.validation.request) +
    problemChars(entry.validation.response)
  );
}

/** A bounded ring of the last requests of one sandbox: at most `capacity` entries and about `maxBytes`. */
export class Journal {
  private readonly entries: Array<{ entry: JournalEntry; bytes: number }> = [];
  private seq = 0;
  private bytes = 0;

  constructor(
    private readonly capacity: number,
    private readonly maxBytes = JOURNAL_MAX_BYTES,
  ) {}

  add(entry: Omit<JournalEntry, 'seq'>): void {
    const kept = entry.path.length <= MAX_PATH_CHARS ? entry : { ...entry, path: cut(entry.path, MAX_PATH_CHARS) };
    const bytes = sizeOf(kept);
    this.entries.push({ entry: { seq: ++this.seq, ...kept }, bytes });
    this.bytes += bytes;
    let drop = 0;
    while (this.entries.length - drop > 1 && (this.entries.length - drop > this.capacity || this.bytes > this.maxBytes))
      this.bytes -= this.entries[drop++]!.bytes;
    if (drop) this.entries.splice(0, drop);
  }

  /** Newest first. */
  last(limit = this.capacity): JournalEntry[] {
    return this.entries
      .slice(-Math.max(0, limit))
      .reverse()
      .map((e) => e.entry);
  }

  get size(): number {
    return this.entries.length;
  }

  /** About how many bytes the entries take. */
  get byteSize(): number {
    return this.bytes;
  }

  clear(): void {
    this.entries.length = 0;
    this.bytes = 0;
  }
}
