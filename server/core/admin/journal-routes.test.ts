/**
 * The journal's admin routes, served: an entry, its replay as curl run by a shell, a PDF's bytes, and the live
 * journal over server-sent events (snapshot, entries as they come, per sandbox, bounded, closed).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createStandin, listen, type Standin } from '../../app.ts';
import { JournalStreams } from './journal-stream.ts';

const productive = { 'X-Auth-Token': 'productive-test-token', 'X-Organization-Id': '572' };

interface Served {
  standin: Standin;
  origin: string;
  stop(): Promise<void>;
}

async function serve(): Promise<Served> {
  const standin = await createStandin({ apis: ['productive', 'toggl'], strict: true });
  const server = listen(standin.app, 0, '127.0.0.1');
  await once(server, 'listening');
  return {
    standin,
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      await standin.close();
      server.close();
      server.closeAllConnections();
    },
  };
}

/** An SSE client: the events of a stream as they arrive, and whether the server ended it. */
async function subscribe(url: string) {
  const res = await fetch(url);
  const events: Array<{ event: string; data: unknown }> = [];
  let ended = false;
  let text = '';
  const reading = (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of res.body!) {
      text += decoder.decode(chunk as Uint8Array, { stream: true });
      let end: number;
      while ((end = text.indexOf('\n\n')) >= 0) {
        const block = text.slice(0, end);
        text = text.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event) events.push({ event, data: JSON.parse(data!) });
      }
    }
    ended = true;
  })().catch(() => {
    ended = true;
  });
  const until = async (done: () => boolean) => {
    for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(done()).toBe(true);
  };
  return { res, events, until, ended: () => ended, reading };
}

let served: Served | undefined;
afterEach(async () => {
  await served?.stop();
  served = undefined;
});

describe('an entry of the journal', () => {
  it('is replayed by the shell from its curl, with the same status; its PDF is a download of the same bytes', async () => {
    served = await serve();
    const { origin } = served;
    const pdf = await fetch(`${origin}/toggl/api/v9/workspaces/56/invoices/56.pdf`, {
      headers: { Authorization: `Basic ${btoa('admin@toggl.test:yoyo')}`, 'X-Standin-Sandbox': 'docs' },
    });
    const bytes = Buffer.from(await pdf.arrayBuffer());
    const refused = await fetch(`${origin}/productive/api/v2/prices`, {
      method: 'POST',
      headers: { ...productive, 'X-Standin-Sandbox': 'docs', 'Content-Type': 'application/vnd.api+json' },
      body: JSON.stringify({ data: { type: 'prices', attributes: { name: "it's" } } }),
    });
    expect([pdf.status, refused.status]).toEqual([200, 422]);
    const journal = `${origin}/__standin/sandboxes/docs/journal`;

    const entry = (await (await fetch(`${journal}/1`)).json()) as { bodies: unknown; responseBody: unknown };
    expect(entry.bodies).toEqual({ response: { contentType: 'application/pdf', bytes: bytes.length } });
    const download = await fetch(`${journal}/1/response-body`);
    expect(download.headers.get('content-disposition')).toBe('attachment; filename=docs-1-response.pdf');
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);
    expect((await fetch(`${journal}/1/request-body`)).status).toBe(404);

    const curl = await (await fetch(`${journal}/2/curl`)).text();
    expect(curl).toContain(`-H 'X-Auth-Token: productive-test-token'`);
    // Not execFileSync: the server answering curl runs in this process.
    const replay = await promisify(execFile)('sh', ['-c', `${curl.trim()} -s -m 20 -o /dev/null -w '%{http_code}'`]);
    expect(replay.stdout).toBe('422');
    const replayed = (await (await fetch(`${journal}?limit=1`)).json()) as Array<{ seq: number; status: number }>;
    expect(replayed[0]).toMatchObject({ seq: 3, status: 422 });
    expect(await (await fetch(`${journal}/2/fetch`)).text()).toMatch(
      /^await fetch\("http:\/\/127\.0\.0\.1:\d+\/productive/,
    );
    expect((await fetch(`${journal}/99/curl`)).status).toBe(404);
    expect((await fetch(`${journal}/x`)).status).toBe(400);
  });
});

describe('the journal stream', () => {
  it('sends the last entries, then each request of its own sandbox only, then a reset, with secrets masked', async () => {
    served = await serve();
    const { origin } = served;
    const call = (sandbox: string) =>
      fetch(`${origin}/productive/api/v2/prices`, { headers: { ...productive, 'X-Standin-Sandbox': sandbox } });
    await call('mine');
    const stream = await subscribe(`${origin}/__standin/sandboxes/mine/journal/events`);
    expect(stream.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await stream.until(() => stream.events.length === 1);
    expect(stream.events[0]).toMatchObject({ event: 'snapshot', data: [{ seq: 1, operationId: 'list_prices' }] });

    await call('theirs');
    await call('mine');
    await stream.until(() => stream.events.length === 2);
    const entry = stream.events[1]!.data as { seq: number; requestHeaders: string[][] };
    expect(stream.events[1]!.event).toBe('entry');
    expect(entry.seq).toBe(2);
    expect(entry.requestHeaders).toContainEqual(['X-Auth-Token', '••••••••']);

    await fetch(`${origin}/__standin/sandboxes/mine/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    await stream.until(() => stream.events.length === 3);
    expect(stream.events.map((e) => e.event)).toEqual(['snapshot', 'entry', 'cleared']);
    expect(stream.events.some((e) => JSON.stringify(e.data).includes('theirs'))).toBe(false);
  });

  it('lets go of a client that leaves, refuses one beyond the bound, and ends the others on close', async () => {
    served = await serve();
    const { origin, standin } = served;
    const url = `${origin}/__standin/sandboxes/default/journal/events`;
    const sandbox = await standin.store.get('default');
    const leaving = new AbortController();
    await fetch(url, { signal: leaving.signal });
    await new Promise((r) => setTimeout(r, 50));
    expect(sandbox.journal.listenerCount).toBe(1);
    leaving.abort();
    for (let i = 0; i < 100 && sandbox.journal.listenerCount; i++) await new Promise((r) => setTimeout(r, 10));
    expect(sandbox.journal.listenerCount).toBe(0);

    const open = await Promise.all(Array.from({ length: new JournalStreams().max }, () => subscribe(url)));
    const refused = await fetch(url);
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: string }).error).toMatch(/journal streams are open already/);

    await standin.close();
    await open[0]!.until(() => open.every((s) => s.ended()));
    expect(open[0]!.events.at(-1)!.event).toBe('closing');
    expect(sandbox.journal.listenerCount).toBe(0);
  });

  it('answers 404 for a sandbox that does not exist, and 400 for a bad limit', async () => {
    served = await serve();
    expect((await fetch(`${served.origin}/__standin/sandboxes/nobody/journal/events`)).status).toBe(404);
    expect((await fetch(`${served.origin}/__standin/sandboxes/default/journal/events?limit=-1`)).status).toBe(400);
  });
});
