/**
 * The portal page's script: follows the initial sync live (GET …/api/status), draws each model's
 * charts with Chart.js (GET …/api/models), reloads when the send-time summary is recomputed
 * (GET …/api/send-times; the heat map and lift panel are server-rendered) and previews a settings change before it is saved
 * (GET …/api/settings/preview). Served by the app; no other script runs on the page.
 */
/* global Chart, URLSearchParams, FormData */
(function () {
  const root = document.getElementById('portal-page');
  if (!root) return;
  const portalId = root.dataset.portal;
  const api = (path) => fetch(`/portals/${portalId}/api/${path}`, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  const colours = { A: '#f2545b', B: '#ff7a59', C: '#f5c26b', D: '#cbd6e2', line: '#00a4bd', diagonal: '#7c98b6' };
  const charts = new Map();
  let settingsTouched = false;
  let drawnAt = 0;
  let drawnData = '';

  /** Draws a chart, or updates the one drawn there in place (no layout change under the reader's pointer). */
  function draw(id, config) {
    const canvas = document.getElementById(id);
    if (!canvas) return;
    const options = { animation: false, maintainAspectRatio: false, responsive: true, ...config.options };
    const drawn = charts.get(id);
    if (drawn) {
      drawn.data = config.data;
      drawn.options = options;
      drawn.update('none');
      return;
    }
    charts.set(id, new Chart(canvas, { ...config, options }));
  }

  const axis = (title, extra = {}) => ({ type: 'linear', min: 0, max: 1, title: { display: true, text: title }, ...extra });

  function drawModel(view) {
    const model = view.current;
    if (!model) return;
    const t = view.key;
    draw(`roc-${t}`, {
      type: 'scatter',
      data: {
        datasets: [
          { label: `${model.version} (AUC ${model.holdout.auc === null ? 'n/a' : model.holdout.auc.toFixed(3)})`, data: model.charts.roc.map((p) => ({ x: p.fpr, y: p.tpr })), showLine: true, borderColor: colours.line, backgroundColor: colours.line, pointRadius: 0 },
          { label: 'chance', data: [{ x: 0, y: 0 }, { x: 1, y: 1 }], showLine: true, borderDash: [4, 4], borderColor: colours.diagonal, pointRadius: 0 },
        ],
      },
      options: { scales: { x: axis('false positive rate'), y: axis('true positive rate') } },
    });
    draw(`calibration-${t}`, {
      type: 'scatter',
      data: {
        datasets: [
          { label: 'observed rate per bin', data: model.charts.calibration.map((b) => ({ x: b.predicted, y: b.observed, n: b.count })), showLine: true, borderColor: colours.line, backgroundColor: colours.line },
          { label: 'perfect calibration', data: [{ x: 0, y: 0 }, { x: 1, y: 1 }], showLine: true, borderDash: [4, 4], borderColor: colours.diagonal, pointRadius: 0 },
        ],
      },
      options: { scales: { x: axis('mean predicted probability'), y: axis('observed rate') } },
    });
    draw(`histogram-${t}`, {
      type: 'bar',
      data: {
        labels: view.histogram.map((b) => `${b.from}–${b.to}`),
        datasets: ['A', 'B', 'C', 'D'].map((tier) => ({ label: `tier ${tier}`, data: view.histogram.map((b) => b.tiers[tier]), backgroundColor: colours[tier] })),
      },
      options: { scales: { x: { stacked: true, title: { display: true, text: view.target === 'lead' ? 'lead score' : 'churn risk' } }, y: { stacked: true, title: { display: true, text: 'records' } } } },
    });
    draw(`importance-${t}`, {
      type: 'bar',
      data: { labels: model.charts.importance.map((f) => f.label), datasets: [{ label: 'mean effect on the score (log-odds)', data: model.charts.importance.map((f) => f.weight), backgroundColor: colours.line }] },
      options: { indexAxis: 'y' },
    });
  }

  async function refreshModels() {
    const answer = await api('models');
    if (!answer.ok) return;
    const { targets } = await answer.json();
    const versions = targets.map((v) => v.current?.version ?? '').join(',');
    if (versions !== root.dataset.models) {
      // A model appeared or changed: the page's text (versions, history) comes from the server.
      if (!settingsTouched) window.location.reload();
      return;
    }
    // The histogram follows rescoring: redrawn when it changed, at most every 30 s.
    const data = JSON.stringify(targets);
    if (data === drawnData || Date.now() - drawnAt < 30_000) return;
    drawnAt = Date.now();
    drawnData = data;
    targets.forEach(drawModel);
  }

  /** The best send times are recomputed by whole-portal scoring runs: the page shows the new ones. */
  async function refreshSendTimes() {
    const answer = await api('send-times');
    if (!answer.ok) return;
    const summary = await answer.json();
    if ((summary.computedAt ?? '') !== (root.dataset.sendTimes ?? '') && !settingsTouched) window.location.reload();
  }

  function showSync(status) {
    for (const s of status.sync) {
      const row = document.querySelector(`#sync tr[data-object="${s.objectType}"]`);
      if (!row) continue;
      const bar = row.querySelector('[role="progressbar"]');
      bar.setAttribute('aria-valuenow', String(s.percent));
      bar.firstElementChild.style.width = `${s.percent}%`;
      row.querySelector('.percent').textContent = `${s.percent} %`;
      row.querySelector('.counts').textContent = `${s.done.toLocaleString('en-US')}${s.total !== null ? ` / ${s.total.toLocaleString('en-US')}` : ''}`;
      const rate = s.ratePerSecond !== null ? ` · ${Math.round(s.ratePerSecond).toLocaleString('en-US')} records/s` : '';
      row.querySelector('.state').textContent = s.status + rate + (s.etaSeconds !== null ? ` · about ${Math.ceil(s.etaSeconds)} s left` : '');
    }
    document.getElementById('sync-percent').textContent = `${status.syncPercent} %`;
    const eta = Math.max(0, ...status.sync.map((s) => s.etaSeconds ?? 0));
    document.getElementById('sync-eta').textContent = status.syncPercent < 100 && eta > 0 ? `(about ${Math.ceil(eta)} s left)` : '';
    document.getElementById('webhook-backlog').textContent = String(status.webhooks.pending);
    document.getElementById('webhook-dead').textContent = String(status.webhooks.dead);
  }

  async function follow() {
    try {
      const answer = await api('status');
      if (answer.ok) showSync(await answer.json());
      await refreshModels();
      await refreshSendTimes();
    } finally {
      setTimeout(follow, 2000);
    }
  }

  const form = document.getElementById('settings');
  const preview = document.getElementById('preview');
  let previewTimer;
  async function showPreview() {
    const query = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (name !== 'csrf') query.set(name, String(value));
    const answer = await api(`settings/preview?${query}`);
    const body = await answer.json();
    preview.replaceChildren();
    const list = document.createElement('ul');
    const item = (text) => {
      const li = document.createElement('li');
      li.textContent = text;
      list.append(li);
    };
    if (!answer.ok) (body.problems ?? [body.message]).forEach((p) => item(`Would not be saved: ${p}`));
    else if (body.moves.length === 0) item('No threshold changes: no record would move.');
    else body.moves.forEach((m) => item(`${m.threshold} ${m.from} → ${m.to}: ${m.records.toLocaleString('en-US')} record(s) would move (${m.moves})`));
    const heading = document.createElement('strong');
    heading.textContent = 'Preview (not saved yet)';
    preview.append(heading, list);
  }
  form?.addEventListener('input', () => {
    settingsTouched = true;
    clearTimeout(previewTimer);
    previewTimer = setTimeout(() => void showPreview(), 250);
  });
  document.getElementById('uninstall')?.addEventListener('submit', (event) => {
    if (!window.confirm('Uninstall Propensity from this portal and delete its data?')) event.preventDefault();
  });

  void follow();
})();
