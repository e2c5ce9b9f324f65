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
  /** As received, in order; serialised with secrets masked (HeaderList). */
  requestHeaders?: HeaderList;
  responseHeaders?: HeaderList;
  requestBody?: unknown;
  responseBody?: unknown;
  /** What each body was and how much of it the entry keeps. */
  bodies?: { request?: BodyNote; response?: BodyNote };
}

/** A body as the journal describes it: its type and size, and whether it was cut or not kept. */
export interface BodyNote {
  contentType?: string;
  /** Text: its length in characters. */
  chars?: number;
  /** Binary: its length in bytes (kept for download up to MAX_BINARY_BYTES). */
  bytes?: number;
  /** Only the first MAX_BODY_CHARS characters are kept. */
  cut?: true;
  /** A binary body too large to keep: the entry has its size only. */
  notKept?: true;
}

export const MAX_BODY_CHARS = 16_384;
/** A binary body (a PDF) up to this size is kept whole, for download from the console. */
export const MAX_BINARY_BYTES = 256 * 1024;
const MAX_PATH_CHARS = 2_048;
const MAX_HEADER_CHARS = 2_048;
const MAX_HEADERS = 64;
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

/** A binary body (a PDF): its bytes when small enough, shown as its size. */
export class BinaryBody {
  constructor(
    readonly size: number,
    readonly bytes: Buffer | undefined,
  ) {}
  toJSON(): string {
    return `<${this.size} bytes>`;
  }
}

/** Keeps bodies small enough to keep many entries: long ones are cut and marked. */
export function journalBody(body: unknown): unknown {
  if (body === undefined || body === null) return body;
  if (Buffer.isBuffer(body)) return new BinaryBody(body.length, body.length <= MAX_BINARY_BYTES ? body : undefined);
  if (typeof body === 'string') return cut(body, MAX_BODY_CHARS);
  return journalJson(JSON.stringify(body));
}

/** journalBody for a body already serialised as JSON text: costs nothing until the journal is read. */
export function journalJson(text: string): unknown {
  return text.length <= MAX_BODY_CHARS ? new JsonText(text) : cut(text, MAX_BODY_CHARS);
}

/** A body as an entry keeps it, and what the entry says of it. */
export interface KeptBody {
  body: unknown;
  note: BodyNote;
}

/** A text body (JSON text when `json`, parsed only when read), cut beyond MAX_BODY_CHARS. */
export function keptText(text: string, contentType: string | undefined, json = false): KeptBody {
  const body = json ? journalJson(text) : journalBody(text);
  const note: BodyNote = contentType === undefined ? { chars: text.length } : { contentType, chars: text.length };
  if (text.length > MAX_BODY_CHARS) note.cut = true;
  return { body, note };
}

/** A binary body (a PDF), kept whole up to MAX_BINARY_BYTES, else as its size only. */
export function keptBytes(bytes: Buffer, contentType: string | undefined): KeptBody {
  const body = journalBody(bytes) as BinaryBody;
  const note: BodyNote = contentType === undefined ? { bytes: bytes.length } : { contentType, bytes: bytes.length };
  if (!body.bytes) note.notKept = true;
  return { body, note };
}

/** Decodes UTF-8 as sent (a BOM kept), throwing on anything else: TextDecoder, as the core runs in browsers too. */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A request body as received: text when it is UTF-8, else bytes. */
export function keptRequestBody(raw: Buffer, contentType: string | undefined): KeptBody {
  let text: string;
  try {
    text = strictUtf8.decode(raw);
  } catch {
    return keptBytes(raw, contentType);
  }
  return keptText(text, contentType);
}

/** Header names whose values are credentials: masked wherever the journal is read, revealed only in replays. */
const SECRET_HEADER =
  /^(?:authorization|proxy-authorization|cookie|set-cookie)$|token|secret|password|api-?key|session/i;

