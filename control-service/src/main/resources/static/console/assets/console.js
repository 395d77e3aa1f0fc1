// The stream-control console: one page, routed by the URL's hash, that reads and drives the REST API with the
// console's session (the service sets it at sign-in). Viewers read; operators also get the actions, which send the
// session's CSRF token. Nothing is loaded from anywhere but the service.
'use strict';

const REFRESH_MS = 3000;
const STATE_WORDS = {
  SUBMITTED: 'submitted', STARTING: 'starting', RUNNING: 'running', STOPPING: 'stopping', STOPPED: 'stopped',
  FAILED: 'failed', KILLED: 'killed', RESTARTING: 'restarting', UNKNOWN: 'unknown'
};

const session = {user: null, role: null, csrf: null};
let timers = [];
let charts = [];

// ---------- the API ----------

class Problem extends Error {
  constructor(status, body) {
    const detail = body && (body.detail || body.title) || ('HTTP ' + status);
    super(detail);
    this.status = status;
    this.body = body || {};
  }

  /** The service answers but cannot reach its Cassandra: nothing can be read or changed until it is back. */
  cassandraUnreachable() {
    return this.status === 503 && /cannot reach Cassandra/.test(this.body.detail || '');
  }

  /** The problem detail's own words: title, detail and each field error. */
  words() {
    const parts = [this.body.title ? this.body.title + ' (' + this.status + ')' : 'HTTP ' + this.status];
    if (this.body.detail) parts.push(this.body.detail);
    for (const e of this.body.errors || []) parts.push((e.field || e.parameter || e.name || '') + ': ' + (e.message || e.detail || JSON.stringify(e)));
    return parts.join(' — ');
  }
}

async function api(path, options = {}) {
  const headers = {'Accept': 'application/json', 'X-Requested-With': 'XMLHttpRequest'};
  const init = {method: options.method || 'GET', headers, credentials: 'same-origin'};
  if (init.method !== 'GET') headers[session.csrf.header] = session.csrf.token;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new Problem(0, {title: 'The control service does not answer', detail: e.message});
  }
  if (response.status === 401) {
    location.assign('/console/login.html');
    throw new Problem(401, {title: 'Signed out'});
  }
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (e) { body = {detail: text.slice(0, 300)}; }
  if (!response.ok) throw new Problem(response.status, body);
  return body;
}

// ---------- small helpers ----------

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/** Replaces node's children with those given, leaving out the absent ones (null, undefined, false). */
function fill(node, ...children) {
  node.replaceChildren(...children.filter(c => c !== null && c !== undefined && c !== false));
}

/** A long text cut to n characters, saying how long it was. */
function clip(text, n) {
  return text && text.length > n ? text.slice(0, n) + '… (' + text.length + ' characters)' : text;
}

const enc = encodeURIComponent;
const isOperator = () => session.role === 'operator';

function stateBadge(state) {
  return el('span', {class: 'state state-' + (state || 'UNKNOWN').toLowerCase(), 'data-state': state},
    STATE_WORDS[state] || (state || 'unknown').toLowerCase());
}

function duration(ms) {
  if (ms === null || ms === undefined || isNaN(ms)) return '—';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return s + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
  if (s < 86400) return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
  return Math.floor(s / 86400) + ' d ' + Math.floor((s % 86400) / 3600) + ' h';
}

function uptime(job) {
  const since = job.status.runningSince;
  return job.status.state === 'RUNNING' && since ? duration(Date.now() - Date.parse(since)) : '—';
}

function number(v, digits = 0) {
  return v === null || v === undefined ? '—'
    : Number(v).toLocaleString('en-US', {maximumFractionDigits: digits, minimumFractionDigits: 0});
}

/** An axis tick: 1.5k, 2.3M. */
function compact(v) {
  if (v === null || v === undefined) return '';
  const a = Math.abs(v);
  return a >= 1e9 ? +(v / 1e9).toFixed(1) + 'G' : a >= 1e6 ? +(v / 1e6).toFixed(1) + 'M'
    : a >= 1e4 ? +(v / 1e3).toFixed(1) + 'k' : String(+v.toFixed(2));
}

function time(iso) {
  return iso ? new Date(iso).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '—';
}

