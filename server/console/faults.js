// The Faults tab: the sandbox's fault rules, a form to add one (its fields enabled by the kind of fault), removal.

/** The fields each kind of fault uses, besides the API, operation, latency, probability and times every kind takes. */
const KIND_FIELDS = {
  status: ['#fault-status', '#fault-message'],
  429: ['#fault-retry', '#fault-message'],
  latency: [],
  reset: [],
};
const KIND_DEPENDENT = ['#fault-status', '#fault-message', '#fault-retry'];

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

function ruleOf($) {
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
  return rule;
}

export function mountFaultsTab({ $, el, admin, sb, status, guarded }, apis) {
  async function refresh() {
    const rules = await admin(sb('/faults'));
    $('#faults-empty').hidden = rules.length > 0;
    $('#faults').hidden = rules.length === 0;
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
                  await admin(sb(`/faults/${encodeURIComponent(r.id)}`), { method: 'DELETE' });
                  await refresh();
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
  function enableKindFields() {
    const used = KIND_FIELDS[$('#fault-kind').value] ?? [];
    for (const field of KIND_DEPENDENT) $(field).disabled = !used.includes(field);
  }

  $('#fault-api').append(...apis.map((a) => el('option', { value: a.name }, a.name)));
  fillOperations();
  enableKindFields();
  $('#fault-api').addEventListener('change', fillOperations);
  $('#fault-kind').addEventListener('change', enableKindFields);
  $('#fault-form').addEventListener(
    'submit',
    guarded(async (e) => {
      e.preventDefault();
      const added = await admin(sb('/faults'), { method: 'POST', body: JSON.stringify(ruleOf($)) });
      await refresh();
      status(`fault ${added.id} added`);
    }),
  );
  $('#faults-clear').addEventListener(
    'click',
    guarded(async () => {
      const { removed } = await admin(sb('/faults'), { method: 'DELETE' });
      await refresh();
      status(`${removed} fault rules removed`);
    }),
  );
  return { refresh };
}
