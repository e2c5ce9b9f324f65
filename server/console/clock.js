// The Clock tab and the header's clock badge: the sandbox time, moved by a duration, a quick step, or set.

export function mountClockTab({ $, admin, sb, status, guarded }) {
  function render(clock) {
    $('#clock-now').textContent = clock.now;
    $('#clock-badge').textContent =
      `clock ${clock.now.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}${clock.frozen ? ' (frozen)' : ''}`;
    $('#clock-frozen').textContent = clock.frozen ? 'frozen' : 'running';
    const days = clock.offsetMs / 86_400_000;
    $('#clock-offset').textContent = clock.offsetMs
      ? `offset ${clock.offsetMs} ms (${days.toFixed(2)} days)`
      : 'real time';
  }
  const refresh = async () => render(await admin(sb('/clock')));
  const move = (body) => admin(sb('/clock'), { method: 'POST', body: JSON.stringify(body) }).then(render);
  const advance = async (by) => {
    await move({ advance: /^-?\d+$/.test(by) ? Number(by) : by });
    status(`clock advanced by ${by}`);
  };

  $('#clock-advance').addEventListener(
    'submit',
    guarded(async (e) => {
      e.preventDefault();
      await advance($('#advance-by').value.trim());
    }),
  );
  for (const button of document.querySelectorAll('#clock-quick [data-advance]'))
    button.addEventListener(
      'click',
      guarded(() => advance(button.dataset.advance)),
    );
  $('#clock-set').addEventListener(
    'submit',
    guarded(async (e) => {
      e.preventDefault();
      await move({ set: $('#set-to').value.trim(), freeze: $('#set-freeze').checked });
      status('clock set');
    }),
  );
  $('#clock-freeze').addEventListener(
    'click',
    guarded(() => move({ freeze: true })),
  );
  $('#clock-unfreeze').addEventListener(
    'click',
    guarded(() => move({ freeze: false })),
  );
  $('#clock-reset').addEventListener(
    'click',
    guarded(() => move({ reset: true })),
  );
  return { refresh };
}
