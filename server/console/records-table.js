// A table of records, shared by the State and Outbox tabs: an id column, then the union of the records' keys.

const MAX_ROWS = 1000;
const MAX_COLUMNS = 16;

export const short = (value) =>
  value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);

/**
 * Fills `container` with `rows` as a table (or, when there is none, the `empty` sentence saying what fills it).
 * Each row is `{ id, record }`; `onSelect(row)` runs on a click.
 */
export function recordTable(container, el, rows, { filter = '', onSelect, selectedId, empty }) {
  if (rows.length === 0) return container.replaceChildren(el('p', { class: 'empty', 'data-testid': 'empty' }, empty));
  const needle = filter.toLowerCase();
  const shown = needle ? rows.filter((r) => JSON.stringify(r).toLowerCase().includes(needle)) : rows;
  const records = shown.map((row) => {
    const value = row.record;
    return value && typeof value === 'object' && !Array.isArray(value) ? value : { value };
  });
  const keys = [...new Set(records.slice(0, 200).flatMap((r) => Object.keys(r)))];
  // The field that names the records (an id, a slug) heads the rows instead of repeating beside them.
  const naming = keys.find((k) => shown.every((row, i) => short(records[i][k]) === row.id));
  const columns = keys.filter((k) => k !== naming).slice(0, MAX_COLUMNS);
  const body = el(
    'tbody',
    {},
    shown.slice(0, MAX_ROWS).map((row, i) =>
      el(
        'tr',
        { 'data-id': row.id, class: row.id === selectedId ? 'selected' : '', onclick: () => onSelect(row) },
        el('th', { scope: 'row' }, row.id),
        columns.map((c) => el('td', { title: short(records[i][c]) }, short(records[i][c]))),
      ),
    ),
  );
  container.replaceChildren(
    el(
      'p',
      { class: 'muted' },
      `${shown.length} of ${rows.length} records${shown.length > MAX_ROWS ? ` (first ${MAX_ROWS} shown)` : ''}`,
    ),
    el(
      'div',
      { class: 'scroll' },
      el(
        'table',
        { class: 'grid' },
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            el('th', {}, naming ?? 'key'),
            columns.map((c) => el('th', {}, c)),
          ),
        ),
        body,
      ),
    ),
  );
}