export const isSecretHeader = (name: string) => SECRET_HEADER.test(name);

/** `Bearer ••••••••`: the scheme of a credential stays visible, the secret does not. */
export function masked(name: string, value: string): string {
  if (!isSecretHeader(name)) return value;
  const scheme = /^(Basic|Bearer|Token|Digest|JWT)\s+/i.exec(value);
  return `${scheme ? `${scheme[1]} ` : ''}••••••••`;
}

/**
 * Headers in the order received or sent (raw names, repeated ones kept), read as [name, value] pairs: a name from a
 * request is data, never a property name. Kept as the flat list node gives ([name, value, name, value, …]) and
 * turned into pairs only when read, so journaling costs a request next to nothing. Serialised with secrets masked;
 * `pairs` has them as sent, for replays.
 */
export class HeaderList {
  private constructor(private readonly flat: readonly string[]) {}

  /** From a list as node's rawHeaders has it (kept as is: made for this request or response). */
  static fromRaw(raw: readonly string[]): HeaderList {
    return new HeaderList(raw);
  }

  /** The first MAX_HEADERS headers, each value cut to MAX_HEADER_CHARS. */
  get pairs(): Array<readonly [string, string]> {
    const pairs: Array<readonly [string, string]> = [];
    for (let i = 0; i + 1 < this.flat.length && pairs.length < MAX_HEADERS; i += 2)
      pairs.push([this.flat[i]!, cut(this.flat[i + 1]!, MAX_HEADER_CHARS)]);
    return pairs;
  }

  /** How many headers are left out beyond MAX_HEADERS. */
  get omitted(): number {
    return Math.max(0, Math.floor(this.flat.length / 2) - MAX_HEADERS);
  }

  get(name: string): string | undefined {
    const wanted = name.toLowerCase();
    for (let i = 0; i + 1 < this.flat.length; i += 2) {
      const candidate = this.flat[i]!;
      if (candidate.length === wanted.length && candidate.toLowerCase() === wanted) return this.flat[i + 1];
    }
    return undefined;
  }

  /** About how many characters the kept headers take. */
  get chars(): number {
    let chars = 0;
    for (let i = 0; i + 1 < this.flat.length && i < 2 * MAX_HEADERS; i += 2)
      chars += this.flat[i]!.length + Math.min(this.flat[i + 1]!.length, MAX_HEADER_CHARS) + 6;
    return chars;
  }

  toJSON(): Array<[string, string]> {
    const shown = this.pairs.map(([name, value]): [string, string] => [name, masked(name, value)]);
    return this.omitted ? [...shown, ['…', `${this.omitted} more headers not kept`]] : shown;
  }
}

const charsOf = (body: unknown) =>
  body instanceof JsonText
    ? body.text.length
    : typeof body === 'string'
      ? body.length
      : body instanceof BinaryBody
        ? (body.bytes?.length ?? 0)
        : 0;
const problemChars = (problems: Problem[]) =>
  problems.reduce((n, p) => n + p.pointer.length + p.message.length + 40, 0);

/** About how many bytes an entry of these parts takes (the rest of it is small and fixed). */
export function entryBytes(parts: {
  path: string;
  headerChars: number;
  bodyChars: number;
  validation: JournalEntry['validation'];
}): number {
  return (
    300 +
    Math.min(parts.path.length, MAX_PATH_CHARS) +
    parts.headerChars +
    parts.bodyChars +
    problemChars(parts.validation.request) +
    problemChars(parts.validation.response)
  );
}

function sizeOf(entry: Omit<JournalEntry, 'seq'>): number {
  return entryBytes({
    path: entry.path,
    headerChars: (entry.requestHeaders?.chars ?? 0) + (entry.responseHeaders?.chars ?? 0),
    bodyChars: charsOf(entry.requestBody) + charsOf(entry.responseBody),
    validation: entry.validation,
  });
}

