/** The verify report's pieces on their own: notes that accept a difference, failure classes, foreign pages, drift kinds. */
import { describe, expect, it } from 'vitest';
import type { Contract, Operation } from '../../server/core/contract/load.ts';
import type { CallRecord } from '../support/target.ts';
import {
  backendSentences,
  classifyFailure,
  classifyInteraction,
  fieldOf,
  foreignPages,
  noteFor,
  notesOf,
  type Classifier,
} from '../../scripts/classify.ts';
import { compareRuns, differencesOf, flattenShape, groupDrifts } from '../../scripts/drift.ts';
import { operationsJUnit } from '../../scripts/reports.ts';
import { describeAnswer, htmlTitle, summariseBody } from '../../server/core/proxy/body-summary.ts';
import { styledPath } from '../../server/core/proxy/path-style.ts';
import { firstLine, type ScenarioResult } from '../../scripts/verify-reporter.ts';

const document = {
  openapi: '3.1.0',
  info: { title: 't', version: '1' },
  paths: {
    '/api/plans/{plan}/': {
      get: {
        operationId: 'plan_retrieve',
        'x-standin-note':
          'The seed prints 200 for a missing plan. As djaodjin does, 403 for a stranger. djaodjin-saas 0.11.0: 404 for it.',
        responses: {
          '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Plan' } } } },
          '403': { $ref: '#/components/responses/Forbidden' },
        },
      },
    },
  },
  components: {
    securitySchemes: {
      bearer: {
        type: 'http',
        scheme: 'bearer',
        'x-standin-note': 'A JWT. djaodjin-saas 0.11.0: an expired one is a 403.',
      },
    },
    responses: {
      Forbidden: {
        description: 'no',
        'x-standin-note': 'Without credentials the backend answers 403 with an HTML page from its URL guard.',
        content: { 'application/json': { schema: { type: 'object' } } },
      },
    },
    schemas: {
      Plan: {
        type: 'object',
        properties: {
          organization: {
            type: 'string',
            'x-standin-note': 'The seed example shows a string; 0.11.0 sends an object.',
          },
          title: { type: 'string', 'x-standin-note': 'Free text, any length.' },
        },
      },
    },
  },
};
const operation = {
  operationId: 'plan_retrieve',
  method: 'get',
  path: '/api/plans/{plan}/',
  security: ['bearer'],
  spec: document.paths['/api/plans/{plan}/'].get,
} as unknown as Operation;
const contract = {
  api: 't',
  document,
  operations: [operation],
  byId: new Map([['plan_retrieve', operation]]),
} as unknown as Contract;

const call = (over: Partial<CallRecord>): CallRecord => ({
  operationId: 'plan_retrieve',
  method: 'GET',
  path: '/api/plans/open-space/',
  status: 200,
  test: 'plans > reads one',
  shape: '{}',
  mediaType: 'application/json',
  contract: [],
  ...over,
});
const failed = (errors: string[]): ScenarioResult => ({
  file: 'suites/x/plans.test.ts',
  name: 'plans > reads one',
  status: 'failed',
  errors,
});
const classifier = (notServed: string[] = []): Classifier => ({
  notServed: new Map(notServed.map((id) => [id, 'probe'])),
  notesOf: () => notesOf(contract, operation),
});
/** How a scenario that failed with `error` after `calls` is classified, every operation served. */
const classifyAs = (error: string, calls: CallRecord[] = []) => classifyFailure(failed([error]), calls, classifier());

