import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Verifier, type VerifierOptions } from '@pact-foundation/pact';
import { expect, type TestContext } from 'vitest';
import { createStandin } from '../../server/app.ts';
import { SANDBOX_HEADER } from '../../server/core/headers.ts';
import { standinOriginOf } from '../support/target.ts';
import { adminAuthorization } from '../support/admin-token.ts';

export const pactDir = fileURLToPath(new URL('../../contracts/pacts/', import.meta.url));

/**
 * Where consumer tests write their pacts: the committed folder, except under `standin verify`, whose runs would
 * otherwise rewrite the committed files while another run reads them. Providers always verify the committed pacts.
 */
export const pactOutputDir = process.env.STANDIN_PACT_OUTPUT_DIR || pactDir;

export interface PactProviderTarget {
  baseUrl: string;
  /** Puts the provider back to the fixtures: every provider state starts from them. */
  resetState: () => Promise<void>;
  sandboxHeader: Record<string, string>;
  /** Set when the provider states cannot be set up on this target: the verification is skipped with it. */
  cannotSetUpStates?: string;
  close: () => Promise<void>;
}

/**
 * The provider side: an in-process Standin serving one API, or PACT_PROVIDER_BASE_URL. Provider states reset a
 * sandbox to the fixtures, through the admin API when the provider is a served Standin; on another backend
 * they need `statesThroughPublicApi`, or the verification is skipped with `withoutPublicApi` as the reason.
 */
