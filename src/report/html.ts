/** Pieces of the report's HTML: escaping, numbers, tables. No script, no external resource. */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text (record ids, paths, details, names from the data) made safe for element content and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** An integer with thousands separators, the same on every machine (no locale). */
export function fmt(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export type Cell = string | { html: string; numeric?: boolean; attrs?: Record<string, string> };

function attrs(a: Record<string, string> | undefined): string {
  return Object.entries(a ?? {})
    .map(([k, v]) => ` ${k}="${escapeHtml(v)}"`)
    .join('');
}

/** A table; plain string cells are escaped, `{ html }` cells are trusted markup made by the caller. */
export function table(head: string[], rows: { cells: Cell[]; attrs?: Record<string, string> }[], tableAttrs?: Record<string, string>): string {
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map((r) => {
      const tds = r.cells.map((c) => (typeof c === 'string' ? `<td>${escapeHtml(c)}</td>` : `<td${c.numeric ? ' class="n"' : ''}${attrs(c.attrs)}>${c.html}</td>`)).join('');
      return `<tr${attrs(r.attrs)}>${tds}</tr>`;
    })
    .join('\n');
  return `<table${attrs(tableAttrs)}><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** A number cell, with the raw value in `data-value` so a reader (or a test) need not parse the separators. */
export function numCell(n: number, field?: string): Cell {
  return { html: fmt(n), numeric: true, attrs: { 'data-value': String(n), ...(field ? { 'data-field': field } : {}) } };
}

export function figure(svg: string, caption?: string): string {
  return `<figure>${svg}${caption ? `<figcaption>${escapeHtml(caption)}</figcaption>` : ''}</figure>`;
}

export function section(id: string, title: string, body: string): string {
  return `<section id="${escapeHtml(id)}"><h2>${escapeHtml(title)}</h2>\n${body}\n</section>`;
}

export const STYLE = `
body{font-family:system-ui,sans-serif;color:#222;max-width:980px;margin:2em auto;padding:0 1em;line-height:1.4}
h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}h3{margin-top:1.5em}
nav a{margin-right:1em}table{border-collapse:collapse;margin:.8em 0;font-size:.92em}
th,td{padding:3px 10px;border-bottom:1px solid #eee;text-align:left;vertical-align:top}th{background:#f6f6f6}
td.n{text-align:right;font-variant-numeric:tabular-nums}figure{margin:1em 0}figure svg{max-width:100%;height:auto}
figcaption{color:#666;font-size:.9em}code,.mono{font-family:ui-monospace,monospace;font-size:.9em;word-break:break-all}
.muted{color:#666}
`;
