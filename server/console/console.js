// The Standin console: plain ES module, no build step. Talks only to the admin JSON API under /__standin/.
import { journalTab } from './journal.js';

const $ = (selector) => document.querySelector(selector);
const params = new URLSearchParams(location.search);
let sandbox = params.get('sandbox') || localStorage.getItem('standin.sandbox') || 'default';
let apis = [];
let stateCache = null;

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
const short = (value) =>
  value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);

/** A table of records: the union of their keys as columns; a click shows the whole record below. */
function recordTable(container, rows, filter = '') {
  container.replaceChildren();
  const shown = filter ? rows.filter((r) => JSON.stringify(r).toLowerCase().includes(filter.toLowerCase())) : rows;
  const columns = [
    ...new Set(shown.slice(0, 200).flatMap((r) => (r && typeof r === 'object' ? Object.keys(r) : ['value']))),
  ].slice(0, 16);
  const detail = el('pre', { hidden: true });
  const body = el('tbody');
  for (const row of shown.slice(0, 1000)) {
    const record = row && typeof row === 'object' ? row : { value: row };
    body.append(
      el(
        'tr',
        {
          onclick: () => {
            detail.hidden = false;
            detail.textContent = pretty(row);
          },
        },
        columns.map((c) => el('td', { title: short(record[c]) }, short(record[c]))),
      ),
    );
  }
  container.append(
    el(
      'p',
      { class: 'muted' },
      `${shown.length} of ${rows.length} records${shown.length > 1000 ? ' (first 1000 shown)' : ''}`,
    ),
    el(
      'table',
      { class: 'grid' },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          columns.map((c) => el('th', {}, c)),
        ),
      ),
      body,
    ),
    detail,
  );
}

/** Arrays of records, and objects whose values are records (maps by id), become tables; the rest is JSON. */
function asRows(value) {
  if (Array.isArray(value)) return value;
  if (value && typeof value === 'object') {
    const values = Object.values(value);
    if (values.length && values.every((v) => v && typeof v === 'object' && !Array.isArray(v)))
      return Object.entries(value).map(([key, v]) => ({ _key: key, ...v }));
  }
  return null;
}
function showValue(container, value, filter) {
  const rows = asRows(value);
  if (rows) recordTable(container, rows, filter);
  else container.replaceChildren(el('pre', {}, pretty(value)));
}

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
  stateCache = null;
  journal.open();
  await Promise.all([loadSandboxes(), refreshClock(), refreshFaults()]);
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
  if (activeTab === 'state') await refreshState();
  if (activeTab === 'views') await refreshView();
  if (activeTab === 'faults') await refreshFaults();
  if (activeTab === 'clock') await refreshClock();
}

// Journal (journal.js) ---------------------------------------------------------------------------------------
const journal = journalTab({ el, sb, status, guarded, sandbox: () => sandbox });

// Clock ------------------------------------------------------------------------------------------------------
function renderClock(clock) {
  $('#clock-now').textContent = clock.now;
  $('#clock-badge').textContent =
    `clock ${clock.now.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}${clock.frozen ? ' (frozen)' : ''}`;
  $('#clock-frozen').textContent = clock.frozen ? 'frozen' : 'running';
  const days = clock.offsetMs / 86_400_000;
  $('#clock-offset').textContent = clock.offsetMs
    ? `offset ${clock.offsetMs} ms (${days.toFixed(2)} days)`
    : 'real time';
}
async function refreshClock() {
  renderClock(await admin(sb('/clock')));
}
const moveClock = (body) => admin(sb('/clock'), { method: 'POST', body: JSON.stringify(body) }).then(renderClock);
$('#clock-advance').addEventListener(
  'submit',
  guarded(async (e) => {
    e.preventDefault();
    const by = $('#advance-by').value.trim();
    await moveClock({ advance: /^\d+$/.test(by) ? Number(by) : by });
    status(`clock advanced by ${by}`);
  }),
);
$('#clock-set').addEventListener(
  'submit',
  guarded(async (e) => {
    e.preventDefault();
    await moveClock({ set: $('#set-to').value.trim(), freeze: $('#set-freeze').checked });
    status('clock set');
  }),
);
$('#clock-freeze').addEventListener(
  'click',
  guarded(() => moveClock({ freeze: true })),
);
$('#clock-unfreeze').addEventListener(
  'click',
  guarded(() => moveClock({ freeze: false })),
);
$('#clock-reset').addEventListener(
  'click',
  guarded(() => moveClock({ reset: true })),
);

// State ------------------------------------------------------------------------------------------------------
async function refreshState(reload = true) {
  if (reload || !stateCache) stateCache = await admin(sb('/state'));
  const apiSelect = $('#state-api');
  const names = Object.keys(stateCache.apis);
  const api = names.includes(apiSelect.value) ? apiSelect.value : names[0];
  apiSelect.replaceChildren(...names.map((n) => el('option', { value: n, selected: n === api }, n)));
  const slice = stateCache.apis[api] ?? {};
  const resources = slice && typeof slice === 'object' ? Object.keys(slice) : [];
  const resourceSelect = $('#state-resource');
  const resource = resources.includes(resourceSelect.value) ? resourceSelect.value : resources[0];
  resourceSelect.replaceChildren(
    ...resources.map((r) => {
      const rows = asRows(slice[r]);
      return el('option', { value: r, selected: r === resource }, rows ? `${r} (${rows.length})` : r);
    }),
  );
  if (resource === undefined) $('#state-table').replaceChildren(el('pre', {}, pretty(slice)));
  else showValue($('#state-table'), slice[resource], $('#state-filter').value);
}
$('#state-api').addEventListener(
  'change',
  guarded(() => {
    $('#state-resource').value = '';
    return refreshState(false);
  }),
);
$('#state-resource').addEventListener(
  'change',
  guarded(() => refreshState(false)),
);
$('#state-filter').addEventListener(
  'input',
  guarded(() => refreshState(false)),
);
$('#state-refresh').addEventListener(
  'click',
  guarded(() => refreshState(true)),
);

