// The fleet dashboard: the REST lists once, then every committed change from GET /api/v1/events (SSE).
// The token travels as cookie nuvola_token, because an EventSource cannot send an Authorization header.
'use strict';

const state = { hosts: new Map(), guests: new Map(), selected: null, chart: null, changed: new Set() };
const MAX_LOG = 200;

function tokenFromLocation() {
  const match = /(?:^|[#&])token=([^&]+)/.exec(location.hash);
  if (match) {
    setToken(decodeURIComponent(match[1]));
    history.replaceState(null, '', location.pathname);
  }
}

function setToken(token) {
  document.cookie = 'nuvola_token=' + encodeURIComponent(token) + '; path=/; SameSite=Strict';
}

async function api(path) {
  const response = await fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (response.status === 401 || response.status === 403) {
    throw Object.assign(new Error('not allowed: ' + response.status), { auth: true });
  }
  if (!response.ok) {
    throw new Error(path + ': ' + response.status);
  }
  return response.json();
}

async function start() {
  tokenFromLocation();
  try {
    const [hosts, guests] = await Promise.all([api('/api/v1/hosts?size=1000'), api('/api/v1/guests?size=1000')]);
    state.hosts = new Map(hosts.map(h => [h.id, h]));
    state.guests = new Map(guests.map(g => [g.id, g]));
  } catch (e) {
    if (e.auth) {
      showLogin(document.cookie.includes('nuvola_token=') ? 'the token was refused' : '');
      return;
    }
    throw e;
  }
  document.getElementById('login').hidden = true;
  document.getElementById('dashboard').hidden = false;
  render();
  listen();
}

function showLogin(message) {
  document.getElementById('dashboard').hidden = true;
  document.getElementById('login').hidden = false;
  document.getElementById('login-error').textContent = message;
}

document.getElementById('login').addEventListener('submit', event => {
  event.preventDefault();
  setToken(document.getElementById('token').value.trim());
  start();
});

function listen() {
  const badge = document.getElementById('connection');
  const source = new EventSource('/api/v1/events');
  source.onopen = () => { badge.textContent = 'live'; badge.dataset.state = 'live'; };
  source.onerror = () => {
    badge.textContent = 'reconnecting'; badge.dataset.state = 'down';
  };
  source.onmessage = message => apply(JSON.parse(message.data));
}

function apply(change) {
  switch (change.kind) {
    case 'HOST': state.hosts.set(change.id, change.data); break;
    case 'GUEST':
      state.guests.set(change.id, Object.assign({}, state.guests.get(change.id), change.data));
      state.changed.add(change.id);
      if (change.id === state.selected) {
        addPoint('assigned', Date.parse(change.at), change.data.memoryMiB);
      }
      break;
    case 'SAMPLE': {
      const guest = state.guests.get(change.id);
      if (guest) {
        guest.memoryUsedMiB = change.data.memoryUsedMiB;
        guest.cpuUsage = change.data.cpuUsage;
      }
      if (change.id === state.selected) {
        addPoint('used', Date.parse(change.data.sampledAt), change.data.memoryUsedMiB);
        addPoint('assigned', Date.parse(change.data.sampledAt), change.data.memoryAssignedMiB);
      }
      break;
    }
    case 'RESIZE':
      if (change.id === state.selected && change.data.outcome === 'APPLIED') {
        addPoint('resizes', Date.parse(change.at), change.data.memoryAfterMiB, describe(change));
      }
      break;
    case 'ADDRESS': {
      const guest = state.guests.get(change.id);
      if (guest) {
        guest.address = change.data;
      }
      break;
    }
  }
  if (change.kind !== 'SAMPLE') {
    log(change);
  }
  scheduleRender();
}

function describe(change) {
  const d = change.data;
  switch (change.kind) {
    case 'RESIZE':
      return `resize ${d.outcome} ${d.memoryBeforeMiB ?? '?'} -> ${d.memoryAfterMiB ?? '?'} MiB`
        + (d.message ? ` (${d.message})` : '');
    case 'MIGRATION':
      return `migration ${d.id} ${d.outcome}` + (d.targetHostId ? ` -> ${d.targetHostId}` : '')
        + (d.message ? ` (${d.message})` : '');
    case 'GUEST': return `on ${d.hostId}: ${d.memoryMiB} MiB, ${d.vcpus} vCPUs`;
    case 'HOST': return `${d.state}, ${d.memoryFreeMiB} of ${d.memoryTotalMiB} MiB free`;
    case 'POLICY': return `policy ${d.minMemoryMiB}-${d.maxMemoryMiB} MiB, priority ${d.priority}`;
    case 'ADDRESS': return `address ${d}`;
    default: return typeof d === 'string' ? d : '';
  }
}

function log(change) {
  const list = document.getElementById('log');
  const item = document.createElement('li');
  item.dataset.kind = change.kind;
  item.textContent = `${new Date(change.at).toLocaleTimeString()} ${change.kind} ${change.id}: ${describe(change)}`;
  list.prepend(item);
  while (list.children.length > MAX_LOG) {
    list.lastElementChild.remove();
  }
}

let renderQueued = false;
function scheduleRender() {
  if (!renderQueued) {
    renderQueued = true;
    requestAnimationFrame(() => { renderQueued = false; render(); });
  }
}

function bar(kind, value, total, used, text) {
  const pct = total > 0 ? Math.min(100, 100 * value / total) : 0;
  const usedPct = used == null || total <= 0 ? null : Math.min(100, 100 * used / total);
  return `<div class="bar" data-bar="${kind}" title="${text}">`
    + `<div class="fill" style="width:${pct.toFixed(1)}%"></div>`
    + (usedPct == null ? '' : `<div class="used" style="width:${usedPct.toFixed(1)}%"></div>`)
    + `<span class="label">${text}</span></div>`;
}

function escape(text) {
  return String(text ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

function render() {
  const byHost = new Map();
  for (const guest of state.guests.values()) {
    if (!byHost.has(guest.hostId)) byHost.set(guest.hostId, []);
    byHost.get(guest.hostId).push(guest);
  }
  const html = [];
  for (const host of [...state.hosts.values()].sort((a, b) => a.id.localeCompare(b.id))) {
    const memAllocated = host.memoryTotalMiB - host.memoryFreeMiB;
    const cpuAllocated = host.vcpusTotal - host.vcpusFree;
    const guests = (byHost.get(host.id) || []).sort((a, b) => a.id.localeCompare(b.id));
    html.push(`<article class="host" data-host="${escape(host.id)}">`
      + `<h3>${escape(host.id)}<span class="state">${escape(host.state)} · ${escape(host.driver)}</span></h3>`
      + bar('memory', memAllocated, host.memoryTotalMiB, null,
        `memory ${memAllocated} / ${host.memoryTotalMiB} MiB allocated`)
      + bar('vcpus', cpuAllocated, host.vcpusTotal, null, `vCPUs ${cpuAllocated} / ${host.vcpusTotal} allocated`)
      + '<table><thead><tr><th>guest</th><th>memory used / assigned</th><th>vCPUs</th><th>address</th></tr></thead><tbody>'
      + guests.map(g => `<tr class="guest${g.id === state.selected ? ' selected' : ''}${state.changed.has(g.id) ? ' changed' : ''}" data-guest="${escape(g.id)}">`
        + `<td>${escape(g.id)}</td>`
        + `<td class="memory" data-assigned="${g.memoryMiB}">`
        + bar('guest-memory', g.memoryMiB, g.maxMemoryMiB, g.memoryUsedMiB,
          `${g.memoryUsedMiB ?? '?'} / ${g.memoryMiB} MiB`) + '</td>'
        + `<td>${g.vcpus}</td><td>${escape(g.address ?? '')}</td></tr>`).join('')
      + '</tbody></table></article>');
  }
  state.changed.clear();
  document.getElementById('hosts').innerHTML = html.join('');
}

document.getElementById('hosts').addEventListener('click', event => {
  const row = event.target.closest('tr.guest');
  if (row) {
    select(row.dataset.guest);
  }
});

async function select(guestId) {
  state.selected = guestId;
  document.getElementById('chart-guest').textContent = guestId;
  const [samples, history] = await Promise.all([
    api(`/api/v1/guests/${encodeURIComponent(guestId)}/samples?minutes=60`),
    api(`/api/v1/guests/${encodeURIComponent(guestId)}/history?size=1000`)]);
  const used = samples.map(s => ({ x: Date.parse(s.sampledAt), y: s.memoryUsedMiB }));
  const assigned = samples.map(s => ({ x: Date.parse(s.sampledAt), y: s.memoryAssignedMiB }));
  const guest = state.guests.get(guestId);
  if (guest) {
    assigned.push({ x: Date.now(), y: guest.memoryMiB });
  }
  const resizes = history.filter(h => h.kind === 'RESIZE' && h.outcome === 'APPLIED')
    .map(h => ({ x: Date.parse(h.at), y: h.memoryAfterMiB, label: h.message }));
  if (state.chart) {
    state.chart.destroy();
  }
  state.chart = new Chart(document.getElementById('chart'), {
    type: 'line',
    data: {
      datasets: [
        { label: 'assigned (MiB)', data: assigned, stepped: true, borderColor: '#4a7ebb', pointRadius: 0 },
        { label: 'used (MiB)', data: used, borderColor: '#e08a2c', pointRadius: 1 },
        { label: 'resizes', data: resizes, type: 'scatter', borderColor: '#b03a2e', backgroundColor: '#b03a2e',
          pointStyle: 'triangle', pointRadius: 7 }
      ]
    },
    options: {
      animation: false, maintainAspectRatio: false, parsing: false,
      scales: {
        x: { type: 'linear', ticks: { callback: v => new Date(v).toLocaleTimeString() } },
        y: { beginAtZero: true, title: { display: true, text: 'MiB' } }
      },
      plugins: { tooltip: { callbacks: { footer: items => items.map(i => i.raw.label || '').join(' ') } } }
    }
  });
  scheduleRender();
}

function addPoint(series, x, y, label) {
  if (!state.chart || y == null) return;
  const index = { assigned: 0, used: 1, resizes: 2 }[series];
  state.chart.data.datasets[index].data.push({ x, y, label });
  state.chart.update('none');
}

start();