describe('a pact interaction the provider did not honour', () => {
  const pactScenario: ScenarioResult = {
    file: 'suites/pact/p.pact.test.ts',
    name: 'pact: web → t > provider',
    status: 'failed',
    errors: ['2 of 3 interactions failed'],
  };
  const interaction = (status: number, mismatches: { field?: string; text: string }[], expected = status) => ({
    interaction: 'a request for open-space',
    method: 'GET',
    path: '/api/plans/open-space/',
    status,
    expected,
    mismatches,
  });

  it('is classified like a call of its operation: not served, backend 5xx, or noted by its field or its status', () => {
    const missing = interaction(200, [
      { field: 'organization', text: 'Actual map is missing the following keys: organization' },
    ]);
    expect(classifyInteraction(pactScenario, missing, 'plan_retrieve', classifier(['plan_retrieve']))).toMatchObject({
      class: 'not-served',
      name: 'pact: web → t > provider > a request for open-space',
    });
    expect(
      classifyInteraction(
        pactScenario,
        interaction(500, [{ text: 'expected 200 but was 500' }]),
        'plan_retrieve',
        classifier(),
      ),
    ).toMatchObject({ class: 'backend-5xx', why: 'plan_retrieve GET /api/plans/open-space/ answered 500' });
    expect(classifyInteraction(pactScenario, missing, 'plan_retrieve', classifier())).toMatchObject({
      class: 'noted',
      why: expect.stringMatching(
        /^plan_retrieve → 200 Actual map is missing the following keys: organization: noted \(property organization\)/,
      ),
    });
    const otherStatus = interaction(
      404,
      [
        { text: 'expected 200 but was 404' },
        { field: 'title', text: 'Actual map is missing the following keys: title' },
      ],
      200,
    );
    expect(classifyInteraction(pactScenario, otherStatus, 'plan_retrieve', classifier())).toMatchObject({
      class: 'noted',
      operationId: 'plan_retrieve',
      why: expect.stringMatching(/^plan_retrieve → 404 answered 404 where the pact expects 200: noted \(operation\)/),
    });
  });

  it('is unclassified when a mismatch has no note, or its request is no operation of the contract', () => {
    const title = interaction(200, [
      { field: 'organization', text: 'missing organization' },
      { field: 'title', text: 'Expected a string at $.title' },
    ]);
    expect(classifyInteraction(pactScenario, title, 'plan_retrieve', classifier())).toMatchObject({
      class: 'unclassified',
      why: 'plan_retrieve → 200 Expected a string at $.title',
    });
    expect(classifyInteraction(pactScenario, interaction(404, []), undefined, classifier())).toMatchObject({
      class: 'unclassified',
      why: 'GET /api/plans/open-space/ is no operation of the contract',
    });
  });
});

describe('x-standin-note as an accepted difference', () => {
  it('collects the notes of the operation, its security scheme, its responses (through $ref) and the properties of its schemas', () => {
    expect(notesOf(contract, operation).map((n) => n.where)).toEqual([
      'operation',
      'security scheme bearer',
      'property organization',
      'property title',
      'response 403',
    ]);
  });

  it('accepts a difference only when the note names the backend and the status or field that differs', () => {
    const notes = notesOf(contract, operation);
    expect(noteFor(notes, { status: 404 })?.where).toBe('operation');
    expect(noteFor(notes, { status: 403 })?.where).toBe('security scheme bearer');
    expect(
      noteFor(
        notes.filter((n) => n.where !== 'security scheme bearer'),
        { status: 403 },
      )?.where,
    ).toBe('response 403');
    expect(noteFor(notes, { field: 'organization' })?.where).toBe('property organization');
    expect(noteFor(notes, { field: 'title' })).toBeUndefined();
    expect(noteFor(notes, { status: 500 })).toBeUndefined();
    expect(noteFor(notes.slice(0, 1), { status: 403 })).toBeUndefined();
    expect(backendSentences(notes[0]!.text)).toBe('djaodjin-saas 0.11.0: 404 for it.');
  });

  it('finds the field a pointer names', () => {
    expect(fieldOf('/results/0/organization')).toBe('organization');
    expect(fieldOf('')).toBeUndefined();
  });
});

