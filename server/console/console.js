// The Standin console: plain ES modules, no build step. Talks only to the admin JSON API under /__standin/.
import { mountClockTab } from './clock.js';
import { mountFaultsTab } from './faults.js';
import { mountOutboxTab } from './outbox.js';
import { mountStateTab } from './state.js';
import { journalTab } from './journal.js';

const $ = (selector) => document.querySelector(selector);
const params = new URLSearchParams(location.search);
let sandbox = params.get('sandbox') || localStorage.getItem('standin.sandbox') || 'default';
let apis = [];
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

export function el(tag, attrs = {}, ...children) {
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
  tabs.state.forget();
  journal.open();
  await Promise.all([loadSandboxes(), tabs.clock.refresh(), tabs.faults.refresh()]);
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

// Journal (journal.js) ---------------------------------------------------------------------------------------
const journal = journalTab({ el, sb, status, guarded, sandbox: () => sandbox });

// Start ------------------------------------------------------------------------------------------------------
async function start() {
  apis = await (await fetch('/__standin/console/apis.json')).json();
  journal.setApis(apis);
  const ui = { $, el, admin, sb, status, guarded, pretty };
  tabs.state = mountStateTab(ui, apis);
  tabs.clock = mountClockTab(ui);
  tabs.faults = mountFaultsTab(ui, apis);
  tabs.views = mountOutboxTab(ui, apis);
  await selectSandbox(sandbox);
  // The journal is pushed by the server (journal.js); the clock badge still reads the clock each second.
  setInterval(async () => {
    if (document.hidden) return;
    try {
      await tabs.clock.refresh();
    } catch (error) {
      status(error.message, true);
    }
  }, 1000);
  document.body.dataset.ready = 'true';
}
start().catch((error) => status(error.message, true));
