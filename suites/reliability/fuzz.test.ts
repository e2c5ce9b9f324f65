/**
 * Property-based bad input on every operation of every contract (fast-check), generated from the contracts:
 * bodies with wrong types, missing and extra fields, out-of-range numbers, huge strings, bad JSON, wrong content
 * types, unknown ids and odd path characters, junk query values, bodies over the size cap. Every answer must be
 * documented by the contract (the suites' contract check: the vendor's error format for that status), never a
 * 5xx, never later than HANG_MS; a request the contract forbids must be refused with a 4xx; and the sandbox's
 * state (GET /__standin/sandboxes/{id}/state) must be byte-identical before and after every refused request.
 * A failure fast-check shrank is tried again on a fresh sandbox before it is reported.
 *
 * RELIABILITY_FUZZ_RUNS (default 12) sets the cases per operation, RELIABILITY_SEED the seed (default fixed, so a
 * run is repeatable; set it to explore).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation } from '../../server/core/contract/load.ts';
import { compileContract } from '../../server/core/validator/compile.ts';
import { placesOf, replaced, sampleOf, type Json } from './schema.ts';
import {
  APIS,
  facts,
  freshSandbox,
  Harness,
  isEmptyListing,
  NAMING_PATH_PARAMETERS,
  readyTarget,
  send,
  settle,
  stateText,
  UNUSED_PATH_PARAMETERS,
  validParams,
  type ApiName,
  type Sent,
} from './support.ts';

const RUNS = Number(process.env.RELIABILITY_FUZZ_RUNS ?? 12);
const SEED = Number(process.env.RELIABILITY_SEED ?? 20261115);
const OVER_CAP = 1024 * 1024 + 16;

let h: Harness;
beforeAll(async () => {
  h = await Harness.start();
});
afterAll(() => h?.close());

type Case =
  | { kind: 'body'; mutation: string; body: Json | undefined }
  | { kind: 'json'; text: string }
  | { kind: 'content-type'; contentType: string }
  | { kind: 'path'; name: string; value: string }
  | { kind: 'query'; query: Array<[string, string]> };

/** Every byte percent-encoded except letters and digits: any string can be a path segment. */
const encodeSegment = (value: string) =>
  [...Buffer.from(value, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9_~-]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');

/** Fills the contract path: the odd value percent-encoded whole, valid ones as the suites send them. */
function pathOf(op: Operation, params: Record<string, string>): string {
  return op.path.replace(/\{([^}]+)\}/g, (_, name: string, at: number) => {
    const value = params[name]!;
    const glued = at > 0 && op.path[at - 1] !== '/';
    return glued ? value.split('/').map(encodeSegment).join('/') : encodeSegment(value);
  });
}

/** Values that exist somewhere in the fixtures (an "unknown id" must not be one of them). */
const KNOWN = new Set(
  [
    ...APIS.flatMap((api) => Object.values(facts[api].ids)),
    'donny',
    'alice',
    'xia',
    'joe1',
    'cowork',
    'G234DZZKBKACATFFGVGEMERFI',
    'GLOBEX-001',
    'security',
  ].map((v) => v.toLowerCase()),
);
function unknownId(value: string): boolean {
  const trimmed = value.trim();
  if (!trimmed || /^\.{1,2}$/.test(value) || KNOWN.has(trimmed.toLowerCase())) return false;
  const n = Number(trimmed);
  if (Number.isFinite(n) && n > 0 && n < 1e10) return false; // "12", "0x38", "1e0", " 56": might name a fixture
  return !/^\/?app\/?$/.test(trimmed);
}