export async function pactProvider(
  api: string,
  states: { throughPublicApi?: (baseUrl: string) => Promise<void>; withoutPublicApi: string } = {
    withoutPublicApi:
      "the provider states need the mock's fixture records, which the public API cannot create as they are",
  },
): Promise<PactProviderTarget> {
  const sandbox = `pact-${api}-${process.pid}`;
  const sandboxHeader = { [SANDBOX_HEADER]: sandbox } as Record<string, string>;
  const remote = process.env.PACT_PROVIDER_BASE_URL;
  if (remote) {
    const origin = await standinOriginOf(remote);
    if (origin) {
      const resetState = async () => {
        const res = await fetch(`${origin}/__standin/sandboxes/${sandbox}/reset`, {
          method: 'POST',
          headers: { ...adminAuthorization(), 'content-type': 'application/json' },
        });
        if (!res.ok) throw new Error(`reset of sandbox ${sandbox} failed: ${res.status}`);
      };
      return { baseUrl: remote, resetState, sandboxHeader, close: async () => {} };
    }
    const { throughPublicApi } = states;
    return {
      baseUrl: remote,
      resetState: throughPublicApi ? () => throughPublicApi(remote) : async () => {},
      sandboxHeader: {},
      cannotSetUpStates: throughPublicApi ? undefined : states.withoutPublicApi,
      close: async () => {},
    };
  }
  const standin = await createStandin({ apis: [api], strict: true });
  const server = standin.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl: `${origin}/${api}`,
    resetState: async () => {
      await standin.store.reset(sandbox);
    },
    sandboxHeader,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface PactVerification {
  consumer: string;
  provider: string;
  /** The provider states the pact names; each starts from the fixtures. */
  states: string[];
  /** How the states are set up on a backend that is not a Standin, when its public API allows it. */
  throughPublicApi?: (baseUrl: string) => Promise<void>;
  /** Why the states cannot be set up on such a backend otherwise: the verification is skipped with it. */
  withoutPublicApi: string;
  /** Rewrites requests before the provider sees them (e.g. fresh tokens in place of the pact's examples). */
  requestFilter?: (target: PactProviderTarget) => VerifierOptions['requestFilter'];
}

/** Verifies the committed pact of a consumer against the provider (the mock, or PACT_PROVIDER_BASE_URL). */
export async function verifyPact(ctx: TestContext, pact: PactVerification): Promise<void> {
  const target = await pactProvider(pact.provider, {
    throughPublicApi: pact.throughPublicApi,
    withoutPublicApi: pact.withoutPublicApi,
  });
  if (target.cannotSetUpStates) ctx.skip(target.cannotSetUpStates);
  try {
    await new Verifier({
      provider: pact.provider,
      providerBaseUrl: target.baseUrl,
      pactUrls: [`${pactDir}${pact.consumer}-${pact.provider}.json`],
      stateHandlers: Object.fromEntries(pact.states.map((state) => [state, target.resetState])),
      // pact-core refuses an empty object here: a backend that is not a Standin gets no sandbox header at all.
      ...(Object.keys(target.sandboxHeader).length ? { customProviderHeaders: target.sandboxHeader } : {}),
      requestFilter: pact.requestFilter?.(target),
      logLevel: 'warn',
    }).verifyProvider();
  } catch (error) {
    if (process.env.STANDIN_REPORT_DIR) writeInteractionFailures(process.env.STANDIN_REPORT_DIR, pact, error);
    throw new Error(verificationFailures(error));
  } finally {
    await target.close();
  }
}

interface VerifierMismatch {
  type?: string;
  mismatch?: string;
  path?: string;
  actual?: unknown;
}

interface VerifierReport {
  errors?: { interaction?: string; mismatch?: { mismatches?: VerifierMismatch[] } }[];
  interactionResults?: { result?: string }[];
}

/** One interaction the provider did not honour: its request, the status it got, and what differed. */
export interface InteractionFailure {
  interaction: string;
  method: string;
  path: string;
  /** The provider's status, and the pact's. */
  status: number;
  expected: number;
  /** Each difference, with the body field it is about (none for the status, media type and headers). */
  mismatches: { field?: string; text: string }[];
}

/** The pact's interactions by description, with their requests. */
function pactRequests(file: string): Map<string, { method: string; path: string; status: number }> {
  const pact = JSON.parse(readFileSync(file, 'utf8')) as {
    interactions: { description: string; request: { method: string; path: string }; response: { status: number } }[];
  };
  return new Map(
    pact.interactions.map((i) => [
      i.description,
      { method: i.request.method, path: i.request.path, status: i.response.status },
    ]),
  );
}

/** The body fields a mismatch is about: the keys a map lacks, else the last name of its path (`$.results[0].slug`). */
function mismatchFields(m: VerifierMismatch): (string | undefined)[] {
  if (m.type !== 'BodyMismatch') return [undefined];
  const missing = /missing the following keys: (.+)$/.exec(m.mismatch ?? '')?.[1];
  if (missing) return missing.split(',').map((k) => k.trim());
  const last = (m.path ?? '')
    .split(/[.[\]]/)
    .filter((p) => p && p !== '$' && !/^\d+$/.test(p))
    .pop();
  return [last];
}

/** The verifier's report as one InteractionFailure per failed interaction (none when the error is not a report). */
export function interactionFailures(error: unknown, pactFile: string): InteractionFailure[] {
  let report: VerifierReport;
  try {
    report = JSON.parse(error instanceof Error ? error.message : String(error)) as VerifierReport;
  } catch {
    return [];
  }
  const requests = pactRequests(pactFile);
  return (report.errors ?? []).flatMap((e) => {
    // pact-core names an interaction "Verifying a pact between … Given <state> - <description>".
    const description = [...requests.keys()].find((d) => e.interaction?.endsWith(` - ${d}`) || e.interaction === d);
    if (!description) return [];
    const mismatches = e.mismatch?.mismatches ?? [];
    const request = requests.get(description)!;
    const status = mismatches.find((m) => m.type === 'StatusMismatch')?.actual;
    return [
      {
        interaction: description,
        method: request.method,
        path: request.path,
        // Without a status mismatch the provider answered the pact's status.
        status: typeof status === 'number' ? status : request.status,
        expected: request.status,
        mismatches: mismatches.flatMap((m) =>
          mismatchFields(m).map((field) => ({ ...(field ? { field } : {}), text: m.mismatch ?? m.type ?? 'differs' })),
        ),
      },
    ];
  });
}

/** Where `standin verify` finds a pact's failed interactions, to classify each like a call. */
export const interactionFailuresFile = (dir: string, consumer: string, provider: string) =>
  join(dir, `pact-${consumer}-${provider}.json`);

function writeInteractionFailures(dir: string, pact: PactVerification, error: unknown): void {
  const failures = interactionFailures(error, `${pactDir}${pact.consumer}-${pact.provider}.json`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    interactionFailuresFile(dir, pact.consumer, pact.provider),
    JSON.stringify({ scenario: expect.getState().currentTestName, failures }, null, 1),
  );
}

/**
 * pact-core rejects with its whole report as JSON, every actual body included: a real backend's HTML error pages
 * made it 600 kB. This keeps one line per failed interaction with its mismatches, without the bodies.
 */
export function verificationFailures(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  let report: VerifierReport;
  try {
    report = JSON.parse(message) as VerifierReport;
  } catch {
    return message;
  }
  const total = report.interactionResults?.length ?? 0;
  const failed = report.errors ?? [];
  const lines = failed.map((e) => {
    const mismatches = (e.mismatch?.mismatches ?? []).map((m) => m.mismatch).filter(Boolean);
    return `- ${e.interaction ?? 'an interaction'}: ${mismatches.join('; ') || 'failed'}`;
  });
  return [`${failed.length} of ${total} interactions failed`, ...lines].join('\n');
}
