// The State tab: each API's state as a table per collection, opening on its main one (the admin routes of
// server/core/admin/records.ts say which, and leave secrets out); a row opens its record to edit or delete.
import { recordTable } from './records-table.js';

const OTHER_VALUES = '';

export function mountStateTab({ $, el, admin, sb, status, guarded, pretty }, apis) {
  let outline = null;
  let listed = null;
  let selected = null;

  const recordPath = (record) =>
    sb(
      `/state/${encodeURIComponent(outline.api)}/${encodeURIComponent(listed.collection.name)}/${record.path.map(encodeURIComponent).join('/')}`,
    );

  function showMessage(text, error) {
    const message = $('#record-message');
    message.textContent = text;
    message.className = error ? 'problem' : 'muted';
  }

  function showRecord(record) {
    selected = record;
    $('#record-editor').hidden = false;
    $('#state-split').classList.add('editing');
    $('#record-editor').scrollIntoView({ block: 'nearest' });
    $('#record-title').textContent = `${listed.collection.name} / ${record.id}`;
    $('#record-json').value = pretty(record.record);
    showMessage("Edit the JSON and save: the change is checked against the API's state schema before it is stored.");
    document
      .querySelectorAll('#state-table tbody tr')
      .forEach((tr) => tr.classList.toggle('selected', tr.dataset.id === record.id));
  }

  function renderCollection() {
    const filter = $('#state-filter').value;
    recordTable($('#state-table'), el, listed.records, {
      filter,
      onSelect: showRecord,
      selectedId: selected?.id,
      empty: `No ${listed.collection.name} in this sandbox: the API's writes (or a restored snapshot) add them.`,
    });
  }

  async function loadApi(api, resource) {
    outline = await admin(sb(`/state/${encodeURIComponent(api)}`));
    const wanted = resource ?? outline.main;
    const names = outline.collections.map((c) => c.name);
    const collection = names.includes(wanted) ? wanted : Object.keys(outline.values).length ? OTHER_VALUES : names[0];
    $('#state-resource').replaceChildren(
      ...outline.collections.map((c) =>
        el('option', { value: c.name, selected: c.name === collection }, `${c.name} (${c.count})`),
      ),
      Object.keys(outline.values).length
        ? el('option', { value: OTHER_VALUES, selected: collection === OTHER_VALUES }, 'other values')
        : '',
    );
    await loadCollection(collection);
  }

  async function loadCollection(name) {
    if (selected && listed?.collection.name !== name) closeEditor();
    if (name === OTHER_VALUES || name === undefined) {
      listed = null;
      $('#state-table').replaceChildren(
        el(
          'p',
          { class: 'muted' },
          'Settings of this API that are no collection (read-only here; secrets are left out).',
        ),
        el('pre', { 'data-testid': 'state-values' }, pretty(outline.values)),
      );
      return;
    }
    listed = await admin(sb(`/state/${encodeURIComponent(outline.api)}/${encodeURIComponent(name)}`));
    renderCollection();
  }

  function closeEditor() {
    selected = null;
    $('#record-editor').hidden = true;
    $('#state-split').classList.remove('editing');
  }

  async function refresh() {
    const names = apis.map((a) => a.name);
    const api = names.includes($('#state-api').value) ? $('#state-api').value : names[0];
    $('#state-api').replaceChildren(...names.map((n) => el('option', { value: n, selected: n === api }, n)));
    await loadApi(api, outline?.api === api ? $('#state-resource').value : undefined);
    if (selected) {
      const again = listed?.records.find((r) => r.id === selected.id);
      if (again) showRecord(again);
      else closeEditor();
    }
  }

  async function save() {
    let record;
    try {
      record = JSON.parse($('#record-json').value);
    } catch (error) {
      return showMessage(`Not JSON: ${error.message}`, true);
    }
    const res = await fetch(`/__standin${recordPath(selected)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(record),
    });
    const body = await res.json();
    if (!res.ok) return showMessage([body.error, ...(body.problems ?? []).slice(1)].join('\n'), true);
    const id = selected.id;
    await loadCollection(listed.collection.name);
    const again = listed.records.find((r) => r.id === id);
    // A record whose naming field was changed is listed under its new name.
    if (again) {
      showRecord(again);
      showMessage(`Saved ${listed.collection.name} / ${id}.`, false);
    } else closeEditor();
    status(`${outline.api} ${listed.collection.name} ${id} saved`);
  }

  async function remove() {
    if (!confirm(`Delete ${listed.collection.name} / ${selected.id} from sandbox state?`)) return;
    await admin(recordPath(selected), { method: 'DELETE' });
    const id = selected.id;
    closeEditor();
    await loadApi(outline.api, listed.collection.name);
    status(`${outline.api} ${listed.collection.name} ${id} deleted`);
  }

  $('#state-api').addEventListener(
    'change',
    guarded(() => loadApi($('#state-api').value)),
  );
  $('#state-resource').addEventListener(
    'change',
    guarded(() => loadCollection($('#state-resource').value)),
  );
  $('#state-filter').addEventListener('input', () => listed && renderCollection());
  $('#state-refresh').addEventListener('click', guarded(refresh));
  $('#record-save').addEventListener('click', guarded(save));
  $('#record-delete').addEventListener('click', guarded(remove));
  $('#record-close').addEventListener('click', closeEditor);
  return {
    refresh,
    forget: () => {
      outline = null;
      closeEditor();
    },
  };
}
