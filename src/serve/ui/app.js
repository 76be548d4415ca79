// The explorer's page: plain DOM, no framework, no build step. Every value from the release is
// put in with textContent, never as HTML.

const view = document.getElementById('view');
let info;
const state = { filters: [], text: '', offset: 0, limit: 50 };

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : String(c));
  return el;
}

function showError(message) {
  const el = document.getElementById('error');
  el.textContent = message;
  el.hidden = false;
  setTimeout(() => (el.hidden = true), 6000);
}

async function api(path, params = {}, body) {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== ''));
  const res = await fetch(`/api/${path}${q.size ? `?${q}` : ''}`, body ? { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) } : {});
  const json = await res.json();
  if (!res.ok) throw new Error(json.error ?? res.statusText);
  return json;
}

const cell = (v) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

function table(columns, rows, onRow, id) {
  return h(
    'table',
    { id },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        columns.map((c) => h('th', {}, c)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((r) =>
        h(
          'tr',
          { 'data-id': r.id, onclick: onRow ? () => onRow(r) : undefined },
          columns.map((c) => h('td', { title: cell(r[c]).slice(0, 300) }, cell(r[c]).slice(0, 200))),
        ),
      ),
    ),
  );
}

// ---- records: filters, text search, pages
function filterBar(render) {
  const column = h(
    'select',
    { id: 'filter-column' },
    info.schema.map((c) => h('option', { value: c.name }, c.name)),
  );
  const op = h(
    'select',
    { id: 'filter-op' },
    ['=', '!=', '<', '<=', '>', '>=', 'contains', 'starts', 'null', 'not_null'].map((o) => h('option', { value: o }, o)),
  );
  const value = h('input', { id: 'filter-value', placeholder: 'value' });
  const add = () => {
    state.filters.push({ column: column.value, op: op.value, value: value.value });
    state.offset = 0;
    render();
  };
  const text = h('input', { id: 'text', placeholder: 'words in the content', value: state.text, size: 30 });
  const run = () => {
    state.text = text.value;
    state.offset = 0;
    render();
  };
  text.addEventListener('keydown', (e) => e.key === 'Enter' && run());
  value.addEventListener('keydown', (e) => e.key === 'Enter' && add());
  const chips = state.filters.map((f, i) =>
    h('span', { class: 'chip' }, `${f.column} ${f.op} ${f.value ?? ''}`, h('button', { title: 'remove', onclick: () => (state.filters.splice(i, 1), render()) }, '×')),
  );
  return [
    h('div', { class: 'bar' }, column, op, value, h('button', { id: 'add-filter', onclick: add }, 'Add filter'), text, h('button', { id: 'run', onclick: run }, 'Search')),
    h('div', { id: 'filters', class: 'bar' }, chips),
  ];
}

async function browse() {
  const render = () => browse().catch((e) => showError(e.message));
  const result = await api('records', { filters: state.filters.length ? JSON.stringify(state.filters) : undefined, q: state.text, limit: state.limit, offset: state.offset });
  // what a reader scans for first, then the rest in schema order
  const first = ['id', 'path', 'language', 'license_class', 'license', 'size', 'repo'].filter((c) => c === 'id' || result.columns.includes(c));
  const shown = [...first, ...result.columns.filter((c) => !first.includes(c))];
  const pager = h(
    'div',
    { class: 'bar' },
    h('span', { id: 'total' }, `${result.total}${result.totalCapped ? '+' : ''} records`),
    h('button', { class: 'secondary', disabled: state.offset === 0, onclick: () => ((state.offset = Math.max(0, state.offset - state.limit)), render()) }, '← previous'),
    h('button', { class: 'secondary', disabled: state.offset + state.limit >= result.total, onclick: () => ((state.offset += state.limit), render()) }, 'next →'),
    h('span', { class: 'muted' }, `from ${state.offset + 1}`),
  );
  view.replaceChildren(
    ...filterBar(render),
    pager,
    table(shown, result.rows, (r) => (location.hash = `#/record/${encodeURIComponent(r.id)}`), 'results'),
  );
}