const oddValue = fc.oneof(
  fc.string({ minLength: 1, maxLength: 30 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }),
  fc.constantFrom(
    '%',
    '%00',
    '%zz',
    '\u0000',
    ' ',
    '\\',
    '?',
    '#',
    "'",
    '"',
    '<script>',
    'null',
    'undefined',
    '-1',
    '0',
    '-0',
    'NaN',
    'Infinity',
    '1.5',
    '99999999999999999999',
    '../etc/passwd',
    'a/b',
    '😀',
    '\u202e',
    'ACC00001\u0000',
  ),
  fc.integer({ min: 100, max: 4000 }).map((n) => 'x'.repeat(n)),
  fc.bigInt({ min: 10n ** 10n, max: 10n ** 30n }).map(String),
  fc.integer({ min: -1_000_000_000, max: 0 }).map(String),
);

const wrongTypeValues: Json[] = [
  0,
  -1,
  1.5,
  1e308,
  'text',
  '',
  true,
  false,
  null,
  [],
  {},
  [1, 'a'],
  { nested: { deeper: [null] } },
];
const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const oddNumbers: Json[] = [
  -1,
  0,
  -0.5,
  1e308,
  -1e308,
  2 ** 53 + 1,
  -(2 ** 63),
  1e-320,
  123456789012345680000,
  0.1 + 0.2,
];
// biome-ignore lint/suspicious/noTemplateCurlyInString: a log4j-style lookup, as text, is one of the odd inputs
const LOG4J_LOOKUP = '${jndi:ldap://x}';
const oddStrings = fc.oneof(
  fc.integer({ min: 1_000, max: 200_000 }).map((n) => 'x'.repeat(n)),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\ud800',
    '\u202e\u0000x',
    '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
    '"; DROP TABLE prices; --',
    '{{7*7}}',
    LOG4J_LOOKUP,
    '../../',
  ),
);

const badJson = fc
  .oneof(
    fc.constantFrom(
      '{',
      '{"a":',
      '[1,2',
      '{"a":1}}',
      "{'a':1}",
      'NaN',
      'undefined',
      '[1,]',
      '{"a":1,}',
      '\u0000',
      '\uFEFF{}',
      '{"a":"\\x"}',
      '--',
      '{"a":01}',
      '"\ud800',
      'nul',
      'tru',
      '.5',
      '+1',
      '1 2',
      '{} {}',
    ),
    fc.string({ minLength: 1, maxLength: 40 }),
  )
  .filter((text) => {
    try {
      JSON.parse(text);
      return false;
    } catch {
      return true;
    }
  });

function jsonMediaType(op: Operation): string | undefined {
  return Object.keys(op.requestBody?.content ?? {}).find((type) => /json/i.test(type));
}

