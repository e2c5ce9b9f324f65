import { setTimeout as sleep } from 'node:timers/promises';
import { PactV3, type V3MockServer, type V3Request, type V3Response } from '@pact-foundation/pact';
import type { ConsumerPact } from '@pact-foundation/pact-core';
import { describe, it } from 'vitest';
import { pactOutputDir, verifyPact, type PactVerification } from './support.ts';

/** How long a consumer test waits for Pact's mock server to record the requests it has already answered. */
const recordingDeadlineMs = 2_000;

/**
 * `pact.executeTest`, returning only once Pact's mock server has recorded every request it answered.
 *
 * pact_mock_server (2.2.1, inside pact-core 19.2) answers a request and hands its match result to a separate
 * event-loop task, which records it later. executeTest reads the recorded matches as soon as the test's last answer
 * has arrived, so on a loaded machine the last request can be reported "expected but not received" although it was
 * received and matched. Waiting until every interaction is recorded as matched closes that gap; a test that really
 * missed or mismatched a request still fails, after the deadline, with Pact's own report.
 */
async function executePact(pact: PactV3, test: (mock: V3MockServer) => Promise<void>): Promise<void> {
  const mockServer = (pact as unknown as { pact: ConsumerPact }).pact;
  await pact.executeTest(async (mock) => {
    await test(mock);
    const deadline = Date.now() + recordingDeadlineMs;
    while (!mockServer.mockServerMatchedSuccessfully(mock.port) && Date.now() < deadline) await sleep(5);
  });
}

/** One request the consumer makes and the answer it needs, in the provider state of its pact. */
export interface Interaction {
  uponReceiving: string;
  withRequest: V3Request;
  willRespondWith: V3Response;
}

/** A request of an interaction: the headers always sent, and a JSON body sent with its Content-Type. */
export function sends(
  method: string,
  path: V3Request['path'],
  options: { headers?: V3Request['headers']; query?: V3Request['query']; body?: unknown; contentType?: string } = {},
): V3Request {
  const { headers, query, body, contentType = 'application/json' } = options;
  const withType = body === undefined ? headers : { ...headers, 'Content-Type': contentType };
  return {
    method,
    path,
    ...(query && { query }),
    ...(withType && { headers: withType }),
    ...(body !== undefined && { body }),
  };
}

/** The answer an interaction needs: its status and a body of `contentType` (JSON by default). */
export function answers(status: number, body: unknown, contentType = 'application/json'): V3Response {
  return { status, headers: { 'Content-Type': contentType }, body };
}

/** Who a pact is between, and the provider state every interaction of it starts from. */
export interface PactParties {
  consumer: string;
  provider: string;
  state: string;
}

export interface ConsumerPactSpec extends Omit<PactVerification, 'consumer' | 'provider' | 'states'> {
  /** What the consumer is, as the test names it ("the prices client"). */
  client: string;
  interactions: Interaction[];
  /** Drives the consumer's client against Pact's mock server, checking what it makes of the answers. */
  exercise: (mock: V3MockServer) => Promise<void>;
  /** The provider verification's time limit (ms), where a real site sets up each interaction's state slowly. */
  providerTimeout?: number;
}

/**
 * A pact's two scenarios: the consumer's client against Pact's mock server (which writes the pact), then the
 * provider (the mock, or PACT_PROVIDER_BASE_URL) verifying the committed pact.
 */
export function describePact({ consumer, provider, state }: PactParties, spec: ConsumerPactSpec): void {
  const { client, interactions, exercise, providerTimeout, ...verification } = spec;
  describe(`pact: ${consumer} → ${provider}`, () => {
    it(`consumer: ${client} against the Pact mock`, async () => {
      const pact = new PactV3({ consumer, provider, dir: pactOutputDir, logLevel: 'warn' });
      for (const interaction of interactions)
        pact
          .given(state)
          .uponReceiving(interaction.uponReceiving)
          .withRequest(interaction.withRequest)
          .willRespondWith(interaction.willRespondWith);
      await executePact(pact, exercise);
    });

    it('provider: the mock honours the pact', { timeout: providerTimeout }, (ctx) =>
      verifyPact(ctx, { consumer, provider, states: [state], ...verification }),
    );
  });
}
