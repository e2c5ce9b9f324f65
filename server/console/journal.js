// The console's Journal tab: every request of the sandbox, pushed live by the server (server-sent events), with
// filters, and an inspector for one request (headers, bodies, contract problems, copy as curl or fetch).

/** At most this many entries are kept in the page (the server's journal keeps its own last ones). */
const MAX_ENTRIES = 500;
const STATUS_CLASSES = ['2xx', '3xx', '4xx', '5xx', 'reset'];

const statusClass = (status) => (status === 0 ? 'reset' : `${String(status)[0]}xx`);
const statusText = (status) => (status === 0 ? 'reset' : String(status));

/** A JSON pointer's tokens ("/data/attributes/name" → ["data", "attributes", "name"]). */
const pointerOf = (path) =>
  path.length ? `/${path.map((t) => String(t).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}` : '';

/**
 * `value` as indented JSON in DOM nodes: each member carries its JSON pointer (data-pointer), and those named by a
 * problem (or inside one) are marked, so a problem's place is seen in the body itself.
 */
function jsonNodes(el, value, flagged) {
  const isFlagged = (pointer) => flagged.has(pointer);
  const render = (v, path, indent) => {
    const pointer = pointerOf(path);
    const mark = (node) => {
      node.dataset.pointer = pointer;
      if (isFlagged(pointer)) node.classList.add('flagged');
      return node;
    };
    if (v === null || typeof v !== 'object')
      return [mark(el('span', { class: `json-${v === null ? 'null' : typeof v}` }, JSON.stringify(v)))];
    const entries = Array.isArray(v) ? v.map((item, i) => [i, item]) : Object.entries(v);
    const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
    if (!entries.length) return [mark(el('span', {}, `${open}${close}`))];
    const inner = `${indent}  `;
    const children = entries.flatMap(([key, item], i) => [
      inner,
      ...(Array.isArray(v) ? [] : [el('span', { class: 'json-key' }, JSON.stringify(key)), ': ']),
      ...render(item, [...path, key], inner),
      i < entries.length - 1 ? ',\n' : '\n',
    ]);
    return [mark(el('span', {}, `${open}\n`, ...children, `${indent}${close}`))];
  };
  return render(value, [], '');
}

/** Copies text: the Clipboard API where the page may use it, else a selected text area (http on a shared host). */
async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  const copied = document.execCommand('copy');
  area.remove();
  if (!copied) throw new Error('the browser refused to copy: select the text below and copy it');
}

/**
 * The Journal tab. `ui` gives the console's helpers: el (makes elements), sb (a path under the current sandbox),
 * status (the header's message), guarded (wraps a handler to report its errors), sandbox (the current one's name).
 */