function showProblem(error) {
  const banner = document.getElementById('problem');
  delete banner.dataset.problem;
  if (!error) { banner.hidden = true; banner.textContent = ''; return; }
  if (error instanceof Problem && error.cassandraUnreachable()) {
    banner.dataset.problem = 'cassandra';
    banner.replaceChildren(el('strong', {}, 'The control service cannot reach Cassandra.'),
      ' Jobs, their state and what they computed can be neither read nor changed until it is back; this page tries'
      + ' again every few seconds.', el('div', {class: 'small'}, error.body.detail));
  } else if (error instanceof Problem && error.status === 0) {
    banner.dataset.problem = 'service';
    banner.replaceChildren(el('strong', {}, 'The control service does not answer.'),
      ' This page tries again every few seconds.', el('div', {class: 'small'}, error.body.detail || ''));
  } else {
    banner.textContent = error instanceof Problem ? error.words() : String(error.message || error);
  }
  banner.hidden = false;
}

/** Whether trying again later may help: the service or its Cassandra is out of reach for now. */
function retryable(error) {
  return error instanceof Problem && (error.status === 0 || error.cassandraUnreachable());
}

function every(ms, fn) {
  fn();
  timers.push(setInterval(fn, ms));
}

function confirmAction(text) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-text').textContent = text;
  return new Promise(resolve => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'yes'), {once: true});
    dialog.returnValue = '';
    dialog.showModal();
  });
}

/** The lifecycle actions of a job, for operators; each asks first and shows the API's problem detail if refused. */
function actions(job, after) {
  if (!isOperator()) return null;
  const name = job.name;
  const state = job.status.state;
  const allowed = {
    start: ['STOPPED', 'FAILED', 'KILLED'].includes(state),
    stop: ['SUBMITTED', 'STARTING', 'RUNNING', 'RESTARTING'].includes(state),
    kill: ['SUBMITTED', 'STARTING', 'RUNNING', 'STOPPING', 'RESTARTING'].includes(state),
    delete: ['STOPPED', 'FAILED', 'KILLED'].includes(state)
  };
  const act = (action, label, question, request, cls) => el('button', {
    class: cls || '', 'data-action': action, disabled: !allowed[action],
    title: allowed[action] ? null : 'Not while the job is ' + (STATE_WORDS[state] || state), onclick: async () => {
      if (!(await confirmAction(question))) return;
      try {
        showProblem(null);
        await request();
        await after();
      } catch (e) {
        showProblem(e);
      }
    }
  }, label);
  return el('span', {class: 'actions'},
    act('start', 'Start', 'Start job ' + name + '?', () => api('/api/jobs/' + enc(name) + '/start', {method: 'POST'})),
    act('stop', 'Stop', 'Stop job ' + name + ' gracefully (it finishes every event it received)?',
      () => api('/api/jobs/' + enc(name) + '/stop', {method: 'POST'})),
    act('kill', 'Kill', 'Kill the driver of ' + name + ' now? (the next start resumes from its last commit)',
      () => api('/api/jobs/' + enc(name) + '/kill', {method: 'POST'}), 'danger'),
    act('delete', 'Delete', 'Delete job ' + name + '? (its tables and checkpoints stay)',
      async () => { await api('/api/jobs/' + enc(name), {method: 'DELETE'}); location.hash = '#/'; }, 'danger'));
}

// ---------- charts (uPlot) ----------

/**
 * A time series chart kept across refreshes: update() gives it new data (x in seconds; each series {label, values,
 * color, dash}) and uPlot redraws in place. data-points tells how many x values it shows.
 */
