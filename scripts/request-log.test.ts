import { describe, expect, it } from 'vitest';
import type { RequestEvent } from '../server/core/pipeline/index.ts';
import { jsonLine, logFormat, prettyLines, requestLogger } from './request-log.ts';

const pipe = { isTTY: false } as NodeJS.WriteStream;
const terminal = { isTTY: true } as NodeJS.WriteStream;
const at = new Date('2030-01-02T03:04:05.678Z');
const listed: RequestEvent = {
  sandbox: 'ci-42',
  api: 'productive',
  method: 'GET',
  path: '/productive/api/v2/prices',
  operationId: 'listPrices',
  status: 200,
  durationMs: 3.4,
};
const broken: RequestEvent = {
  ...listed,
  method: 'POST',
  operationId: 'createPrice',
  status: 422,
  violations: {
    request: ['body /data/attributes/name: must be string'],
    response: ['response /errors: must be array'],
  },
};

describe('the request log', () => {
  it('is pretty on a terminal and JSON lines elsewhere, unless told', () => {
    expect([
      logFormat(undefined, terminal),
      logFormat(undefined, pipe),
      logFormat('json', terminal),
      logFormat('pretty', pipe),
    ]).toEqual(['pretty', 'json', 'json', 'pretty']);
    expect(requestLogger('off', pipe)).toBeUndefined();
  });

  it('writes one JSON object a line: time, sandbox, operationId, status, duration, violations', () => {
    expect(JSON.parse(jsonLine(broken, at))).toEqual({ time: '2030-01-02T03:04:05.678Z', ...broken });
    expect(jsonLine(listed, at)).not.toContain('\n');
  });

  it('writes a line a reader can scan, each violation under it', () => {
    const saved = process.env.NO_COLOR;
    process.env.NO_COLOR = '1';
    try {
      expect(prettyLines(listed, terminal, at)).toBe(
        '03:04:05  ci-42  GET /productive/api/v2/prices  listPrices  200  3 ms',
      );
      expect(prettyLines(broken, terminal, at).split('\n')).toEqual([
        '03:04:05  ci-42  POST /productive/api/v2/prices  createPrice  422  3 ms',
        '    request breaks the contract: body /data/attributes/name: must be string',
        '    response breaks the contract: response /errors: must be array',
      ]);
      expect(prettyLines({ ...listed, sandbox: undefined, operationId: null, status: 400 }, terminal, at)).toBe(
        '03:04:05  -  GET /productive/api/v2/prices  -  400  3 ms',
      );
    } finally {
      if (saved === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = saved;
    }
  });
});
