// The Standin console: plain ES modules, no build step. Talks only to the admin JSON API under /__standin/.
import { mountClockTab } from './clock.js';
import { mountFaultsTab } from './faults.js';
import { mountOutboxTab } from './outbox.js';
import { mountStateTab } from './state.js';

const $ = (selector) => document.querySelector(selector);
const params = new URLSearchParams(location.search);
let sandbox = params.get('sandbox') || localStorage.getItem('standin.sandbox') || 'default';
let apis = [];
let selectedSeq = null;
let lastJournal = [];
/** The tabs that live in modules of their own, mounted by start(). */
const tabs = {};

async function admin(path, init = {}) {
  // Every admin write is JSON, a body-less one too (the admin API refuses anything a form could send).
  const headers = (init.method ?? 'GET') === 'GET' ? {} : { 'content-type': 'application/json' };
  const res = await fetch(`/__standin${path}`, { ...init, headers: { ...headers, ...init.headers } });
  const text = await res.text();
  const body = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw new Error(body?.error ?? `${res.status} ${res.statusText}`);
  return body;
}
const sb = (path = '') => `/sandboxes/${encodeURIComponent(sandbox)}${path}`;

function status(message, error = false) {
  const el = $('#status');
  el.textContent = message;
  el.className = error ? 'error' : '';
}
const guarded =
  (fn) =>
  async (...args) => {
    try {
      await fn(...args);
    } catch (error) {
      status(error.message, true);
    }
  };

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v);
  }
  for (const child of children.flat())
    node.append(child instanceof Node ? child : document.createTextNode(String(child ?? '')));
  return node;
}
const pretty = (value) => (typeof value === 'string' ? value : JSON.stringify(value, null, 2));

// Sandboxes --------------------------------------------------------------------------------------------------
async function loadSandboxes() {
  const list = await admin('/sandboxes');
  const ids = [...new Set([sandbox, ...list.map((s) => s.id)])].sort();
  const select = $('#sandbox');
  select.replaceChildren(...ids.map((id) => el('option', { value: id, selected: id === sandbox }, id)));
}
async function selectSandbox(id) {
  sandbox = id;
  localStorage.setItem('standin.sandbox', id);
  const url = new URL(location.href);
  url.searchParams.set('sandbox', id);
  history.replaceState(null, '', url);
  // Reading a sandbox never makes one: a new name is made from the fixtures by a reset.
  if ((await fetch(`/__standin${sb()}`)).status === 404) await admin(sb('/reset'), { method: 'POST' });
  selectedSeq = null;
  tabs.state.forget();
  $('#journal-detail').replaceChildren(
    el('p', { class: 'muted' }, 'Select a request to see its bodies and validation problems.'),
  );
  await Promise.all([loadSandboxes(), refreshJournal(), tabs.clock.refresh(), tabs.faults.refresh()]);
  await refreshActiveTab();
  status(`sandbox ${id}`);
}