function chartPanel(container, key, title, unit) {
  const caption = el('span', {class: 'muted latest'}, '');
  const empty = el('p', {class: 'empty'}, 'No batches yet.');
  const box = el('figure', {class: 'chart', 'data-chart': key, 'data-points': 0},
    el('figcaption', {}, el('strong', {}, title), caption), empty);
  container.append(box);
  let plot = null;
  const width = () => Math.max(260, Math.min(box.clientWidth || 560, 900) - 18);
  // a window resized or turned (a phone) after the first drawing: the chart takes its box's new width
  const resized = new ResizeObserver(() => {
    if (!box.isConnected) { resized.disconnect(); return; }
    if (plot && Math.abs(plot.width - width()) > 4) plot.setSize({width: width(), height: plot.height});
  });
  resized.observe(box);
  return {
    update(series, xs) {
      const last = values => values.filter(v => v !== null && v !== undefined).slice(-1)[0];
      caption.textContent = series.map(s => s.label + ' ' + number(last(s.values), 1) + (unit ? ' ' + unit : ''))
        .join(' · ');
      box.setAttribute('data-points', xs.length);
      empty.hidden = xs.length > 0;
      const data = [xs].concat(series.map(s => s.values));
      if (!xs.length) {
        if (plot) { plot.destroy(); charts = charts.filter(c => c !== plot); plot = null; }
        return;
      }
      if (plot) { plot.setData(data); return; }
      const values = (u, ticks) => ticks.map(compact);
      const axes = [{stroke: '#667', grid: {stroke: '#eee'}},
        {stroke: '#667', grid: {stroke: '#eee'}, size: 56, values}];
      if (series.some(s => s.scale === 'right')) {
        axes.push({scale: 'right', side: 1, stroke: '#667', grid: {show: false}, size: 50, values});
      }
      plot = new uPlot({
        width: width(), height: 170, legend: {show: false}, cursor: {drag: {x: false, y: false}},
        // at least a minute across, so that a few first points do not get sub-second ticks
        scales: {x: {time: true, range: (u, min, max) => max - min < 60 ? [max - 60, max] : [min, max]}}, axes,
        series: [{}].concat(series.map(s => ({label: s.label, stroke: s.color, width: 2, dash: s.dash,
          scale: s.scale || 'y', points: {show: xs.length < 3}})))
      }, data, box);
      charts.push(plot);
    }
  };
}

function sparkline(container, xs, values) {
  if (xs.length < 2) { container.append(el('span', {class: 'muted'}, '—')); return; }
  const plot = new uPlot({width: 120, height: 28, legend: {show: false}, cursor: {show: false},
    scales: {x: {time: false}}, axes: [{show: false}, {show: false}],
    series: [{}, {stroke: '#2a6fdb', width: 1.5, fill: 'rgba(42,111,219,0.12)', points: {show: false}}]},
  [xs, values], container);
  charts.push(plot);
}

/** Batches oldest first, with their times in seconds. */
function batchSeries(metrics) {
  const batches = (metrics.batches || []).slice().reverse();
  return {batches, xs: batches.map(b => Date.parse(b.batchTime) / 1000)};
}

// ---------- pages ----------

async function jobsPage(page) {
  document.getElementById('crumbs').replaceChildren(el('span', {}, 'Jobs'));
  const list = el('section', {class: 'card'}, el('p', {class: 'muted'}, 'Loading jobs…'));
  page.replaceChildren(el('h1', {}, 'Jobs'), list);
  if (isOperator()) page.append(await createForm());

  async function refresh() {
    let jobs;
    try {
      jobs = (await api('/api/jobs?limit=100')).items;
      showProblem(null);
    } catch (e) {
      showProblem(e);
      charts.forEach(c => c.destroy());
      charts = [];
      list.replaceChildren(el('p', {class: 'empty unavailable'}, 'The jobs cannot be read now'
        + (retryable(e) ? ' (see above): trying again every ' + REFRESH_MS * 2 / 1000 + ' s.' : '.')));
      return;
    }
    const metrics = await Promise.all(jobs.map(j => j.status.state === 'RUNNING'
      ? api('/api/jobs/' + enc(j.name) + '/metrics').catch(() => null) : Promise.resolve(null)));
    charts.forEach(c => c.destroy());
    charts = [];
    if (!jobs.length) {
      list.replaceChildren(el('p', {class: 'empty'}, isOperator() ? 'No jobs yet: create one below.'
        : 'No jobs yet. An operator creates them.'));
      return;
    }
    const rows = jobs.map((job, i) => {
      const m = metrics[i];
      const spark = el('td', {class: 'spark'});
      const row = el('tr', {'data-job': job.name},
        el('td', {}, el('a', {href: '#/jobs/' + enc(job.name)}, job.name)),
        el('td', {}, stateBadge(job.status.state), job.status.lastError
          ? el('div', {class: 'muted small'}, job.status.lastError) : null),
        el('td', {class: 'num', 'data-label': 'attempt'}, job.status.attempt),
        el('td', {'data-label': 'up'}, uptime(job)),
        el('td', {class: 'num', 'data-label': 'input'},
          m && m.statistics ? number(m.statistics.avgInputRate, 0) + ' /s' : '—'),
        spark,
        el('td', {}, actions(job, refresh)));
      if (m) {
        const {batches, xs} = batchSeries(m);
        sparkline(spark, xs, batches.map(b => b.inputSize));
      }
      return row;
    });
    list.replaceChildren(el('div', {class: 'scroll'}, el('table', {class: 'jobs'},
      el('thead', {}, el('tr', {}, ['Job', 'State', 'Attempt', 'Uptime', 'Input rate', 'Input per batch', '']
        .map(h => el('th', {}, h)))),
      el('tbody', {}, rows))));
  }

  every(REFRESH_MS * 2, refresh);
}