// ---- one record: content with its redactions marked, licence evidence, cluster
function markedContent(text, redactions) {
  const pre = h('pre', { id: 'record-content' });
  let at = 0;
  for (const r of [...redactions].sort((a, b) => a.start - b.start)) {
    if (typeof r.start !== 'number' || r.start < at) continue;
    pre.append(text.slice(at, r.start), h('span', { class: 'redaction', title: `${r.type} (${r.rule}), ${r.original_length} characters replaced` }, text.slice(r.start, r.end)));
    at = r.end;
  }
  pre.append(text.slice(at));
  return pre;
}

async function record(id) {
  const { record: rec, contentTruncated, redactions, licenseEvidence } = await api('record', { id });
  const content = String(rec[info.content_column] ?? '');
  const fields = Object.entries(rec).filter(([k]) => k !== info.content_column && k !== 'redactions' && k !== 'license_evidence');
  const parts = [
    h('p', {}, h('a', { href: '#/browse' }, '← records')),
    h('h2', {}, rec.path ?? rec.source ?? rec.id),
    h(
      'table',
      { id: 'record-fields' },
      fields.map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', {}, cell(v)))),
    ),
  ];
  if (info.has.clusters) parts.push(h('p', {}, h('a', { id: 'cluster-link', href: `#/cluster/${encodeURIComponent(rec.id)}` }, 'near-duplicate cluster')));
  parts.push(h('h3', {}, `Redactions (${redactions.length})`));
  if (redactions.length) parts.push(table(['type', 'rule', 'line', 'start', 'end', 'original_length'], redactions, undefined, 'redactions'));
  parts.push(h('h3', {}, `Licence: ${rec.license ?? '—'} (${rec.license_class ?? 'no class'})`));
  if (licenseEvidence.length) parts.push(h('div', { id: 'license-evidence' }, table(['file', 'method', 'score', 'license'], licenseEvidence)));
  parts.push(h('h3', {}, 'Content' + (contentTruncated ? ' (cut: the record is longer)' : '')), markedContent(content, redactions));
  view.replaceChildren(...parts);
}

async function cluster(id) {
  let c;
  try {
    c = await api('cluster', { id });
  } catch (e) {
    view.replaceChildren(h('p', { id: 'cluster' }, e.message));
    return;
  }
  const members = c.members.map((m) =>
    h(
      'div',
      { class: `card member${m.kept ? ' kept' : ''}`, 'data-id': m.id },
      h('strong', {}, m.kept ? 'kept: ' : 'removed: ', m.path ?? m.source),
      h('div', { class: 'muted' }, m.kept ? `id ${m.id}` : `${m.reason ?? 'near_duplicate'}${m.detail ? ` — ${m.detail}` : ''}`),
      m.content !== null && m.content !== undefined ? h('pre', {}, m.content) : h('p', { class: 'muted' }, 'content not in the release (removed records keep only their names)'),
    ),
  );
  view.replaceChildren(
    h('p', {}, h('a', { href: `#/record/${encodeURIComponent(id)}` }, '← record')),
    h('h2', {}, `Cluster ${c.cluster_id.slice(0, 12)}… (${c.size} records)`),
    h('div', { id: 'cluster', class: 'grid' }, members),
  );
}

// ---- semantic search, opt-out check, files
async function semantic() {
  const q = h('input', { id: 'semantic-q', size: 50, placeholder: info.has.semantic ? 'describe what you look for' : 'this release has no vector index' });
  const out = h('div', { id: 'semantic-results' });
  const run = async () => {
    const { hits } = await api('search', { q: q.value, k: 10 });
    out.replaceChildren(table(Object.keys(hits[0] ?? { rank: 0 }), hits, (r) => (location.hash = `#/record/${encodeURIComponent(r.id)}`), 'semantic-table'));
  };
  view.replaceChildren(h('div', { class: 'bar' }, q, h('button', { id: 'semantic-run', disabled: !info.has.semantic, onclick: () => run().catch((e) => showError(e.message)) }, 'Search')), out);
}

