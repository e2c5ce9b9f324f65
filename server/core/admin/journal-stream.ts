/**
 * Live journals for the console: each stream is a server-sent-events response that gets the sandbox's last entries
 * as one `snapshot` event, then an `entry` event per request and a `cleared` event on reset. Streams are bounded in
 * number, dropped when their client stops reading, and ended on shutdown (`closing`, then the end of the response).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JournalChange } from '../sandbox/journal.ts';
import type { Sandbox } from '../sandbox/store.ts';

export const MAX_JOURNAL_STREAMS = 64;
/** A comment line this often keeps proxies from closing an idle stream, and notices a sandbox gone from memory. */
const HEARTBEAT_MS = 15_000;
/** A client that let this much pile up has stopped reading: it is dropped (an EventSource reconnects). */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

const event = (name: string, data: unknown, id?: number) =>
  `${id === undefined ? '' : `id: ${id}\n`}event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

interface Stream {
  res: ServerResponse;
  /** False once the sandbox streamed is no longer the store's (deleted, or dropped from memory). */
  current: () => boolean;
  stop: () => void;
}

export class JournalStreams {
  private readonly streams = new Set<Stream>();
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    readonly max = MAX_JOURNAL_STREAMS,
    private readonly heartbeatMs = HEARTBEAT_MS,
  ) {}

  get size(): number {
    return this.streams.size;
  }

  /** Streams `sandbox`'s journal on `res` until the client leaves or close(); false (nothing sent) when full. */
  open(req: IncomingMessage, res: ServerResponse, sandbox: Sandbox, current: () => boolean, limit: number): boolean {
    if (this.streams.size >= this.max) return false;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
    });
    res.write(`retry: 2000\n\n${event('snapshot', sandbox.journal.last(limit))}`);
    const send = (change: JournalChange) => {
      if (res.writableLength > MAX_BUFFERED_BYTES) return this.end(stream, true);
      res.write(change.type === 'entry' ? event('entry', change.entry, change.entry.seq) : event('cleared', {}));
    };
    const unlisten = sandbox.journal.listen(send);
    const stream: Stream = {
      res,
      current,
      stop: () => {
        unlisten();
        req.off('close', leave);
      },
    };
    const leave = () => this.end(stream);
    req.on('close', leave);
    this.streams.add(stream);
    this.heartbeat ??= setInterval(() => this.beat(), this.heartbeatMs).unref();
    return true;
  }

  /** Ends every stream (the server is stopping). */
  close(): void {
    for (const stream of this.streams) {
      stream.res.write(event('closing', {}));
      this.end(stream);
    }
  }

  private beat(): void {
    for (const stream of this.streams)
      if (stream.current()) stream.res.write(': keep-alive\n\n');
      else this.end(stream);
  }

  /** Ends a stream; `drop` destroys it instead, for a client that stopped reading (what it has not read is lost). */
  private end(stream: Stream, drop = false): void {
    if (!this.streams.delete(stream)) return;
    stream.stop();
    if (drop) stream.res.destroy();
    else stream.res.end();
    if (!this.streams.size && this.heartbeat) {
      clearInterval(this.heartbeat);
      this.heartbeat = undefined;
    }
  }
}