/** The create form shows every default (from the service) as the input's placeholder; empty inputs take it. */
async function createForm() {
  const form = el('form', {class: 'card create', id: 'create'});
  let defaults;
  try {
    defaults = await api('/console/job-defaults');
  } catch (e) {
    form.append(el('p', {class: 'banner error'}, 'Defaults unavailable: ' + e.message));
    return form;
  }
  const field = (group, key, value) => {
    const shown = Array.isArray(value) ? value.join(',') : value;
    return el('label', {}, key, el('input', {name: group + '.' + key,
      placeholder: shown === null || shown === undefined ? 'not set' : String(shown), 'data-type':
      Array.isArray(value) ? 'array' : typeof value}));
  };
  const settings = Object.entries(defaults.settings || {});
  const spark = Object.entries(defaults.spark || {}).filter(([k]) => k !== 'conf');
  const policy = Object.entries(defaults.restartPolicy || {});
  form.append(
    el('h2', {}, 'Create a job'),
    el('p', {class: 'muted'}, 'Empty fields take the default shown in grey.'),
    el('label', {class: 'wide'}, 'Name', el('input', {name: 'name', required: true, pattern: '[a-z0-9][a-z0-9-]{0,47}',
      placeholder: 'e.g. sales'})),
    el('details', {open: true}, el('summary', {}, 'Job settings'), el('div', {class: 'grid'},
      settings.map(([k, v]) => field('settings', k, v)))),
    el('details', {}, el('summary', {}, 'Spark'), el('div', {class: 'grid'}, spark.map(([k, v]) => field('spark', k, v)))),
    el('details', {}, el('summary', {}, 'Restart policy'), el('div', {class: 'grid'},
      policy.map(([k, v]) => field('restartPolicy', k, v)))),
    el('button', {type: 'submit'}, 'Create'));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const definition = {name: form.elements.name.value.trim(), settings: {}, spark: {}, restartPolicy: {}};
    for (const input of form.querySelectorAll('input[data-type]')) {
      const raw = input.value.trim();
      if (!raw) continue;
      const [group, key] = input.name.split('.');
      const type = input.dataset.type;
      definition[group][key] = type === 'number' && /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw)
        : type === 'boolean' ? raw === 'true' : type === 'array' ? raw.split(',').map(s => s.trim()) : raw;
    }
    try {
      showProblem(null);
      await api('/api/jobs', {method: 'POST', body: definition});
      location.hash = '#/jobs/' + enc(definition.name);
    } catch (e) {
      showProblem(e);
    }
  });
  return form;
}

