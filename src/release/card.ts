import type { CardSource } from './manifest.js';

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/**
 * The dataset card: written from the manifest alone, so it can never disagree with it. It takes
 * the manifest without `card` and `digest`, which are computed from the card's bytes.
 */
export function renderCard(m: CardSource): string {
  const lines: string[] = [];
  lines.push(`# ${m.name} — ${m.version}`, '');
  if (m.description) lines.push(m.description, '');
  lines.push(
    `Released ${m.created_at} by thresher ${m.thresher_version} (run \`${m.run_id}\`).`,
    '',
    '## Summary',
    '',
    `| | |`,
    `|---|---|`,
    `| input | ${m.input.type} \`${Array.isArray(m.input.path) ? m.input.path.join(', ') : m.input.path}\`: ${m.input.files} files, ${mb(m.input.bytes)} |`,
    `| records in | ${m.counts.input_records} |`,
    `| records out | ${m.counts.output_records} (${mb(m.counts.output_bytes)} of content) |`,
    `| pipeline | \`${m.pipeline.file}\` sha256 \`${m.pipeline.sha256.slice(0, 16)}…\` |`,
    `| execution | ${m.execution.tasks} tasks, seed ${m.execution.seed} |`,
  );
  // only releases that have one: the card of an older release is rendered from its manifest as it was
  if (m.files.some((f) => f.path === 'report.html')) {
    lines.push('| run report | [`report.html`](report.html): records through every stage, exclusions with examples, distributions, time (static HTML, works offline) |');
  }
  lines.push('', '## Stages', '', '| stage | in | out | excluded | time |', '|---|---:|---:|---|---:|');
  for (const s of m.counts.stages) {
    const ex =
      Object.entries(s.excluded)
        .map(([r, n]) => `${r}: ${n}`)
        .join(', ') || '—';
    lines.push(`| ${s.stage} | ${s.records_in} | ${s.records_out} | ${ex} | ${(s.ms / 1000).toFixed(1)} s |`);
  }
  lines.push('', '## Exclusions by reason', '');
  const reasons = Object.entries(m.counts.excluded).sort((a, b) => b[1] - a[1]);
  if (reasons.length === 0) lines.push('None.');
  for (const [reason, n] of reasons) lines.push(`- \`${reason}\`: ${n}`);
  if (m.previous && m.changes) {
    lines.push(
      '',
      '## Changes since ' + m.previous.version,
      '',
      `- records: ${m.previous.output_records} → ${m.counts.output_records} (${m.changes.records_added >= 0 ? '+' : ''}${m.changes.records_added})`,
      `- pipeline ${m.changes.pipeline_changed ? 'changed' : 'unchanged'}; input ${m.changes.input_changed ? 'changed' : 'unchanged'}`,
      `- data files: ${m.changes.files_same} identical, ${m.changes.files_changed} new or changed`,
    );
  }
  for (const section of Object.values(m.sections ?? {})) {
    lines.push('', `## ${section.title}`, '', ...section.card);
    if (section.artifacts) lines.push('', `Files of stage \`${section.stage}\`: \`${section.artifacts}\`.`);
  }
  lines.push('', '## Schema', '', '| column | type |', '|---|---|');
  for (const c of m.schema) lines.push(`| \`${c.name}\` | ${c.type} |`);
  lines.push('', '## Files', '', `${m.files.length} files; checksums in \`manifest.json\`. Check them with \`thresher verify <this folder>\`.`, '');
  return lines.join('\n');
}