/** The cases of one operation: what its contract lets us break. */
function casesOf(api: ApiName, op: Operation, base: Json | undefined): fc.Arbitrary<Case> {
  const arbitraries: Array<fc.Arbitrary<Case>> = [];
  const document = h.contracts[api].document;
  const media = jsonMediaType(op);
  if (op.requestBody && media && base !== undefined) {
    const schema = op.requestBody.content[media]!.schema;
    const places = placesOf(document, schema, base);
    const place = fc.constantFrom(...places);
    // (fast-check's filter retries without end when nothing passes: every list below is non-empty.)
    const wrongTyped = places.flatMap((p) =>
      wrongTypeValues.filter((v) => typeOf(v) !== typeOf(p.value)).map((v) => [p, v] as const),
    );
    const inner = places.filter((p) => p.path.length > 0);
    const objects = places.filter((p) => typeOf(p.value) === 'object');
    arbitraries.push(
      fc
        .constantFrom(...wrongTyped)
        .map(
          ([p, v]) =>
            ({ kind: 'body', mutation: `wrong type at /${p.path.join('/')}`, body: replaced(base, p.path, v) }) as Case,
        ),
    );
    if (inner.length)
      arbitraries.push(
        fc.constantFrom(...inner).map(
          (p) =>
            ({
              kind: 'body',
              mutation: `missing /${p.path.join('/')}`,
              body: replaced(base, p.path, undefined),
            }) as Case,
        ),
      );
    if (objects.length)
      arbitraries.push(
        fc
          .tuple(fc.constantFrom(...objects), fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }))
          .map(
            ([p, key, v]) =>
              ({
                kind: 'body',
                mutation: `extra field ${JSON.stringify(key)} at /${p.path.join('/')}`,
                body: replaced(base, [...p.path, key], v as Json),
              }) as Case,
          ),
      );
    arbitraries.push(
      fc
        .tuple(
          place,
          fc.oneof(fc.constantFrom(...oddNumbers), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer()),
        )
        .map(
          ([p, v]) =>
            ({
              kind: 'body',
              mutation: `number ${v} at /${p.path.join('/')}`,
              body: replaced(base, p.path, v as Json),
            }) as Case,
        ),
      fc.tuple(place, oddStrings).map(
        ([p, v]) =>
          ({
            kind: 'body',
            mutation: `string of ${v.length} at /${p.path.join('/')}`,
            body: replaced(base, p.path, v),
          }) as Case,
      ),
      fc.jsonValue({ maxDepth: 3 }).map((v) => ({ kind: 'body', mutation: 'another body', body: v as Json }) as Case),
      badJson.map((text) => ({ kind: 'json', text }) as Case),
    );
  }
  if (op.requestBody) {
    const declared = Object.keys(op.requestBody.content).map((t) => t.toLowerCase());
    const types = [
      'text/plain',
      'application/xml',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
      'text/html; charset=utf-8',
      'application/json',
      'application/vnd.api+json',
      'application/jsonx',
      'json',
      'image/png',
    ].filter((type) => !declared.some((d) => d === '*/*' || type.split(';')[0] === d));
    if (types.length)
      arbitraries.push(fc.constantFrom(...types).map((contentType) => ({ kind: 'content-type', contentType }) as Case));
  }
  const pathNames = op.parameters.filter((p) => p.in === 'path').map((p) => p.name);
  if (pathNames.length)
    arbitraries.push(
      fc
        .tuple(fc.constantFrom(...pathNames), oddValue.filter(unknownId))
        .map(([name, value]) => ({ kind: 'path', name, value }) as Case),
    );
  const queryNames = op.parameters.filter((p) => p.in === 'query').map((p) => p.name);
  const queryValue = fc.oneof(
    fc.constantFrom(
      '-1',
      '0',
      '1e309',
      'NaN',
      '99999999999999999999999',
      '1.5',
      'true',
      '',
      ' ',
      '[]',
      '{}',
      'null',
      '%00',
      'x'.repeat(5000),
    ),
    fc.string({ maxLength: 20 }),
  );
  arbitraries.push(
    fc
      .array(
        fc.tuple(
          queryNames.length
            ? fc.oneof(fc.constantFrom(...queryNames), fc.string({ maxLength: 8 }))
            : fc.string({ maxLength: 8 }),
          queryValue,
        ),
        { minLength: 1, maxLength: 4 },
      )
      .map((query) => ({ kind: 'query', query }) as Case),
  );
  return fc.oneof(...arbitraries);
}

function describeCase(c: Case): string {
  switch (c.kind) {
    case 'body':
      return `${c.mutation}: ${JSON.stringify(c.body)?.slice(0, 160)}`;
    case 'json':
      return `bad JSON ${JSON.stringify(c.text).slice(0, 80)}`;
    case 'content-type':
      return `Content-Type ${c.contentType}`;
    case 'path':
      return `path parameter ${c.name} = ${JSON.stringify(c.value).slice(0, 80)}`;
    case 'query':
      return `query ${JSON.stringify(c.query).slice(0, 160)}`;
  }
}

interface Counts {
  cases: number;
  refused: number;
  accepted: number;
  byKind: Record<string, number>;
}