describe('a failed scenario has one class', () => {
  it('not served: a call, or an error message, names an operation the target lacks', () => {
    expect(
      classifyFailure(
        failed(['expected 404 to be 200 // Object.is equality']),
        [call({ status: 404 })],
        classifier(['plan_retrieve']),
      ),
    ).toMatchObject({ class: 'not-served', operationId: 'plan_retrieve' });
    expect(
      classifyFailure(
        failed(['plan_retrieve must match the contract: expected [ … ]']),
        [],
        classifier(['plan_retrieve']),
      ).class,
    ).toBe('not-served');
  });

  it('backend 5xx: a call answered 5xx, or the error says so', () => {
    expect(classifyAs('expected 500 to be 200', [call({ status: 500 })])).toMatchObject({
      class: 'backend-5xx',
      why: 'plan_retrieve GET /api/plans/open-space/ answered 500',
    });
    expect(classifyAs('login as donny: expected 500 to be 201 // Object.is equality').class).toBe('backend-5xx');
  });

  it('noted: every difference (status the error names, contract violations) has a note naming the backend', () => {
    const status = classifyAs('expected 404 to be 200 // Object.is equality', [call({ status: 404 })]);
    expect(status).toMatchObject({ class: 'noted', operationId: 'plan_retrieve' });
    expect(status.why).toBe(
      'plan_retrieve answered 404, the scenario expects 200: noted (operation): djaodjin-saas 0.11.0: 404 for it.',
    );
    const field = [
      call({ contract: [{ in: 'response', pointer: '/organization', keyword: 'type', message: 'must be string' }] }),
    ];
    expect(classifyAs('plan_retrieve → 200 must match the contract', field).class).toBe('noted');
  });

  it('noted: a field the scenario found missing in the last answer it read, with the note on the responses', () => {
    const login = {
      operationId: 'login',
      method: 'post',
      path: '/api/auth/',
      security: [],
      spec: {
        responses: {
          'x-standin-note': 'djaodjin-saas 0.11.0: the claims are username and exp: no slug.',
          '201': { description: 'a token' },
        },
      },
    } as unknown as Operation;
    const withLogin = { ...contract, byId: new Map([['login', login]]) } as unknown as Contract;
    expect(notesOf(withLogin, login).map((n) => n.where)).toEqual(['responses']);
    const notes: Classifier = { notServed: new Map(), notesOf: () => notesOf(withLogin, login) };
    const calls = [call({ operationId: 'login', status: 201 })];
    expect(
      classifyFailure(failed(['expected { username: \'xia\' } to have property "slug"']), calls, notes),
    ).toMatchObject({
      class: 'noted',
      operationId: 'login',
      why: 'login → 201 without slug: noted (responses): djaodjin-saas 0.11.0: the claims are username and exp: no slug.',
    });
    expect(
      classifyFailure(failed(['expected { username: \'xia\' } to have property "email"']), calls, notes),
    ).toMatchObject({ class: 'unclassified', why: 'login → 201 without email' });
  });

  it('unclassified: a difference no note accepts, or no difference it can see', () => {
    const title = [
      call({ contract: [{ in: 'response', pointer: '/title', keyword: 'type', message: 'must be string' }] }),
    ];
    expect(classifyAs('plan_retrieve → 200 must match the contract', title)).toMatchObject({
      class: 'unclassified',
      why: 'plan_retrieve → 200 /title [type]',
    });
    expect(classifyAs("expected 'a' to be 'b'", [call({})])).toMatchObject({
      class: 'unclassified',
      why: "plan_retrieve → 200 with another body: expected 'a' to be 'b'",
    });
    expect(classifyAs('Error: socket hang up', [call({})])).toMatchObject({
      class: 'unclassified',
      why: 'Error: socket hang up',
    });
  });

  it('noted: a value the scenario found different in the last answer it read, whose status the note names', () => {
    const body = classifyAs("expected [ 'no such plan' ] to deeply equal { detail: 'Not found.' }", [
      call({ status: 404 }),
    ]);
    expect(body).toMatchObject({ class: 'noted', operationId: 'plan_retrieve' });
    expect(body.why).toBe(
      "plan_retrieve → 404 with another body: expected [ 'no such plan' ] to deeply equal { detail: 'Not found.' }: noted (operation): djaodjin-saas 0.11.0: 404 for it.",
    );
  });
});

