import { setTimeout as sleep } from 'node:timers/promises';
import type { PactV3, V3MockServer } from '@pact-foundation/pact';
import type { ConsumerPact } from '@pact-foundation/pact-core';

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
export async function executePact(pact: PactV3, test: (mock: V3MockServer) => Promise<void>): Promise<void> {
  const mockServer = (pact as unknown as { pact: ConsumerPact }).pact;
  await pact.executeTest(async (mock) => {
    await test(mock);
    const deadline = Date.now() + recordingDeadlineMs;
    while (!mockServer.mockServerMatchedSuccessfully(mock.port) && Date.now() < deadline) await sleep(5);
  });
}