async function jobPage(page, name) {
  document.getElementById('crumbs').replaceChildren(el('a', {href: '#/'}, 'Jobs'), ' / ', el('span', {}, name));
  const head = el('section', {class: 'job-head'});
  const live = el('section', {class: 'charts'});
  const receivers = el('section', {class: 'card'});
  const details = el('section', {class: 'columns'});
  page.replaceChildren(head, live, receivers, details);
  const series = {receivers: [], xs: []};
  let last = null;
  let panels = null;
  const liveTitle = el('h2', {}, 'Live batches');
  const liveNote = el('p', {class: 'empty', hidden: true});

  async function refreshHead() {
    try {
      const job = await api('/api/jobs/' + enc(name));
      last = job;
      const ui = job.status.driverUiUrl;
      head.replaceChildren(...[
        el('h1', {}, name, ' ', stateBadge(job.status.state)),
        el('p', {class: 'muted'}, 'attempt ', job.status.attempt, ' · generation ', job.status.generation,
          ' · up ', uptime(job), job.status.appId ? ' · ' + job.status.appId : '',
          job.status.lastError ? ' · last error: ' + job.status.lastError : ''),
        el('p', {class: 'links'},
          el('a', {href: '#/jobs/' + enc(name) + '/computed'}, 'What it computed'),
          ui ? el('a', {href: ui + '/streaming/', target: '_blank', rel: 'noopener'}, 'Spark UI (streaming)') : null,
          ui ? el('a', {href: ui + '/jobs/', target: '_blank', rel: 'noopener'}, 'Spark UI (jobs)') : null),
        actions(job, refreshHead)].filter(Boolean));
      showProblem(null);
    } catch (e) {
      showProblem(e);
      if (!head.querySelector('h1') || retryable(e)) {
        head.replaceChildren(el('h1', {}, name, ' ', stateBadge('UNKNOWN')), el('p', {class: 'empty unavailable'},
          'Its state cannot be read now' + (retryable(e) ? ' (see above).' : ': ' + e.message)));
      }
    }
  }

  async function refreshCharts() {
    let m;
    try {
      m = await api('/api/jobs/' + enc(name) + '/metrics');
    } catch (e) {
      panels = null;
      charts.forEach(c => c.destroy());
      charts = [];
      receivers.replaceChildren();
      live.replaceChildren(el('p', {class: 'empty'}, e.status === 404 || e.status === 409
        ? 'No live metrics: ' + e.message : retryable(e) ? 'The batches cannot be read now (see above).'
          : 'Metrics unavailable: ' + (e.words ? e.words() : e.message)));
      return;
    }
    const {batches, xs} = batchSeries(m);
    const intervalMs = m.statistics && m.statistics.batchDurationMs;
    if (m.statistics) {
      series.xs.push(Date.now() / 1000);
      series.receivers.push(m.statistics.numActiveReceivers);
      if (series.xs.length > 200) { series.xs.shift(); series.receivers.shift(); }
    }
    if (!panels) {
      const grid = el('div', {class: 'chart-grid'});
      live.replaceChildren(liveTitle, liveNote, grid);
      panels = {
        input: chartPanel(grid, 'input-rate', 'Input rate', 'events/s'),
        records: chartPanel(grid, 'records', 'Records processed per batch', ''),
        processing: chartPanel(grid, 'processing-time', 'Processing time against the batch interval', 'ms'),
        delays: chartPanel(grid, 'delays', 'Scheduling and total delay', 'ms'),
        receivers: chartPanel(grid, 'receivers', 'Active receivers', ''),
        failed: chartPanel(grid, 'failed', 'Failed output operations per batch', '')
      };
    }
    liveTitle.replaceChildren('Live batches ', el('span', {class: 'muted small'},
      m.collectedAt ? 'collected ' + time(m.collectedAt) : 'nothing collected yet'));
    const running = last && last.status.state === 'RUNNING';
    liveNote.textContent = !running
      ? 'The job is not running (' + (last ? STATE_WORDS[last.status.state] : 'unknown') + '): no live batches'
        + (xs.length ? '; the charts show its last driver\'s.' : '.')
      : (m.lastError ? 'The driver did not answer the last poll: ' + m.lastError : '');
    liveNote.hidden = !liveNote.textContent;
    panels.input.update([{label: 'input', color: '#2a6fdb',
      values: batches.map(b => intervalMs ? b.inputSize * 1000 / intervalMs : b.inputSize)}], xs);
    panels.records.update([{label: 'records', color: '#1b9e77', values: batches.map(b => b.inputSize)}], xs);
    panels.processing.update([
      {label: 'processing', color: '#d95f02', values: batches.map(b => b.processingTimeMs ?? null)},
      {label: 'interval', color: '#999', dash: [6, 4], values: batches.map(() => intervalMs ?? null)}], xs);
    panels.delays.update([
      {label: 'scheduling', color: '#7570b3', values: batches.map(b => b.schedulingDelayMs ?? null)},
      {label: 'total', color: '#e7298a', values: batches.map(b => b.totalDelayMs ?? null)}], xs);
    panels.receivers.update([{label: 'active', color: '#66a61e', values: series.receivers.slice()}],
      series.xs.slice());
    panels.failed.update([{label: 'failed', color: '#c0392b', values: batches.map(b => b.numFailedOutputOps || 0)}],
      xs);
    receivers.replaceChildren(el('h2', {}, 'Receivers'), (m.receivers || []).length
      ? el('div', {class: 'scroll'}, el('table', {}, el('thead', {}, el('tr', {},
        ['Stream', 'Active', 'Host', 'Events/s', 'Last error'].map(h => el('th', {}, h)))),
      el('tbody', {}, m.receivers.map(r => el('tr', {}, el('td', {}, r.streamName || r.streamId),
        el('td', {}, r.active ? 'yes' : 'no'), el('td', {}, r.executorHost || '—'),
        el('td', {class: 'num'}, number(r.avgEventRate, 1)), el('td', {}, r.lastErrorMessage || ''))))))
      : el('p', {class: 'empty'}, 'No receivers reported.'));
  }

  async function refreshDetails() {
    const day = new Date().toISOString().slice(0, 10);
    const [history, log, audit] = await Promise.all([
      api('/api/jobs/' + enc(name) + '/history').catch(e => e),
      api('/api/jobs/' + enc(name) + '/log?lines=60').catch(e => e),
      api('/api/audit?day=' + day).catch(e => e)]);
    const table = (heads, rows) => rows.length ? el('div', {class: 'scroll'}, el('table', {},
      el('thead', {}, el('tr', {}, heads.map(h => el('th', {}, h)))), el('tbody', {}, rows)))
      : el('p', {class: 'empty'}, 'None.');
    const failed = r => r instanceof Error ? el('p', {class: 'empty'}, retryable(r) ? 'Cannot be read now (see above).'
      : r.words ? r.words() : r.message) : null;
    details.replaceChildren(...[
      el('div', {class: 'card'}, el('h2', {}, 'Configuration'),
        last ? el('pre', {class: 'config'}, JSON.stringify(last.configuration, null, 2))
          : el('p', {class: 'empty'}, 'Cannot be read now (see above).'),
        isOperator() && last ? reconfigureForm(last) : null),
      el('div', {class: 'card'}, el('h2', {}, 'History'), failed(history) || table(['At', 'From', 'To', 'Reason'],
        history.items.slice(0, 30).map(t => el('tr', {}, el('td', {}, time(t.at)), el('td', {}, t.from || ''),
          el('td', {}, stateBadge(t.to)), el('td', {}, t.reason))))),
      el('div', {class: 'card'}, el('h2', {}, 'Calls on this job today'), failed(audit) || table(
        ['At', 'Caller', 'Call', 'Outcome'], audit.items.filter(a => a.job === name).slice(0, 30).map(a => el('tr', {},
          el('td', {}, time(a.at)), el('td', {}, a.caller), el('td', {}, a.action), el('td', {class: 'num'}, a.outcome))))),
      el('div', {class: 'card wide'}, el('h2', {}, 'Driver log (tail)'), failed(log)
        || el('pre', {class: 'log'}, (log.lines || []).join('\n') || 'No log yet.'))].filter(Boolean));
  }

  await refreshHead();
  every(REFRESH_MS, refreshCharts);
  every(REFRESH_MS * 2, refreshHead);
  every(REFRESH_MS * 5, refreshDetails);
}

