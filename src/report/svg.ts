import type { TopLevelSpec } from 'vega-lite';

/** Looks shared by every plot of the report and of stage artifacts. */
const CONFIG = {
  font: 'sans-serif',
  background: 'white',
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#eee' },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 13, anchor: 'start' as const },
  view: { stroke: null },
};

let loading: Promise<[typeof import('vega'), typeof import('vega-lite')]> | undefined;

function plotting(): Promise<[typeof import('vega'), typeof import('vega-lite')]> {
  loading ??= Promise.all([import('vega'), import('vega-lite')]);
  return loading;
}

/**
 * Start loading vega in the background: a thread that will make a release calls this while it
 * waits for tasks, so the release does not wait for the load (a failure shows at first use).
 */
export function preloadPlotting(): void {
  plotting().catch(() => undefined);
}

/**
 * A Vega-Lite spec as an SVG document, headless: vega's View renders to SVG text without a canvas
 * or a browser. Text widths are then vega's estimate, the same on every machine, so the same data
 * gives the same bytes (the report is checksummed in the release). vega and vega-lite are imported
 * here, on first use: they cost ~0.3 s of CPU to load, which no command but a release should pay.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, vl] = await plotting();
  const compiled = vl.compile({ ...spec, config: { ...CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
