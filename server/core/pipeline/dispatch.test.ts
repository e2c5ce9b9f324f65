import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { listen } from '../../app.ts';
import { dispatcher } from './dispatch.ts';
import type { ApiPipeline } from './entry.ts';

/** Answers which way a request went: straight to the pipeline (with the rest of its URL) or through express. */
function recordingApp() {
  const answer = (res: ServerResponse, text: string) => res.end(text);
  const pipeline: ApiPipeline = { mounted: () => {}, direct: (_req, res, rest) => answer(res, `direct ${rest}`) };
  const express = (req: IncomingMessage, res: ServerResponse) => answer(res, `express ${req.url}`);
  return dispatcher(express, new Map([['things', pipeline]]));
}

const servers: Server[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

async function get(server: Server, path: string, headers: Record<string, string> = {}): Promise<string> {
  servers.push(server);
  if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return (await fetch(`http://127.0.0.1:${port}${path}`, { headers })).text();
}

describe('the one entry of the app', () => {
  it('takes API requests straight to their pipeline however the app is served', async () => {
    const app = recordingApp();
    expect(await get(app.listen(0, '127.0.0.1'), '/things/1?a=b')).toBe('direct /1?a=b');
    expect(await get(listen(app, 0, '127.0.0.1'), '/things/1')).toBe('direct /1');
    expect(await get(createServer(app).listen(0, '127.0.0.1'), '/things/1')).toBe('direct /1');
  });

  it('leaves to express what it must read its own way: CORS, other case, no slash after the API, other paths', async () => {
    const server = recordingApp().listen(0, '127.0.0.1');
    expect(await get(server, '/things/1', { origin: 'http://app.test' })).toBe('express /things/1');
    expect(await get(server, '/THINGS/1')).toBe('express /THINGS/1');
    expect(await get(server, '/things?x=1')).toBe('express /things?x=1');
    expect(await get(server, '/__standin/health')).toBe('express /__standin/health');
  });
});