function reconfigureForm(job) {
  const text = el('textarea', {name: 'changes', rows: 8}, JSON.stringify({settings: {batchInterval:
    job.configuration.settings.batchInterval}}, null, 2));
  const form = el('form', {class: 'reconfigure'}, el('h3', {}, 'Reconfigure'),
    el('p', {class: 'muted small'}, 'Changes as JSON (settings, spark, restartPolicy); a running job restarts with them.'),
    text, el('button', {type: 'submit'}, 'Reconfigure'));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    let changes;
    try { changes = JSON.parse(text.value); } catch (e) { showProblem(new Error('Not JSON: ' + e.message)); return; }
    if (!(await confirmAction('Reconfigure ' + job.name + '? A running job restarts with the new settings.'))) return;
    try {
      showProblem(null);
      await api('/api/jobs/' + enc(job.name) + '/configuration', {method: 'PUT', body: changes});
    } catch (e) {
      showProblem(e);
    }
  });
  return form;
}

/** How far back a rollup series reaches from its end, per granularity. */
const SERIES_SPAN_MS = {minute: 3600e3, hour: 24 * 3600e3, day: 31 * 86400e3};

/**
 * What a job computed: the sliding top-N as a ranked table, a rollup series of one key, the running totals and the
 * day's rejects, refreshed every few seconds. ?at=<instant> looks at the top-N as of that time (default now); the
 * series ends at the newest top-N window, so a job replaying old events shows where its data is.
 */