describe('foreign error pages', () => {
  it('are grouped by status, media type and title with paths blanked, each kind once', () => {
    const page = (path: string, status = 403) =>
      call({
        status,
        path,
        mediaType: 'text/html',
        page: { mediaType: 'text/html', size: 3000, title: `Forbidden at ${path}` },
      });
    const pages = foreignPages([
      page('/api/a/'),
      page('/api/b/'),
      { ...page('/api/c/'), operationId: 'other' },
      page('/api/d/', 404),
      call({ status: 404 }),
    ]);
    expect(pages).toEqual([
      {
        status: 403,
        mediaType: 'text/html',
        title: 'Forbidden at <path>',
        calls: 3,
        operations: 2,
        example: 'plan_retrieve: GET /api/a/',
      },
      {
        status: 404,
        mediaType: 'text/html',
        title: 'Forbidden at <path>',
        calls: 1,
        operations: 1,
        example: 'plan_retrieve: GET /api/d/',
      },
    ]);
  });

  it('a non-JSON body is summarised, never kept', () => {
    const html = Buffer.from(
      `<html><head><title>\n Page not found at /api/x/ </title></head><body>${'x'.repeat(5000)}</body></html>`,
    );
    expect(summariseBody(html, 'text/html; charset=utf-8')).toEqual({
      mediaType: 'text/html',
      size: html.length,
      title: 'Page not found at /api/x/',
    });
    expect(describeAnswer(404, summariseBody(html, 'text/html'))).toBe(
      '404 text/html, 5.0 KB, "Page not found at /api/x/"',
    );
    expect(htmlTitle('<p>no title</p>')).toBeUndefined();
    expect(firstLine(`\u001b[31mexpected <html>\n${'<p>'.repeat(10)}\u001b[39m`)).toBe('expected <html>');
    expect(firstLine('expected Buffer[ 60, 33, 68, …(52452) ] to deeply equal { detail: … }')).toBe(
      'expected <a body that is not JSON, 52455 bytes> to deeply equal { detail: … }',
    );
  });
});

describe('drift, grouped by kind', () => {
  it('reads a shape back into typed fields', () => {
    expect([...flattenShape('{a:[{b:number,c:null}],d:string}')]).toEqual([
      ['/', 'object'],
      ['/a', 'array'],
      ['/a/[]', 'object'],
      ['/a/[]/b', 'number'],
      ['/a/[]/c', 'null'],
      ['/d', 'string'],
    ]);
  });

  it('names the status, media type, missing, extra and retyped fields, the top of a subtree once', () => {
    const m = call({ shape: '{a:[{b:number}],org:string,gone:{x:string}}' });
    expect(differencesOf(m, call({ status: 403 }))).toEqual([{ kind: 'status', detail: '200 → 403' }]);
    expect(differencesOf(m, call({ mediaType: 'text/html' }))).toEqual([
      { kind: 'media type', detail: 'application/json → text/html' },
    ]);
    expect(differencesOf(m, call({ shape: '{a:[],org:{slug:string},extra:number}' }))).toEqual([
      { kind: 'retyped field', detail: '/org: string → object' },
      { kind: 'missing field', detail: '/gone' },
      { kind: 'extra field', detail: '/extra' },
    ]);
  });

  it('pairs the calls of a scenario in order and groups what differs with a count and one example', () => {
    const mock = [call({}), call({ shape: '{a:string}' }), call({ operationId: 'gone' })];
    const target = [call({}), call({ shape: '{a:number}' }), call({ operationId: 'gone', status: 404 })];
    const drifts = compareRuns(mock, target, new Set(['gone']));
    expect(groupDrifts(drifts)).toEqual([
      {
        kind: 'not served',
        calls: 1,
        operations: 1,
        example: 'gone in "plans reads one": gone',
        details: [{ detail: 'gone', calls: 1, operations: ['gone'] }],
      },
      {
        kind: 'retyped field',
        calls: 1,
        operations: 1,
        example: 'plan_retrieve in "plans reads one": /a: string → number',
        details: [{ detail: '/a: string → number', calls: 1, operations: ['plan_retrieve'] }],
      },
    ]);
  });
});

describe('paths and JUnit per operation', () => {
  it('slashless drops the trailing slash of the path, not of the query, and keeps the root', () => {
    expect(styledPath('/api/pricing/?q=a/', 'slashless')).toBe('/api/pricing?q=a/');
    expect(styledPath('/', 'slashless')).toBe('/');
    expect(styledPath('/api/pricing/', 'slash')).toBe('/api/pricing/');
  });

  it('writes one test case per operation: failed with its reason, skipped when not served', () => {
    const xml = operationsJUnit('djaoapp', 'http://x', [
      { operationId: 'a', verdict: 'passed' },
      { operationId: 'b', verdict: 'failed', reason: 'answered 403 <html>' },
      { operationId: 'c', verdict: 'not served', reason: 'probe' },
    ]);
    expect(xml).toContain('<testsuites name="standin verify djaoapp" tests="3" failures="1" skipped="1">');
    expect(xml).toContain('<failure message="answered 403 &lt;html&gt;"/>');
    expect(xml).toContain('<skipped message="not served by this target: probe"/>');
  });
});
