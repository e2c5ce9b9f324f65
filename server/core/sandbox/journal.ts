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
  validation: { request: Problem[]; response: Problem[] };
  requestBody?: unknown;
  responseBody?: unknown;
}

const MAX_BODY_CHARS = 16_384;

/** Keeps bodies small enough to keep many entries: long ones are cut and marked. */
export function journalBody(body: unknown): unknown {
  if (body === undefined || body === null) return body;
  if (Buffer.isBuffer(body)) return `<${body.length} bytes>`;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  if (text.length <= MAX_BODY_CHARS) return body;
  return `${text.slice(0, MAX_BODY_CHARS)}… (${text.length} characters)`;
}

/** A JSON body kept as the text that was sent, parsed only when the journal is read (serialised). */
class JsonText {
  constructor(private readonly text: string) {}
  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}

/** journalBody for a body already serialised as JSON text: costs nothing until the journal is read. */
export function journalJson(text: string): unknown {
  if (text.length <= MAX_BODY_CHARS) return new JsonText(text);
  return `${text.slice(0, MAX_BODY_CHARS)}… (${text.length} characters)`;
}

/** A bounded ring of the last requests of one sandbox. */
export class Journal {
  private readonly entries: JournalEntry[] = [];
  private seq = 0;

  constructor(private readonly capacity: number) {}

  add(entry: Omit<JournalEntry, 'seq'>): void {
    this.entries.push({ seq: ++this.seq, ...entry });
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
  }

  /** Newest first. */
  last(limit = this.capacity): JournalEntry[] {
    return this.entries.slice(-Math.max(0, limit)).reverse();
  }

  get size(): number {
    return this.entries.length;
  }

  clear(): void {
    this.entries.length = 0;
  }
}