async function computedPage(page, name, query) {
  document.getElementById('crumbs').replaceChildren(el('a', {href: '#/'}, 'Jobs'), ' / ',
    el('a', {href: '#/jobs/' + enc(name)}, name), ' / ', el('span', {}, 'What it computed'));
  const job = await api('/api/jobs/' + enc(name));
  const settings = job.configuration.settings;
  const dimensions = [].concat(settings.dimensions || ['product']);
  const granularities = [].concat(settings.granularities || ['minute']);
  const state = {dimension: dimensions[0], granularity: granularities[0], key: null, at: query.get('at'),
    newestEnd: null};
  const select = (label, values, key) => el('label', {}, label, el('select', {name: key, onchange: e => {
    state[key] = e.target.value;
    if (key === 'dimension') state.key = null;
    refreshAll();
  }}, values.map(v => el('option', {value: v}, v))));
  const keyInput = el('input', {name: 'key', list: 'keys', placeholder: 'top key', onchange: e => {
    state.key = e.target.value.trim() || null;
    refreshSeries();
  }});
  const keys = el('datalist', {id: 'keys'});
  const controls = el('form', {class: 'card controls', onsubmit: e => e.preventDefault()},
    select('Dimension', dimensions, 'dimension'), select('Granularity', granularities, 'granularity'),
    el('label', {}, 'Key', keyInput), keys,
    el('span', {class: 'muted small'}, state.at ? 'as of ' + time(state.at) : 'as of now'));
  const top = el('section', {class: 'card topn'});
  const series = el('section', {class: 'card series'});
  const totals = el('section', {class: 'card totals'});
  const rejects = el('section', {class: 'card rejects wide'});
  const rollup = chartPanel(series, 'rollup', 'Rollup series', '');
  page.replaceChildren(el('h1', {}, 'What ' + name + ' computed'), controls,
    el('div', {class: 'columns'}, top, series, totals, rejects));
  const failed = (section, title, e) => section.replaceChildren(el('h2', {}, title),
    el('p', {class: 'banner error'}, e.words ? e.words() : e.message));
  const money = v => number(v, 2);

  async function refreshTop() {
    let windows;
    try {
      windows = await api('/api/jobs/' + enc(name) + '/top/' + enc(state.dimension) + '?windows=1'
        + (state.at ? '&at=' + enc(state.at) : ''));
    } catch (e) { failed(top, 'Top-N', e); return; }
    const w = (windows.items || [])[0];
    state.newestEnd = w ? w.window_end : null;
    fill(top, el('h2', {}, 'Top ' + state.dimension + ' by sale amount'),
      w ? el('p', {class: 'muted small'}, 'window ' + time(w.window_start) + ' – ' + time(w.window_end))
        : el('p', {class: 'empty'}, 'No top-N window ended on this day or the day before.'),
      w ? el('table', {class: 'topn'}, el('thead', {}, el('tr', {}, el('th', {class: 'num'}, '#'),
        el('th', {}, state.dimension), el('th', {class: 'num'}, 'sale amount'))),
      el('tbody', {}, w.entries.map(e => el('tr', {'data-rank': e.rank, 'data-key': e.key},
        el('td', {class: 'num'}, e.rank), el('td', {}, el('a', {href: '#', onclick: ev => {
          ev.preventDefault(); state.key = e.key; keyInput.value = e.key; refreshSeries();
        }}, e.key)), el('td', {class: 'num'}, money(e.sale_amount_sum)))))) : null);
  }

  async function refreshSeries() {
    const key = state.key || (top.querySelector('tr[data-key]') || {}).dataset?.key;
    series.querySelector('figcaption strong').textContent = key
      ? 'Rollup series of ' + state.dimension + ' ' + key + ' per ' + state.granularity : 'Rollup series';
    if (!key) { rollup.update([{label: 'sale amount', values: []}], []); return; }
    const end = Date.parse(state.newestEnd || state.at || new Date().toISOString()) + 60e3;
    const from = new Date(end - SERIES_SPAN_MS[state.granularity]).toISOString();
    let answer;
    try {
      answer = await api('/api/jobs/' + enc(name) + '/rollups/' + enc(state.dimension) + '/' + enc(key)
        + '?granularity=' + state.granularity + '&from=' + enc(from) + '&to=' + enc(new Date(end).toISOString())
        + '&limit=1000');
    } catch (e) { showProblem(e); return; }
    const items = answer.items || [];
    rollup.update([
      {label: 'sale amount', color: '#2a6fdb', values: items.map(i => Number(i.sale_amount_sum))},
      {label: 'events', color: '#1b9e77', scale: 'right', values: items.map(i => i.event_count)}],
    items.map(i => Date.parse(i.bucket_start) / 1000));
  }

  async function refreshTotals() {
    let answer;
    try {
      answer = await api('/api/jobs/' + enc(name) + '/totals/' + enc(state.dimension) + '?limit=1000');
    } catch (e) { failed(totals, 'Running totals', e); return; }
    const items = (answer.items || []).slice().sort((a, b) => Number(b.sale_amount_sum) - Number(a.sale_amount_sum));
    keys.replaceChildren(...items.map(i => el('option', {value: i.key})));
    fill(totals, el('h2', {}, 'Running totals per ' + state.dimension + ' since the first start'),
      items.length ? el('div', {class: 'scroll'}, el('table', {class: 'totals'}, el('thead', {}, el('tr', {},
        [state.dimension, 'events', 'quantity', 'sale amount', 'min', 'max'].map((h, i) =>
          el('th', {class: i ? 'num' : ''}, h)))),
      el('tbody', {}, items.slice(0, 50).map(i => el('tr', {'data-key': i.key}, el('td', {}, i.key),
        el('td', {class: 'num'}, number(i.event_count)), el('td', {class: 'num'}, number(i.quantity_sum)),
        el('td', {class: 'num'}, money(i.sale_amount_sum)), el('td', {class: 'num'}, money(i.sale_amount_min)),
        el('td', {class: 'num'}, money(i.sale_amount_max)))))))
        : el('p', {class: 'empty'}, 'No totals yet: the job has not committed a batch.'),
      items.length > 50 ? el('p', {class: 'muted small'}, 'The 50 largest of ' + items.length + '.') : null);
  }

  async function refreshRejects() {
    const day = new Date().toISOString().slice(0, 10);
    let answer;
    try {
      answer = await api('/api/jobs/' + enc(name) + '/rejects?day=' + day + '&limit=100');
    } catch (e) { failed(rejects, 'Rejects', e); return; }
    const items = answer.items || [];
    const reasons = {};
    items.forEach(r => { reasons[r.reason] = (reasons[r.reason] || 0) + 1; });
    fill(rejects, el('h2', {}, 'Rejected lines received today (' + day + ')'),
      items.length ? el('p', {class: 'muted small'}, (answer.nextCursor ? 'The first ' : '') + items.length
        + ' by source and sequence: ' + Object.entries(reasons).map(([r, n]) => r + ' ' + n).join(', ')) : null,
      items.length ? el('div', {class: 'scroll'}, el('table', {class: 'rejects'}, el('thead', {}, el('tr', {},
        ['received', 'source', 'seq', 'reason', 'line'].map(h => el('th', {}, h)))),
      el('tbody', {}, items.slice(-30).reverse().map(r => el('tr', {}, el('td', {}, time(r.received_at)),
        el('td', {class: 'num'}, r.source), el('td', {class: 'num'}, r.seq), el('td', {}, r.reason),
        el('td', {}, el('code', {class: 'line', title: r.line && r.line.length > 200 ? r.line : null},
          clip(r.line, 200))))))))
        : el('p', {class: 'empty'}, 'No line was rejected today.'));
  }

  async function refreshAll() {
    await refreshTop();
    await Promise.all([refreshSeries(), refreshTotals()]);
  }

  timers.push(setInterval(refreshAll, REFRESH_MS * 2));
  every(REFRESH_MS * 5, refreshRejects);
  await refreshAll();
}

