/**
 * A journal entry as a command that sends the same request again: curl for a terminal, fetch for a browser's
 * console. Credentials are written as sent (a replay must authenticate); the sandbox header is always there, so the
 * replay lands in the entry's own sandbox.
 */
import { SANDBOX_HEADER } from '../headers.ts';
import { BinaryBody, type JournalEntry } from '../sandbox/journal.ts';

/** Set by the client from the connection and the body: a replay leaves them to curl or the browser. */
const TRANSPORT_HEADERS = new Set([
  'host',
  'content-length',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'upgrade',
  'expect',
  'proxy-connection',
  'accept-encoding',
]);
/** What a page's fetch may not set (the Fetch standard's forbidden names), beside the transport headers. */
const FETCH_FORBIDDEN = /^(?:cookie|cookie2|origin|referer|user-agent|dnt|date|via|trailer|sec-.*|proxy-.*)$/i;

/** A word for a POSIX shell: single-quoted, a quote inside as '\''. */
export const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

interface Replayed {
  url: string;
  method: string;
  headers: Array<readonly [string, string]>;
  body: string | undefined;
  /** Why the replay cannot send the request exactly as it came, when it cannot. */
  caveat: string | undefined;
}

function replayed(entry: JournalEntry, origin: string, sandbox: string): Replayed {
  const pairs = (entry.requestHeaders?.pairs ?? []).filter(([name]) => !TRANSPORT_HEADERS.has(name.toLowerCase()));
  const headers = pairs.some(([name]) => name.toLowerCase() === SANDBOX_HEADER)
    ? pairs
    : [...pairs, ['X-Standin-Sandbox', sandbox] as const];
  const note = entry.bodies?.request;
  const body = typeof entry.requestBody === 'string' && !note?.cut ? entry.requestBody : undefined;
  const caveat =
    entry.requestBody instanceof BinaryBody
      ? `the request body was ${entry.requestBody.size} bytes of binary data: this replay sends none`
      : note?.cut
        ? `the request body (${note.chars} characters) was cut in the journal: this replay sends none`
        : entry.requestHeaders?.omitted
          ? `${entry.requestHeaders.omitted} request headers were not kept`
          : undefined;
  return { url: `${origin}${entry.path}`, method: entry.method, headers, body, caveat };
}

/** GET is curl's own; HEAD must be --head (with -X HEAD curl waits for a body that never comes). */
const methodOption = (method: string) =>
  method === 'GET' ? '' : method === 'HEAD' ? '--head ' : `-X ${shellQuote(method)} `;

/** The entry's request as a curl command line (POSIX shell). */
export function asCurl(entry: JournalEntry, origin: string, sandbox: string): string {
  const r = replayed(entry, origin, sandbox);
  // --globoff: brackets in a query (filter[name]=…) are data, not curl's URL patterns.
  const lines = [
    `curl --globoff ${methodOption(r.method)}${shellQuote(r.url)}`,
    ...r.headers.map(([n, v]) => `-H ${shellQuote(`${n}: ${v}`)}`),
  ];
  if (r.body !== undefined) lines.push(`--data-raw ${shellQuote(r.body)}`);
  const command = lines.join(' \\\n  ');
  return r.caveat ? `# ${r.caveat}\n${command}\n` : `${command}\n`;
}

/** The entry's request as a fetch call (JavaScript), without the headers a page may not set. */
export function asFetch(entry: JournalEntry, origin: string, sandbox: string): string {
  const r = replayed(entry, origin, sandbox);
  const headers = r.headers.filter(([name]) => !FETCH_FORBIDDEN.test(name));
  const init = [
    `  method: ${JSON.stringify(r.method)},`,
    `  headers: {\n${headers.map(([n, v]) => `    ${JSON.stringify(n)}: ${JSON.stringify(v)},`).join('\n')}\n  },`,
    ...(r.body !== undefined ? [`  body: ${JSON.stringify(r.body)},`] : []),
  ];
  const call = `await fetch(${JSON.stringify(r.url)}, {\n${init.join('\n')}\n});`;
  return r.caveat ? `// ${r.caveat}\n${call}\n` : `${call}\n`;
}