export function journalTab(ui) {
  const { el, sb, status, guarded } = ui;
  const $ = (selector) => document.querySelector(selector);
  let apis = [];
  let entries = [];
  let selectedSeq = null;
  let source = null;
  /** What the free-text filter looks in, per entry, made once. */
  const haystacks = new WeakMap();

  const filters = () => ({
    api: $('#journal-api').value,
    operation: $('#journal-operation').value,
    status: $('#journal-status').value,
    text: $('#journal-text').value.trim().toLowerCase(),
  });
  const haystack = (e) => {
    if (!haystacks.has(e))
      haystacks.set(
        e,
        [
          e.method,
          e.path,
          e.operationId ?? '',
          statusText(e.status),
          ...e.validation.request.map((p) => `${p.pointer} ${p.message}`),
          ...e.validation.response.map((p) => `${p.pointer} ${p.message}`),
          e.requestBody === undefined ? '' : JSON.stringify(e.requestBody),
          e.responseBody === undefined ? '' : JSON.stringify(e.responseBody),
        ]
          .join('\n')
          .toLowerCase(),
      );
    return haystacks.get(e);
  };
  const matches = (e, f) =>
    (!f.api || e.api === f.api) &&
    (!f.operation || e.operationId === f.operation) &&
    (!f.status || statusClass(e.status) === f.status) &&
    (!f.text || haystack(e).includes(f.text));

  function validationCell(entry) {
    const { request, response } = entry.validation;
    if (entry.fault) return el('td', { class: 'muted' }, 'skipped (fault)');
    if (!request.length && !response.length)
      return el(
        'td',
        {
          class: 's2',
          title:
            'request valid; the response is checked against the contract when the server runs with --strict (always under test)',
        },
        'ok',
      );
    const parts = [request.length && `${request.length} request`, response.length && `${response.length} response`];
    return el('td', { class: 'problem' }, parts.filter(Boolean).join(' · '));
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

  function row(e) {
    const cell = (label, attrs, ...content) => el('td', { 'data-label': label, ...attrs }, ...content);
    const tr = el(
      'tr',
      { 'data-seq': e.seq, class: e.seq === selectedSeq ? 'selected' : '', onclick: () => select(e.seq) },
      cell('#', { class: 'c-seq' }, e.seq),
      cell('time', { class: 'c-time', title: `sandbox time ${e.at}` }, e.at.slice(5, 19).replace('T', ' ')),
      cell('method', { class: 'c-method' }, e.method),
      cell('path', { class: 'c-path', title: e.path }, e.path),
      cell(
        'operation',
        { class: 'c-operation', title: `${e.api ?? ''} ${e.operationId ?? ''}` },
        e.operationId ?? '(no route)',
      ),
      cell(
        'status',
        { class: `c-status s${String(e.status)[0]}`, 'data-testid': 'journal-status' },
        statusText(e.status),
      ),
      cell('ms', { class: 'c-ms' }, e.durationMs),
    );
    const validation = validationCell(e);
    validation.classList.add('c-validation');
    validation.dataset.label = 'validation';
    tr.append(validation, cell('fault', { class: 'c-fault fault' }, faultText(e.fault)));
    return tr;
  }

  function emptyState(hidden) {
    if (hidden)
      return el(
        'div',
        { class: 'empty', 'data-testid': 'journal-empty' },
        el('p', {}, `No request matches these filters (${hidden} hidden). `),
        el('button', { type: 'button', onclick: clearFilters }, 'clear filters'),
      );
    const api = apis[0];
    const example = api
      ? `curl -i ${location.origin}/${api.name}${api.operations.find((o) => o.method === 'GET' && !o.path.includes('{'))?.path ?? '/'} -H 'X-Standin-Sandbox: ${ui.sandbox()}'`
      : '';
    return el(
      'div',
      { class: 'empty', 'data-testid': 'journal-empty' },
      el('p', {}, el('strong', {}, `No requests yet in sandbox ${ui.sandbox()}.`)),
      el(
        'p',
        {},
        'Every request your app, a test or curl sends to this Standin’s APIs appears here as it is answered — the refused ones too (401, 422…), with their headers, bodies and contract problems. ',
        'Requests go to the sandbox named by their X-Standin-Sandbox header; without it, to default.',
      ),
      example ? el('p', {}, 'Try: ', el('code', {}, example)) : '',
    );
  }

  function render() {
    const f = filters();
    const shown = entries.filter((e) => matches(e, f));
    $('#journal tbody').replaceChildren(...shown.map(row));
    $('#journal').hidden = !shown.length;
    const empty = $('#journal-empty-state');
    empty.replaceChildren(shown.length ? '' : emptyState(entries.length - shown.length));
    empty.hidden = shown.length > 0;
    $('#journal-count').textContent =
      shown.length === entries.length ? `${entries.length} requests` : `${shown.length} of ${entries.length} requests`;
  }

  function fillOperations() {
    const api = $('#journal-api').value;
    const current = $('#journal-operation').value;
    const operations = apis
      .filter((a) => !api || a.name === api)
      .flatMap((a) => a.operations.map((o) => o.operationId))
      .sort();
    $('#journal-operation').replaceChildren(
      el('option', { value: '' }, 'every operation'),
      ...[...new Set(operations)].map((o) => el('option', { value: o, selected: o === current }, o)),
    );
  }
  function clearFilters() {
    for (const id of ['#journal-api', '#journal-operation', '#journal-status', '#journal-text']) $(id).value = '';
    fillOperations();
    render();
  }

  // The inspector ----------------------------------------------------------------------------------------------
  const base = () => `/__standin${sb(`/journal`)}`;

  function headersTable(pairs) {
    if (!pairs?.length) return el('p', { class: 'muted' }, '(none kept)');
    return el(
      'table',
      { class: 'headers' },
      el(
        'tbody',
        {},
        pairs.map(([name, value]) =>
          el(
            'tr',
            {},
            el('th', {}, name),
            el(
              'td',
              {
                class: value.includes('••••') ? 'masked' : '',
                title: value.includes('••••') ? 'masked here; copy as curl or fetch carries it as sent' : '',
              },
              value,
            ),
          ),
        ),
      ),
    );
  }

  function bodyView(entry, side, flagged) {
    const body = side === 'request' ? entry.requestBody : entry.responseBody;
    const note = entry.bodies?.[side];
    if (body === undefined) return [el('p', { class: 'muted' }, '(no body)')];
    const about = [];
    if (note?.cut) about.push(`cut: the first 16,384 of ${note.chars.toLocaleString()} characters are kept`);
    if (note?.bytes !== undefined) {
      const kind = note.contentType ?? 'binary data';
      if (note.notKept)
        return [el('p', { class: 'muted' }, `${note.bytes.toLocaleString()} bytes of ${kind}, too large to keep`)];
      return [
        el(
          'p',
          {},
          el(
            'a',
            { href: `${base()}/${entry.seq}/${side}-body`, download: '', 'data-testid': `${side}-download` },
            `download the ${kind} (${note.bytes.toLocaleString()} bytes)`,
          ),
        ),
      ];
    }
    let value = body;
    if (typeof body === 'string' && !note?.cut)
      try {
        value = JSON.parse(body);
      } catch {
        value = body;
      }
    const pre =
      typeof value === 'string'
        ? el('pre', {}, value)
        : el('pre', { class: 'json', 'data-testid': `${side}-body` }, ...jsonNodes(el, value, flagged));
    return [...about.map((text) => el('p', { class: 'muted' }, text)), pre];
  }

  function problemsView(problems) {
    if (!problems.length) return '';
    return el(
      'div',
      { class: 'problems', 'data-testid': 'journal-problems' },
      el('h4', {}, 'contract problems'),
      el(
        'ul',
        {},
        problems.map((p) =>
          el(
            'li',
            { class: 'problem' },
            `${p.side} ${p.in} `,
            el('code', { class: 'pointer' }, p.pointer || '/'),
            ` [${p.keyword}] ${p.message}`,
          ),
        ),
      ),
    );
  }

  async function replays(seq) {
    const text = async (format) => {
      const res = await fetch(`${base()}/${seq}/${format}`);
      if (!res.ok) throw new Error(`copy as ${format}: ${res.status} (the journal no longer keeps entry ${seq})`);
      return res.text();
    };
    const [curl, fetchCall] = await Promise.all([text('curl'), text('fetch')]);
    return { curl, fetch: fetchCall };
  }

  function copyButton(label, testid, textOf) {
    return el(
      'button',
      {
        type: 'button',
        'data-testid': testid,
        onclick: guarded(async () => {
          await copyText(await textOf());
          status(`${label} copied`);
        }),
      },
      label,
    );
  }

  function select(seq) {
    selectedSeq = seq;
    document
      .querySelectorAll('#journal tbody tr')
      .forEach((tr) => tr.classList.toggle('selected', Number(tr.dataset.seq) === seq));
    const entry = entries.find((e) => e.seq === seq);
    if (!entry) return;
    // Fetched now, so that a click copies at once (a browser lets a page write the clipboard only in a click).
    const copies = replays(seq);
    copies.catch(() => undefined);
    const problems = [
      ...entry.validation.request.map((p) => ({ side: 'request', ...p })),
      ...entry.validation.response.map((p) => ({ side: 'response', ...p })),
    ];
    const flagged = (side) =>
      new Set(
        problems.filter((p) => (side === 'request' ? p.in === 'body' : p.side === 'response')).map((p) => p.pointer),
      );
    const side = (name, headers) =>
      el(
        'section',
        { class: 'side', 'data-testid': `journal-${name}` },
        el('h4', {}, `${name} headers`),
        headersTable(headers),
        el('h4', {}, `${name} body`),
        ...bodyView(entry, name, flagged(name)),
      );
    $('#journal-detail').hidden = false;
    $('#journal-detail').replaceChildren(
      el(
        'div',
        { class: 'detail-head' },
        el(
          'h3',
          {},
          `${entry.method} ${entry.path} → `,
          el('span', { class: `s${String(entry.status)[0]}` }, entry.status === 0 ? 'connection reset' : entry.status),
        ),
        el(
          'div',
          { class: 'actions' },
          copyButton('copy as curl', 'copy-curl', async () => (await copies).curl),
          copyButton('copy as fetch', 'copy-fetch', async () => (await copies).fetch),
          el('button', { type: 'button', onclick: close, title: 'close the inspector' }, '×'),
        ),
      ),
      el(
        'p',
        { class: 'muted' },
        `#${entry.seq} · ${entry.api ?? ''} ${entry.operationId ?? '(no route)'} · ${entry.durationMs} ms · sandbox time ${entry.at}`,
      ),
      entry.fault ? el('p', { class: 'fault' }, `injected fault: ${faultText(entry.fault)}`) : '',
      problemsView(problems),
      el('div', { class: 'sides' }, side('request', entry.requestHeaders), side('response', entry.responseHeaders)),
    );
  }
  function close() {
    selectedSeq = null;
    $('#journal-detail').hidden = true;
    document.querySelectorAll('#journal tbody tr.selected').forEach((tr) => tr.classList.remove('selected'));
  }

  // Live updates -------------------------------------------------------------------------------------------------
  function liveState(text, ok) {
    const badge = $('#journal-live-state');
    badge.textContent = text;
    badge.className = ok ? 'badge live' : 'badge';
  }
  function disconnect() {
    source?.close();
    source = null;
    liveState('paused', false);
  }
  function connect() {
    disconnect();
    liveState('connecting…', false);
    source = new EventSource(`${base()}/events?limit=200`);
    source.addEventListener('open', () => liveState('live', true));
    source.addEventListener('error', () => liveState('reconnecting…', false));
    source.addEventListener('snapshot', (event) => {
      entries = JSON.parse(event.data);
      render();
      if (selectedSeq !== null && !entries.some((e) => e.seq === selectedSeq)) close();
    });
    source.addEventListener('entry', (event) => {
      entries.unshift(JSON.parse(event.data));
      if (entries.length > MAX_ENTRIES) entries.length = MAX_ENTRIES;
      render();
    });
    source.addEventListener('cleared', () => {
      entries = [];
      close();
      render();
    });
    source.addEventListener('closing', () => liveState('server stopping…', false));
  }

  $('#journal-api').addEventListener('change', () => {
    fillOperations();
    render();
  });
  for (const id of ['#journal-operation', '#journal-status']) $(id).addEventListener('change', render);
  $('#journal-text').addEventListener('input', render);
  $('#journal-clear-filters').addEventListener('click', clearFilters);
  $('#journal-live').addEventListener('change', (e) => (e.target.checked ? connect() : disconnect()));

  return {
    /** The mounted APIs (apis.json): the filters' choices and the empty state's example. */
    setApis(list) {
      apis = list;
      $('#journal-api').append(...apis.map((a) => el('option', { value: a.name }, a.name)));
      $('#journal-status').append(...STATUS_CLASSES.map((c) => el('option', { value: c }, c)));
      fillOperations();
    },
    /** Shows the current sandbox's journal, live unless paused. */
    open() {
      entries = [];
      close();
      render();
      if ($('#journal-live').checked) connect();
      else this.refresh();
    },
    /** Reads the journal once (when not live). */
    refresh: guarded(async () => {
      const res = await fetch(`${base()}?limit=200`);
      if (!res.ok) throw new Error(`journal: ${res.status}`);
      entries = await res.json();
      render();
    }),
  };
}
