// The Outbox tab: each API's admin views (DjaoApp's outbox first), as a table, or a sentence saying what fills them.
import { recordTable } from './records-table.js';

/** Arrays of records, and objects whose values are records (maps by id), become rows; anything else is shown as JSON. */
function rowsOf(value) {
  if (Array.isArray(value)) return value.map((record, i) => ({ id: String(record?.id ?? i), record }));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length && entries.every(([, v]) => v && typeof v === 'object' && !Array.isArray(v)))
      return entries.map(([id, record]) => ({ id, record }));
  }
  return null;
}

export function mountOutboxTab({ $, el, admin, sb, guarded, pretty }, apis) {
  const views = apis.flatMap((a) => a.views.map((v) => ({ key: `${a.name}/${v.name}`, api: a, ...v })));
  const preferred = views.find((v) => v.name === 'outbox') ?? views[0];
  $('#view-select').replaceChildren(
    ...views.map((v) => el('option', { value: v.key, selected: v === preferred }, v.key)),
  );
  const detail = (row) => $('#view-detail').replaceChildren(el('pre', {}, pretty(row.record)));

  async function refresh() {
    const view = views.find((v) => v.key === $('#view-select').value);
    $('#view-detail').replaceChildren();
    if (!view) return $('#view-table').replaceChildren(el('p', { class: 'empty' }, 'No API here has admin views.'));
    const value = await admin(sb(`/apis/${encodeURIComponent(view.api.name)}/${encodeURIComponent(view.name)}`));
    const rows = rowsOf(value);
    const empty =
      view.about ?? `Nothing in ${view.key} yet: ${view.api.title} fills it as requests to it change the state.`;
    if (rows) recordTable($('#view-table'), el, rows, { onSelect: detail, empty });
    else $('#view-table').replaceChildren(el('pre', {}, pretty(value)));
  }
  $('#view-select').addEventListener('change', guarded(refresh));
  $('#view-refresh').addEventListener('click', guarded(refresh));
  return { refresh };
}