/** Runs the fuzzer over one API's operations; returns the failures (each re-checked) and the counts. */
async function fuzzApi(api: ApiName) {
  const t = await readyTarget(h, api);
  const validators = compileContract(h.contracts[api]);
  let baseline = await stateText(h.origin, t.sandbox);
  const counts: Counts = { cases: 0, refused: 0, accepted: 0, byKind: {} };
  const failures: string[] = [];
  const notes: string[] = [];
  let validBases = 0;
  let bodies = 0;

  const refresh = async () => {
    await freshSandbox(t);
    await settle(t, api);
    baseline = await stateText(h.origin, t.sandbox);
  };

  for (const [index, op] of h.contracts[api].operations.entries()) {
    const opStarted = performance.now();
    const casesBefore = counts.cases;
    const media = jsonMediaType(op);
    const schema = media ? op.requestBody!.content[media]!.schema : undefined;
    const validateBody = media ? validators.get(op.operationId)!.body.get(media) : undefined;
    // Every property the schema describes when that is valid (more to break), else the required ones only.
    const full = media ? sampleOf(h.contracts[api].document, schema, 0, true) : undefined;
    const base = media
      ? validateBody?.(structuredClone(full))
        ? full
        : sampleOf(h.contracts[api].document, schema)
      : undefined;
    if (media) {
      bodies++;
      if (validateBody?.(structuredClone(base))) validBases++;
    }
    const params = validParams(api, op);

    /** One request; a description of what went wrong, or undefined. */
    const attempt = async (c: Case): Promise<string | undefined> => {
      const headers: Record<string, string> = { ...facts[api].valid };
      let body: string | Buffer | undefined;
      let mustRefuse = false;
      if (op.requestBody) {
        headers['content-type'] = media ?? Object.keys(op.requestBody.content)[0]!;
        if (media) body = JSON.stringify(base);
        else body = '--x\r\nContent-Disposition: form-data; name="file"; filename="t.zip"\r\n\r\nzip\r\n--x--\r\n';
        if (!media) headers['content-type'] = 'multipart/form-data; boundary=x';
      }
      const path = pathOf(op, c.kind === 'path' ? { ...params, [c.name]: c.value } : params);
      if (c.kind === 'body') {
        body = c.body === undefined ? undefined : JSON.stringify(c.body);
        mustRefuse = c.body === undefined ? op.requestBody!.required : !validateBody!(structuredClone(c.body));
      } else if (c.kind === 'json') {
        body = c.text;
        mustRefuse = true;
      } else if (c.kind === 'content-type') {
        headers['content-type'] = c.contentType;
        mustRefuse = true;
      } else if (c.kind === 'path') mustRefuse = true; // (a read may answer an empty listing instead: see below)
      if (process.env.RELIABILITY_TRACE) console.log(`  > ${api}.${op.operationId} ${describeCase(c)}`);
      counts.cases++;
      counts.byKind[c.kind] = (counts.byKind[c.kind] ?? 0) + 1;
      let res: Sent;
      try {
        res = await send(t, op.method.toUpperCase(), path, {
          headers,
          body,
          query: c.kind === 'query' ? c.query : undefined,
        });
      } catch (error) {
        await refresh();
        return (error as Error).message;
      }
      const problems: string[] = [];
      if (res.status >= 500) problems.push(`answered ${res.status} ${res.raw.toString('utf8').slice(0, 300)}`);
      const contract = t.contractProblems(op.operationId, res);
      if (contract.length)
        problems.push(
          `answer ${res.status} outside the contract: ${contract
            .map((p) => `${p.pointer} ${p.keyword} ${p.message}`)
            .join(', ')
            .slice(0, 300)}`,
        );
      const after = await stateText(h.origin, t.sandbox);
      // An unknown id may also be answered as "nothing there": a read with an empty listing, a delete of nothing that
      // changes nothing (idempotent), a path parameter the contract says the operation does not use, or one that names.
      const nothingThere =
        c.kind === 'path' &&
        ((op.method === 'get' && isEmptyListing(res.body)) ||
          (op.method === 'delete' && after === baseline) ||
          UNUSED_PATH_PARAMETERS[`${api}.${op.operationId}`]?.includes(c.name) ||
          NAMING_PATH_PARAMETERS[`${api}.${op.operationId}`]?.includes(c.name));
      if (mustRefuse && res.status < 400 && !nothingThere)
        problems.push(`accepted (${res.status}) a request the contract refuses`);
      if (res.status >= 400) {
        counts.refused++;
        if (after !== baseline) {
          let at = 0;
          while (at < after.length && after[at] === baseline[at]) at++;
          problems.push(
            `a refused request (${res.status}) changed the state near …${after.slice(Math.max(0, at - 60), at + 60)}…`,
          );
        }
      } else counts.accepted++;
      if (after !== baseline) await refresh();
      return problems.length ? `${res.status}: ${problems.join('; ')}` : undefined;
    };

    const property = fc.asyncProperty(casesOf(api, op, base), async (c) => {
      const failure = await attempt(c);
      if (failure) throw new Error(failure);
    });
    const result = await fc.check(property, { numRuns: RUNS, seed: SEED + index, maxSkipsPerRun: 1000 });
    if (result.failed && result.counterexample) {
      const [c] = result.counterexample;
      // Shrinking ran many requests: try the smallest case again on a fresh sandbox before reporting it.
      await refresh();
      const again = await attempt(c);
      if (again)
        failures.push(
          `${api}.${op.operationId} (seed ${result.seed}, path ${result.counterexamplePath}): ${describeCase(c)} → ${again}`,
        );
      else
        notes.push(
          `${api}.${op.operationId}: failed once but not on a fresh sandbox (${describeCase(c)}): ${String(result.errorInstance).slice(0, 200)}`,
        );
      await refresh();
    } else if (result.failed) failures.push(`${api}.${op.operationId}: ${String(result.errorInstance)}`);

    if (op.requestBody) {
      // Over the 1 MiB cap: the vendor's 413 (or its documented catch-all), nothing stored.
      const headers = { ...facts[api].valid, 'content-type': Object.keys(op.requestBody.content)[0]! };
      const res = await send(t, op.method.toUpperCase(), pathOf(op, params), {
        headers,
        body: `{"x":"${'x'.repeat(OVER_CAP)}"}`,
      });
      counts.cases++;
      counts.byKind.oversize = (counts.byKind.oversize ?? 0) + 1;
      counts.refused++;
      const contract = t.contractProblems(op.operationId, res);
      if (res.status !== 413 || contract.length)
        failures.push(
          `${api}.${op.operationId}: a body over 1 MiB → ${res.status} ${contract.map((p) => p.message).join(', ')}`,
        );
      if ((await stateText(h.origin, t.sandbox)) !== baseline)
        failures.push(`${api}.${op.operationId}: a body over 1 MiB changed the state`);
    }
    if (process.env.RELIABILITY_VERBOSE)
      console.log(
        `  ${api}.${op.operationId}: ${counts.cases - casesBefore} cases, ${Math.round(performance.now() - opStarted)} ms${result.failed ? ` FAILED after ${result.numShrinks} shrinks` : ''}`,
      );
  }
  return { counts, failures, notes, operations: h.contracts[api].operations.length, validBases, bodies };
}

describe('bad input on every operation (fast-check)', () => {
  it.each(APIS)(
    '%s: documented 4xx, never 5xx or a hang, state byte-identical after every refusal',
    async (api) => {
      const started = performance.now();
      const { counts, failures, notes, operations, validBases, bodies } = await fuzzApi(api);
      console.log(
        `fuzz ${api}: ${operations} operations covered, ${counts.cases} cases tried (${Object.entries(counts.byKind)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ')}); ` +
          `${counts.refused} refused, ${counts.accepted} accepted; valid base body for ${validBases}/${bodies} bodies; ` +
          `${failures.length} failures; ${Math.round(performance.now() - started)} ms`,
      );
      for (const note of notes) console.log(`  note: ${note}`);
      for (const failure of failures) console.log(`  FAIL ${failure}`);
      expect(failures).toEqual([]);
    },
    240_000,
  );
});
