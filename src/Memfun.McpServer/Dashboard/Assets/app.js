// Memfun dashboard. Every string shown comes from files, tools or models and is hostile input:
// it is only ever set through textContent, never innerHTML.
(function () {
  'use strict';
  let state = { active: [], history: [], workflows: [], events: [] };

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function elapsed(started, finished) {
    const ms = (finished ? Date.parse(finished) : Date.now()) - Date.parse(started);
    return ms < 1000 ? ms + ' ms' : (ms / 1000).toFixed(1) + ' s';
  }

  function requestItem(r) {
    const li = el('li');
    li.dataset.request = r.id;
    li.appendChild(el('span', 'status ' + r.status.replace(/ /g, '-'), r.status));
    li.appendChild(el('strong', null, r.tool));
    li.appendChild(document.createTextNode(' '));
    li.appendChild(el('span', null, r.summary));
    // Tokens only when counted: under sampling the host reports none, and "0 tokens" would be wrong.
    const meta = el('div', 'muted', elapsed(r.started, r.finished) + (r.tokens > 0 ? ' · ' + r.tokens + ' tokens' : '') + (r.lastStep ? ' · ' + r.lastStep : '') + (r.source ? ' · ' + r.source : ''));
    li.appendChild(meta);
    return li;
  }

  function renderList(id, items, make) {
    const ul = document.getElementById(id);
    ul.replaceChildren(...items.map(make));
    if (items.length === 0) ul.appendChild(el('li', 'muted', 'none'));
  }

  function render() {
    renderList('active', state.active, requestItem);
    renderList('history', state.history.slice(0, 50), requestItem);
    renderList('workflows', state.workflows, function (w) {
      const li = el('li');
      li.dataset.workflow = w.id;
      li.appendChild(el('span', 'status ' + w.state, w.state));
      li.appendChild(el('strong', null, w.id));
      const tasks = el('ul', 'dag');
      const all = Object.values(w.tasks || {});
      // Indented DAG: a task sits under the last of the tasks it depends on (shown with "← a, b").
      function depth(t, seen) {
        if (!t.after || t.after.length === 0 || seen[t.id]) return 0;
        seen[t.id] = true;
        return 1 + Math.max.apply(null, t.after.map(function (d) { const p = (w.tasks || {})[d]; return p ? depth(p, seen) : 0; }));
      }
      all.map(function (t) { return { t: t, d: depth(t, {}) }; })
        .sort(function (a, b) { return a.d - b.d; })
        .forEach(function (x) {
          const t = x.t;
          const ti = el('li', 'task');
          ti.dataset.task = t.id;
          ti.dataset.state = t.state;
          ti.style.paddingLeft = Math.min(x.d, 6) + 'rem';
          ti.appendChild(el('span', 'status ' + t.state, t.state));
          ti.appendChild(el('span', null, t.id));
          ti.appendChild(el('span', 'muted', t.agent));
          if (t.after && t.after.length) ti.appendChild(el('span', 'muted', '← ' + t.after.join(', ')));
          if (t.detail) ti.appendChild(el('span', 'muted', t.detail));
          tasks.appendChild(ti);
        });
      li.appendChild(tasks);
      return li;
    });
    renderList('events', state.events.slice(-100).reverse(), function (e) {
      // A progress line names its request's tool (older servers did not send it: look the request up).
      let tool = e.tool;
      if (!tool && e.requestId) {
        const r = state.active.concat(state.history).find(function (x) { return x.id === e.requestId; });
        tool = r ? r.tool : null;
      }
      return el('li', null, new Date(e.at).toLocaleTimeString() + '  ' + e.type + '  ' +
        [tool, e.workflowId, e.taskId, e.agent, e.summary, e.detail, e.source].filter(Boolean).join('  '));
    });
    renderList('memory', state.memory || [], function (m) { const li = el('li', 'mem', m); li.dataset.memory = ''; return li; });
  }

  function apply(e) {
    state.events.push(e);
    if (state.events.length > 500) state.events.shift();
    if (e.type === 'request.started') {
      state.active.push({ id: e.requestId, tool: e.tool, status: 'running', summary: e.summary || '', started: e.at, tokens: null, source: e.source });
    } else if (e.type === 'request.progress') {
      const r = state.active.find(function (x) { return x.id === e.requestId; });
      if (r) { r.lastStep = e.detail; if (e.tokens) r.tokens = e.tokens; }
    } else if (e.type === 'request.completed' || e.type === 'request.failed') {
      const i = state.active.findIndex(function (x) { return x.id === e.requestId; });
      const r = i >= 0 ? state.active.splice(i, 1)[0] : { id: e.requestId, tool: e.tool, summary: e.summary || '', started: e.at, source: e.source };
      r.status = e.type === 'request.completed' ? (e.outcome || 'completed') : 'failed';
      r.finished = e.at; r.tokens = e.tokens || r.tokens || null; if (e.detail) r.lastStep = e.detail;
      state.history.unshift(r);
    }
    if (e.type === 'memory.updated' && Array.isArray(e.entries)) state.memory = e.entries;
    if (e.workflowId) {
      let w = state.workflows.find(function (x) { return x.id === e.workflowId; });
      if (!w) { w = { id: e.workflowId, state: 'running', tasks: {} }; state.workflows.unshift(w); }
      if (e.type === 'workflow.completed') w.state = e.detail || 'completed';
      if (e.taskId) {
        const t = w.tasks[e.taskId] || { id: e.taskId, agent: e.agent || '?', state: 'pending' };
        const map = { 'task.published': 'queued', 'task.picked_up': 'running', 'task.completed': 'completed', 'task.failed': 'failed' };
        t.state = map[e.type] || t.state; if (e.agent) t.agent = e.agent;
        // "after a, b" is shown once, as the dependencies ("← a, b"), not again as the task's detail.
        if (e.type === 'task.published' && e.detail && e.detail.indexOf('after ') === 0) t.after = e.detail.substring(6).split(', ');
        else if (e.detail) t.detail = e.detail;
        w.tasks[e.taskId] = t;
      }
    }
  }

  let pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; render(); });
  }

  function connect() {
    const source = new EventSource('/api/events');
    source.addEventListener('snapshot', function (m) {
      const s = JSON.parse(m.data);
      state = { active: s.active, history: s.history, events: s.events, memory: s.memory || state.memory,
        workflows: s.workflows.map(function (w) { return { id: w.id, state: w.state, tasks: w.tasks }; }) };
      document.getElementById('conn').textContent = 'live';
      schedule();
    });
    source.addEventListener('event', function (m) { apply(JSON.parse(m.data)); schedule(); });
    source.onerror = function () { document.getElementById('conn').textContent = 'reconnecting…'; };
  }

  setInterval(schedule, 1000);
  connect();
})();