async function optout() {
  const name = h('input', { id: 'optout-name', placeholder: 'owner, owner/repo or package' });
  const out = h('div', { id: 'optout-result' });
  const run = async () => {
    const r = await api('optout', { name: name.value });
    const verdict = r.presentTotal > 0 ? `${r.presentTotal} records of ${r.query} are in this release` : `nothing of ${r.query} is in this release`;
    out.replaceChildren(
      h('p', { id: 'optout-verdict' }, verdict),
      r.removed.length ? h('p', {}, `${r.removed.length} records were removed by the opt-out stage`) : '',
      r.present.length ? table(['file', 'path', 'repo', 'id'], r.present) : '',
    );
  };
  const reg = info.optout
    ? h('p', { class: 'muted' }, `Opt-out registry applied: sha256 ${info.optout.registry?.sha256 ?? '?'}, ${info.optout.removed} records removed.`)
    : h('p', { class: 'muted' }, 'This release applied no opt-out registry.');
  view.replaceChildren(reg, h('div', { class: 'bar' }, name, h('button', { id: 'optout-run', disabled: !info.has.optout, onclick: () => run().catch((e) => showError(e.message)) }, 'Check')), out);
}

function files() {
  view.replaceChildren(
    h(
      'ul',
      { id: 'files' },
      info.files.map((f) => h('li', {}, h('a', { href: `/files/${f.split('/').map(encodeURIComponent).join('/')}` }, f))),
    ),
  );
}

// ---- review: accept or reject a sample, or correct its label
async function review() {
  if (!info.has.review) {
    view.replaceChildren(h('p', {}, 'Review is off: start the explorer with thresher serve <release> --review FILE [--label-column COLUMN].'));
    return;
  }
  const seed = Number(new URLSearchParams(location.hash.split('?')[1] ?? '').get('seed') ?? 0);
  const s = await api('review/sample', { n: 20, seed });
  const summary = h('p', { id: 'review-summary' });
  const showSummary = (x) => (summary.textContent = `${x.decided} decided: ${x.counts.accepted} accepted, ${x.counts.rejected} rejected, ${x.counts.relabelled} relabelled — saved to ${x.file}`);
  showSummary(s);
  const items = s.items.map((it) => {
    const label = h('input', { class: 'label', placeholder: s.label_column ? `correct ${s.label_column}` : '', disabled: !s.label_column, value: it.decision?.label ?? '' });
    const box = h('div', { class: `review-item ${it.decision?.decision ?? ''}`, 'data-id': it.id });
    const decide = async (decision) => {
      const x = await api('review/decision', {}, { id: it.id, decision, label: decision === 'reject' ? label.value : undefined });
      box.className = `review-item ${decision}`;
      showSummary(x);
    };
    box.append(
      h('div', {}, h('strong', {}, it.path), s.label_column ? h('span', { class: 'chip' }, `${s.label_column}: ${it.label ?? '—'}`) : ''),
      h('pre', {}, it.snippet ?? ''),
      h(
        'div',
        { class: 'bar' },
        h('button', { class: 'accept', onclick: () => decide('accept').catch((e) => showError(e.message)) }, 'Accept'),
        h('button', { class: 'reject secondary', onclick: () => decide('reject').catch((e) => showError(e.message)) }, 'Reject'),
        label,
      ),
    );
    return box;
  });
  view.replaceChildren(h('p', { class: 'muted' }, 'Reject drops a record in the next run; reject with a label puts that label instead.'), summary, h('div', { id: 'review-items' }, items));
}

async function route() {
  const [, name = 'browse', arg] = location.hash.split('?')[0].split('/');
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('active', a.dataset.view === name || (name === 'record' && a.dataset.view === 'browse'));
  const id = arg ? decodeURIComponent(arg) : '';
  const views = { browse, record: () => record(id), cluster: () => cluster(id), semantic, optout, review, files };
  view.dataset.view = name;
  try {
    await (views[name] ?? browse)();
  } catch (e) {
    showError(e.message);
  }
  view.dataset.ready = name;
}

async function main() {
  info = await api('info');
  document.getElementById('release-name').textContent = `${info.name} ${info.version}`;
  document.getElementById('release-meta').textContent = `${info.records} records · manifest ${info.manifest_sha256.slice(0, 12)}…`;
  window.addEventListener('hashchange', () => {
    delete view.dataset.ready;
    route();
  });
  await route();
}

main().catch((e) => showError(e.message));