// Faults -----------------------------------------------------------------------------------------------------
function faultWhat(rule) {
  return [
    rule.status && `status ${rule.status}`,
    rule.message && `"${rule.message}"`,
    rule.retryAfter !== undefined && `Retry-After ${rule.retryAfter}`,
    rule.latencyMs !== undefined &&
      `latency ${Array.isArray(rule.latencyMs) ? rule.latencyMs.join('-') : rule.latencyMs} ms`,
    rule.reset && 'connection reset',
  ]
    .filter(Boolean)
    .join(', ');
}
async function refreshFaults() {
  const rules = await admin(sb('/faults'));
  $('#faults tbody').replaceChildren(
    ...rules.map((r) =>
      el(
        'tr',
        { 'data-rule': r.id },
        el('td', {}, r.id),
        el('td', {}, r.api ?? 'every API'),
        el('td', {}, r.operationId ?? 'every operation'),
        el('td', {}, faultWhat(r)),
        el('td', {}, r.probability ?? 1),
        el('td', {}, r.times === undefined ? r.hits : `${r.hits} / ${r.times}`),
        el(
          'td',
          {},
          el(
            'button',
            {
              class: 'danger',
              'data-testid': 'remove-fault',
              onclick: guarded(async () => {
                await admin(sb(`/faults/${r.id}`), { method: 'DELETE' });
                await refreshFaults();
                status(`fault ${r.id} removed`);
              }),
            },
            'remove',
          ),
        ),
      ),
    ),
  );
}
function fillOperations() {
  const api = $('#fault-api').value;
  const operations = apis
    .filter((a) => !api || a.name === api)
    .flatMap((a) => a.operations.map((o) => ({ api: a.name, ...o })));
  $('#fault-operation').replaceChildren(
    el('option', { value: '' }, 'every operation'),
    ...operations.map((o) =>
      el(
        'option',
        { value: `${o.api} ${o.operationId}` },
        `${api ? '' : `${o.api}: `}${o.operationId} — ${o.method} ${o.path}`,
      ),
    ),
  );
}
$('#fault-api').addEventListener('change', fillOperations);
$('#fault-form').addEventListener(
  'submit',
  guarded(async (e) => {
    e.preventDefault();
    const rule = {};
    const [opApi, operationId] = $('#fault-operation').value.split(' ');
    if ($('#fault-api').value || opApi) rule.api = $('#fault-api').value || opApi;
    if (operationId) rule.operationId = operationId;
    const kind = $('#fault-kind').value;
    if (kind === 'status') rule.status = Number($('#fault-status').value);
    if (kind === '429') {
      rule.status = 429;
      rule.retryAfter = Number($('#fault-retry').value || 1);
    }
    if (kind === 'reset') rule.reset = true;
    if ((kind === 'status' || kind === '429') && $('#fault-message').value.trim())
      rule.message = $('#fault-message').value.trim();
    const latency = $('#fault-latency').value.trim();
    if (latency) {
      const range = /^(\d+)\s*-\s*(\d+)$/.exec(latency);
      rule.latencyMs = range ? [Number(range[1]), Number(range[2])] : Number(latency);
    }
    const probability = Number($('#fault-probability').value);
    if (probability !== 1) rule.probability = probability;
    if ($('#fault-times').value) rule.times = Number($('#fault-times').value);
    const added = await admin(sb('/faults'), { method: 'POST', body: JSON.stringify(rule) });
    await refreshFaults();
    status(`fault ${added.id} added`);
  }),
);
$('#faults-clear').addEventListener(
  'click',
  guarded(async () => {
    const { removed } = await admin(sb('/faults'), { method: 'DELETE' });
    await refreshFaults();
    status(`${removed} fault rules removed`);
  }),
);

// Outbox and other admin views -------------------------------------------------------------------------------
async function refreshView() {
  const value = $('#view-select').value;
  if (!value) return $('#view-table').replaceChildren(el('p', { class: 'muted' }, 'No API here has admin views.'));
  const [api, view] = value.split('/');
  showValue($('#view-table'), await admin(sb(`/apis/${api}/${view}`)));
}
$('#view-select').addEventListener('change', guarded(refreshView));
$('#view-refresh').addEventListener('click', guarded(refreshView));

// Start ------------------------------------------------------------------------------------------------------
async function start() {
  apis = await (await fetch('/__standin/console/apis.json')).json();
  journal.setApis(apis);
  $('#fault-api').append(...apis.map((a) => el('option', { value: a.name }, a.name)));
  fillOperations();
  const views = apis.flatMap((a) => a.views.map((v) => `${a.name}/${v}`));
  const preferred = views.find((v) => v.endsWith('/outbox')) ?? views[0];
  $('#view-select').replaceChildren(...views.map((v) => el('option', { value: v, selected: v === preferred }, v)));
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
  // The journal is pushed by the server (journal.js); the clock badge still reads the clock each second.
  setInterval(async () => {
    if (document.hidden) return;
    try {
      await refreshClock();
    } catch (error) {
      status(error.message, true);
    }
  }, 1000);
  document.body.dataset.ready = 'true';
}
start().catch((error) => status(error.message, true));
