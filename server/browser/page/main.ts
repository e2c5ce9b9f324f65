/**
 * A frontend of Productive's prices, as a team would write it against https://api.productive.io: it lists the
 * prices and adds one. setupWorker answers its requests from Standin's pipeline in the page (msw-browser.ts).
 */
import { setupWorker } from 'msw/browser';
import { productive } from '../../apis/productive/index.ts';
import { standinWorkerHandlers } from '../../msw-browser.ts';

const API = 'https://api.productive.io/api/v2';
const headers = { 'X-Auth-Token': 'productive-test-token', 'X-Organization-Id': '572' };
const status = document.querySelector<HTMLParagraphElement>('#status')!;

interface Price {
  id: string;
  attributes: { name: string; rate: number; currency: string };
}

async function showPrices(): Promise<void> {
  const res = await fetch(`${API}/prices?page[size]=200`, { headers });
  const { data } = (await res.json()) as { data: Price[] };
  const list = document.querySelector('#prices')!;
  list.replaceChildren(
    ...data.map((price) =>
      Object.assign(document.createElement('li'), { textContent: `${price.attributes.name} (${price.id})` }),
    ),
  );
}

async function addPrice(name: string): Promise<void> {
  const res = await fetch(`${API}/prices`, {
    method: 'POST',
    headers: { ...headers, 'Content-Type': 'application/vnd.api+json' },
    body: JSON.stringify({
      data: {
        type: 'prices',
        attributes: { name, unit_id: 2, rate: 12000, currency: 'USD', quantity: 1 },
        relationships: {
          company: { data: { type: 'companies', id: '1926' } },
          service_type: { data: { type: 'service_types', id: '107' } },
        },
      },
    }),
  });
  status.textContent = res.ok
    ? `created ${((await res.json()) as { data: Price }).data.id}`
    : `refused ${res.status}: ${await res.text()}`;
}

const worker = setupWorker(...(await standinWorkerHandlers({ plugins: [productive], strict: true })));
await worker.start({ onUnhandledRequest: 'bypass', quiet: true });
await showPrices();
status.textContent = 'ready';
document.querySelector('#add')!.addEventListener('submit', async (event) => {
  event.preventDefault();
  await addPrice(document.querySelector<HTMLInputElement>('#name')!.value);
  await showPrices();
});