/** What a journal tells its listeners: an entry added, or every entry gone (a reset). */
export type JournalChange = { type: 'entry'; entry: JournalEntry } | { type: 'cleared' };
export type JournalListener = (change: JournalChange) => void;

/** An entry as the journal holds it: made from what the request left only when it is first read. */
interface Kept {
  seq: number;
  bytes: number;
  entry?: JournalEntry;
  make?: () => Omit<JournalEntry, 'seq'>;
}

function entryMade(kept: Kept): JournalEntry {
  if (!kept.entry) {
    const made = kept.make!();
    kept.entry = { seq: kept.seq, ...made, path: cut(made.path, MAX_PATH_CHARS) };
    kept.make = undefined;
  }
  return kept.entry;
}

/** A bounded ring of the last requests of one sandbox: at most `capacity` entries and about `maxBytes`. */
export class Journal {
  /** The entries, oldest at `head`, in as many slots as were ever needed (a sandbox rarely fills its capacity). */
  private readonly ring: Array<Kept | undefined> = [];
  private head = 0;
  private count = 0;
  private readonly capacity: number;
  private readonly listeners = new Set<JournalListener>();
  private seq = 0;
  private bytes = 0;

  constructor(
    capacity: number,
    private readonly maxBytes = JOURNAL_MAX_BYTES,
  ) {
    // The newest entry is always kept, whatever its size.
    this.capacity = Math.max(1, capacity);
  }

  add(entry: Omit<JournalEntry, 'seq'>): JournalEntry {
    const kept = this.keep(sizeOf(entry), () => entry);
    this.told(kept);
    return entryMade(kept);
  }

  /**
   * Keeps an entry of about `bytes` that `make` makes when the journal is first read (at once when someone listens):
   * journaling costs a request little more than that estimate.
   */
  record(bytes: number, make: () => Omit<JournalEntry, 'seq'>): void {
    this.told(this.keep(bytes, make));
  }

  private told(kept: Kept): void {
    if (this.listeners.size) this.tell({ type: 'entry', entry: entryMade(kept) });
  }

  private keep(bytes: number, make: () => Omit<JournalEntry, 'seq'>): Kept {
    if (this.count === this.capacity) this.dropOldest();
    const kept: Kept = { seq: ++this.seq, bytes, make };
    const slot = (this.head + this.count) % this.capacity;
    if (slot === this.ring.length) this.ring.push(kept);
    else this.ring[slot] = kept;
    this.count++;
    this.bytes += bytes;
    while (this.count > 1 && this.bytes > this.maxBytes) this.dropOldest();
    return kept;
  }

  private dropOldest(): void {
    this.bytes -= this.ring[this.head]!.bytes;
    this.ring[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.count--;
  }

  /** The i-th entry kept, the oldest first. */
  private at(i: number): Kept {
    return this.ring[(this.head + i) % this.capacity]!;
  }

  /** Newest first. */
  last(limit = this.capacity): JournalEntry[] {
    const entries: JournalEntry[] = [];
    for (let i = this.count - 1; i >= Math.max(0, this.count - limit); i--) entries.push(entryMade(this.at(i)));
    return entries;
  }

  /** The entry numbered `seq`, while the journal still holds it (entries are numbered one after the other). */
  find(seq: number): JournalEntry | undefined {
    const i = seq - (this.seq - this.count + 1);
    return Number.isInteger(i) && i >= 0 && i < this.count ? entryMade(this.at(i)) : undefined;
  }

  get size(): number {
    return this.count;
  }

  /** About how many bytes the entries take. */
  get byteSize(): number {
    return this.bytes;
  }

  clear(): void {
    this.ring.length = 0;
    this.head = 0;
    this.count = 0;
    this.bytes = 0;
    if (this.listeners.size) this.tell({ type: 'cleared' });
  }

  /** Calls `listener` on every change until the returned function is called. */
  listen(listener: JournalListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  private tell(change: JournalChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