// ---------- routing ----------

async function route() {
  timers.forEach(clearInterval);
  timers = [];
  charts.forEach(c => c.destroy());
  charts = [];
  showProblem(null);
  const page = document.getElementById('page');
  const [path, search] = location.hash.replace(/^#\/?/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const query = new URLSearchParams(search || '');
  try {
    if (parts[0] === 'jobs' && parts[1] && parts[2] === 'computed') await computedPage(page, parts[1], query);
    else if (parts[0] === 'jobs' && parts[1]) await jobPage(page, parts[1]);
    else await jobsPage(page);
  } catch (e) {
    timers.forEach(clearInterval);
    timers = [];
    showProblem(e);
    page.replaceChildren(el('p', {class: 'empty unavailable'}, 'This page cannot be shown now'
      + (retryable(e) ? ' (see above): trying again every ' + REFRESH_MS * 2 / 1000 + ' s.' : ': ' + e.message)));
    if (retryable(e)) timers.push(setTimeout(route, REFRESH_MS * 2));
  }
}

(async function start() {
  try {
    const s = await api('/console/session');
    if (!s.user) { location.assign('/console/login.html'); return; }
    Object.assign(session, s);
  } catch (e) {
    showProblem(e);
    return;
  }
  document.body.dataset.role = session.role;
  document.getElementById('who').textContent = session.user + ' (' + session.role + ')';
  const logout = document.getElementById('logout');
  logout.querySelector('input').name = session.csrf.parameter;
  logout.querySelector('input').value = session.csrf.token;
  window.addEventListener('hashchange', route);
  route();
})();