$('#sandbox').addEventListener(
  'change',
  guarded((e) => selectSandbox(e.target.value)),
);
$('#create-sandbox').addEventListener(
  'submit',
  guarded(async (e) => {
    e.preventDefault();
    const name = $('#new-sandbox').value.trim();
    if (!name) return;
    $('#new-sandbox').value = '';
    await selectSandbox(name);
  }),
);
$('#reset').addEventListener(
  'click',
  guarded(async () => {
    if (!confirm(`Reset sandbox ${sandbox} to the fixtures (journal and fault rules cleared)?`)) return;
    await admin(sb('/reset'), { method: 'POST' });
    await selectSandbox(sandbox);
    status(`sandbox ${sandbox} reset`);
  }),
);
$('#snapshot').addEventListener(
  'click',
  guarded(async () => {
    const state = await admin(sb('/state'));
    const blob = new Blob([JSON.stringify(state, null, 2)], { type: 'application/json' });
    const link = el('a', {
      href: URL.createObjectURL(blob),
      download: `standin-${sandbox}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    });
    document.body.append(link);
    link.click();
    link.remove();
    status('snapshot downloaded');
  }),
);
$('#restore').addEventListener(
  'change',
  guarded(async (e) => {
    const file = e.target.files[0];
    if (!file) return;
    await admin(sb('/state'), { method: 'PUT', body: await file.text() });
    e.target.value = '';
    await selectSandbox(sandbox);
    status(`restored ${file.name} into ${sandbox}`);
  }),
);
$('#delete').addEventListener(
  'click',
  guarded(async () => {
    if (!confirm(`Forget sandbox ${sandbox}?`)) return;
    await admin(sb(), { method: 'DELETE' });
    await selectSandbox('default');
  }),
);

// Tabs -------------------------------------------------------------------------------------------------------
let activeTab = 'journal';
for (const button of document.querySelectorAll('nav button')) {
  button.addEventListener(
    'click',
    guarded(async () => {
      activeTab = button.dataset.tab;
      document.querySelectorAll('nav button').forEach((b) => b.classList.toggle('active', b === button));
      document.querySelectorAll('.tab').forEach((t) => t.classList.toggle('active', t.id === `tab-${activeTab}`));
      await refreshActiveTab();
    }),
  );
}
async function refreshActiveTab() {
  await tabs[activeTab]?.refresh();
}

// Journal ----------------------------------------------------------------------------------------------------
function validationCell(entry) {
  const problems = entry.validation.request.length + entry.validation.response.length;
  if (entry.fault) return el('td', { class: 'muted' }, 'skipped (fault)');
  if (!problems)
    return el(
      'td',
      {
        class: 's2',
        title:
          'request valid; the response is checked against the contract when the server runs with --strict (always under test)',
      },
      'ok',
    );
  return el(
    'td',
    { class: 'problem' },
    `${entry.validation.request.length} request / ${entry.validation.response.length} response`,
  );
}
function faultText(fault) {
  if (!fault) return '';
  return [
    fault.status && `status ${fault.status}`,
    fault.latencyMs && `+${fault.latencyMs} ms`,
    fault.reset && 'reset',
    fault.source === 'header' ? '(header)' : `(rule ${fault.source})`,
  ]
    .filter(Boolean)
    .join(' ');
}
function renderJournal(entries) {
  lastJournal = entries;
  const body = $('#journal tbody');
  body.replaceChildren(
    ...entries.map((e) =>
      el(
        'tr',
        { 'data-seq': e.seq, class: e.seq === selectedSeq ? 'selected' : '', onclick: () => showEntry(e.seq) },
        el('td', {}, e.seq),
        el('td', { title: e.at }, e.at.slice(5, 19).replace('T', ' ')),
        el('td', {}, e.method),
        el('td', { title: e.path }, e.path),
        el('td', {}, e.operationId ?? '(no route)'),
        el(
          'td',
          { class: `s${String(e.status)[0]}`, 'data-testid': 'journal-status' },
          e.status === 0 ? 'reset' : e.status,
        ),
        el('td', {}, e.durationMs),
        validationCell(e),
        el('td', { class: 'fault' }, faultText(e.fault)),
      ),
    ),
  );
  $('#journal-count').textContent = `${entries.length} requests`;
}
function showEntry(seq) {
  selectedSeq = seq;
  const entry = lastJournal.find((e) => e.seq === seq);
  document
    .querySelectorAll('#journal tbody tr')
    .forEach((tr) => tr.classList.toggle('selected', Number(tr.dataset.seq) === seq));
  if (!entry) return;
  const problems = [
    ...entry.validation.request.map((p) => ({ side: 'request', ...p })),
    ...entry.validation.response.map((p) => ({ side: 'response', ...p })),
  ];
  $('#journal-detail').replaceChildren(
    el('h3', {}, `${entry.method} ${entry.path} → ${entry.status === 0 ? 'connection reset' : entry.status}`),
    el('p', { class: 'muted' }, `${entry.api ?? ''} ${entry.operationId ?? ''} · ${entry.durationMs} ms · ${entry.at}`),
    entry.fault ? el('p', { class: 'fault' }, `injected fault: ${faultText(entry.fault)}`) : '',
    problems.length
      ? el(
          'div',
          {},
          el('h4', {}, 'validation problems'),
          el(
            'ul',
            {},
            problems.map((p) =>
              el('li', { class: 'problem' }, `${p.side} ${p.in} ${p.pointer || '/'} [${p.keyword}] ${p.message}`),
            ),
          ),
        )
      : '',
    el('h4', {}, 'request body'),
    el('pre', {}, entry.requestBody === undefined ? '(none)' : pretty(entry.requestBody)),
    el('h4', {}, 'response body'),
    el('pre', {}, entry.responseBody === undefined ? '(none)' : pretty(entry.responseBody)),
  );
}
async function refreshJournal() {
  renderJournal(await admin(sb('/journal?limit=200')));
}
$('#journal-refresh').addEventListener('click', guarded(refreshJournal));

// Start ------------------------------------------------------------------------------------------------------
async function start() {
  apis = await (await fetch('/__standin/console/apis.json')).json();
  const ui = { $, el, admin, sb, status, guarded, pretty };
  tabs.state = mountStateTab(ui, apis);
  tabs.clock = mountClockTab(ui);
  tabs.faults = mountFaultsTab(ui, apis);
  tabs.views = mountOutboxTab(ui, apis);
  $('#apis-list').replaceChildren(
    el(
      'table',
      { class: 'grid' },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          ['API', 'base URL', 'operations', 'reference'].map((h) => el('th', {}, h)),
        ),
      ),
      el(
        'tbody',
        {},
        apis.map((a) =>
          el(
            'tr',
            {},
            el('td', {}, a.title),
            el('td', {}, el('code', {}, `${location.origin}/${a.name}`)),
            el('td', {}, a.operations.length),
            el('td', {}, el('a', { href: `/__standin/docs/${a.name}` }, 'API reference')),
          ),
        ),
      ),
    ),
  );
  await selectSandbox(sandbox);
  setInterval(async () => {
    if (!$('#journal-live').checked || document.hidden) return;
    try {
      await Promise.all([refreshJournal(), tabs.clock.refresh()]);
    } catch (error) {
      status(error.message, true);
    }
  }, 1000);
  document.body.dataset.ready = 'true';
}
start().catch((error) => status(error.message, true));
