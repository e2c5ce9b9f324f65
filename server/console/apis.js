// The console's APIs tab: per API, how a newcomer starts (base URL, credentials, fixture records, a first request
// to copy as curl) and the fixtures' reference data, from /__standin/console/getting-started.json.
import { el } from './console.js';

const $ = (selector) => document.querySelector(selector);
let starts = [];
let shown = null;
let reference = null;

/** One shell word: single-quoted, a quote inside closed, escaped and reopened. */
const shellWord = (text) => `'${String(text).replace(/'/g, `'\\''`)}'`;

const sandboxHeaders = () => {
  const sandbox = $('#sandbox')?.value;
  return sandbox && sandbox !== 'default' ? { 'X-Standin-Sandbox': sandbox } : {};
};

/** A request as a curl command line: the URL, its headers (`-u` for HTTP Basic) and a JSON body. */
function curlOf(base, request, { basic, extra = [] } = {}) {
  const words = ['curl -s'];
  if (request.method !== 'GET') words.push(`-X ${request.method}`);
  words.push(shellWord(`${base}${request.path}`));
  const headers = { ...request.headers, ...sandboxHeaders() };
  if (basic) delete headers.Authorization;
  for (const [name, value] of Object.entries(headers)) words.push(`-H ${shellWord(`${name}: ${value}`)}`);
  if (basic) words.push(`-u ${shellWord(`${basic.username}:${basic.password}`)}`);
  if (request.body !== undefined) words.push(`-d ${shellWord(JSON.stringify(request.body))}`);
  return [...words, ...extra].join(' ');
}

/** The first request as a shell command; with a login credential, the login first and its token kept in $TOKEN. */
function firstRequestCommand(start) {
  const base = `${location.origin}/${start.name}`;
  const credential = start.credentials[0];
  const login = credential?.login;
  if (!login) return curlOf(base, start.firstRequest, { basic: credential?.basic });
  const token = `sed -n 's/.*"${login.tokenField}": *"\\([^"]*\\)".*/\\1/p'`;
  return [
    `TOKEN=$(${curlOf(base, login.request)} | ${token})`,
    curlOf(base, start.firstRequest, { extra: [`-H "${login.header}: ${login.prefix}$TOKEN"`] }),
  ].join('\n');
}

async function copy(text, button) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Not a secure context (served on a LAN address): the old way, through a selection.
    const area = el('textarea', {}, text);
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
  button.textContent = 'copied';
  setTimeout(() => {
    button.textContent = 'copy';
  }, 1500);
}

const copyButton = (text, testid) => {
  const button = el('button', { type: 'button', class: 'copy', 'data-testid': testid }, 'copy');
  button.addEventListener('click', () => copy(typeof text === 'function' ? text() : text, button));
  return button;
};

function table(columns, rows, testid) {
  return el(
    'div',
    { class: 'scroll' },
    el(
      'table',
      { class: 'grid start-table', 'data-testid': testid },
      el('thead', {}, el('tr', {}, ...columns.map((c) => el('th', {}, c)))),
      el(
        'tbody',
        {},
        ...rows.map((row) =>
          el('tr', {}, ...columns.map((c) => el('td', {}, row[c] === null || row[c] === undefined ? '' : row[c]))),
        ),
      ),
    ),
  );
}

function referenceSection(start) {
  const names = Object.keys(start.reference);
  if (!names.length) return '';
  const current = names.includes(reference) ? reference : names[0];
  const rows = start.reference[current];
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return el(
    'section',
    {},
    el('h3', {}, 'Reference data ', el('span', { class: 'muted' }, '(from the fixtures)')),
    el(
      'div',
      { class: 'toolbar', role: 'group' },
      ...names.map((name) =>
        el(
          'button',
          {
            type: 'button',
            class: name === current ? 'picked' : '',
            'data-testid': 'reference-pick',
            onclick: () => {
              reference = name;
              render();
            },
          },
          `${name} (${start.reference[name].length})`,
        ),
      ),
    ),
    table(columns, rows, 'reference-table'),
  );
}

function render() {
  const start = starts.find((s) => s.name === shown) ?? starts[0];
  if (!start) return $('#apis-list').replaceChildren(el('p', { class: 'muted' }, 'No API is served here.'));
  shown = start.name;
  const base = `${location.origin}/${start.name}`;
  const command = firstRequestCommand(start);
  const first = start.firstRequest;
  $('#apis-list').replaceChildren(
    el(
      'div',
      { class: 'toolbar api-picker', 'data-testid': 'api-picker' },
      ...starts.map((s) =>
        el(
          'button',
          {
            type: 'button',
            class: s.name === start.name ? 'picked' : '',
            'data-api': s.name,
            onclick: () => {
              shown = s.name;
              reference = null;
              render();
            },
          },
          s.name,
        ),
      ),
    ),
    el(
      'article',
      { class: 'start', 'data-testid': 'api-start' },
      el('h2', {}, start.title),
      el(
        'p',
        { class: 'start-links' },
        el('a', { href: `/__standin/docs/${start.name}` }, 'API reference'),
        ' · ',
        el('a', { href: `/__standin/docs/${start.name}/openapi.json` }, 'openapi.json'),
        ' · ',
        el('a', { href: '/__standin/docs' }, 'every API'),
      ),
      el(
        'p',
        { class: 'base-url' },
        'Base URL ',
        el('code', { 'data-testid': 'base-url' }, base),
        ' ',
        copyButton(base, 'copy-base-url'),
        el('span', { class: 'muted' }, ' then the vendor’s own paths'),
      ),
      el('h3', {}, 'First request'),
      el(
        'p',
        { class: 'muted' },
        `${first.method} ${first.path} (${first.operationId})${first.summary ? ` — ${first.summary.replace(/\.$/, '')}` : ''}. `,
        'It answers 200 on the fixtures and shows up in the journal.',
      ),
      el(
        'div',
        { class: 'command' },
        el('pre', { 'data-testid': 'first-request' }, command),
        copyButton(command, 'copy-curl'),
      ),
      el('h3', {}, 'Credentials that work'),
      el(
        'p',
        { class: 'muted' },
        start.schemes.map((s) => `${s.name}: ${s.how}${s.description ? ` ${s.description}` : ''}`).join(' · '),
      ),
      table(
        ['who', 'send'],
        start.credentials.map((c) => ({ who: c.who, send: el('code', {}, c.shown.join('\n')) })),
        'credentials',
      ),
      el('h3', {}, 'Fixture records worth knowing'),
      table(
        ['id', 'what'],
        start.records.map((r) => ({ id: el('code', {}, String(r.id)), what: r.what })),
        'records',
      ),
      referenceSection(start),
    ),
  );
}

async function load() {
  starts = await (await fetch('/__standin/console/getting-started.json')).json();
  render();
  // The docs index links here as /__standin/#apis.
  if (location.hash === '#apis') $('nav button[data-tab=apis]').click();
  // The copied commands carry the sandbox the console shows.
  const sandbox = $('#sandbox');
  sandbox.addEventListener('change', render);
  new MutationObserver(render).observe(sandbox, { childList: true });
}

load().catch((error) => {
  $('#apis-list').replaceChildren(el('p', { class: 'problem' }, `APIs tab: ${error.message}`));
});
