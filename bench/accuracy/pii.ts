/**
 * Accuracy of the `pii` finders (src/pii/detect.ts) on presidio-research's synthetic dataset
 * (../shared/data/pii/presidio-synth_dataset_v2.json.gz: 1,500 sentences from 209 templates with
 * labelled spans). Split by template (a held-out sentence's template was never seen in tuning),
 * with _common.ts isHeldOut on "template:<id>". Per type: a labelled span is found when a
 * predicted span of that type overlaps it (recall); a predicted span is right when it overlaps
 * a labelled span of that type (precision). Types: EMAIL (EMAIL_ADDRESS), IP_ADDRESS, PHONE
 * (PHONE_NUMBER), CREDIT_CARD, NAME (PERSON, rule-based detector: reported, not a target).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { PiiDetector, type PiiType, type Sensitivity } from '../../src/pii/detect.js';
import { hasShared, isHeldOut, sharedPath } from './_common.js';

interface Sample {
  full_text: string;
  spans: { entity_type: string; entity_value: string; start_position: number; end_position: number }[];
  template_id: number;
}

const GOLD: Record<string, PiiType> = { EMAIL_ADDRESS: 'EMAIL', IP_ADDRESS: 'IP_ADDRESS', PHONE_NUMBER: 'PHONE', CREDIT_CARD: 'CREDIT_CARD', PERSON: 'NAME' };

interface TypeCounts {
  gold: number;
  found: number;
  predicted: number;
  correct: number;
}

const pct = (n: number, d: number): number | null => (d === 0 ? null : Number(((100 * n) / d).toFixed(1)));

function evaluateLevel(samples: Sample[], level: Sensitivity): Record<string, unknown> {
  const d = new PiiDetector({ sensitivity: { EMAIL: level, IP_ADDRESS: level, PHONE: level, CREDIT_CARD: level, NAME: level } });
  const parts = { held_out: new Map<PiiType, TypeCounts>(), tuning: new Map<PiiType, TypeCounts>() };
  const failures: string[] = [];
  for (const s of samples) {
    const held = isHeldOut(`template:${s.template_id}`);
    const counts = held ? parts.held_out : parts.tuning;
    const predicted = d.find(s.full_text);
    for (const type of Object.values(GOLD)) {
      if (!counts.has(type)) counts.set(type, { gold: 0, found: 0, predicted: 0, correct: 0 });
      const c = counts.get(type)!;
      const gold = s.spans.filter((g) => GOLD[g.entity_type] === type);
      const mine = predicted.filter((p) => p.type === type);
      const overlaps = (a: { start: number; end: number }, g: Sample['spans'][number]) => a.start < g.end_position && g.start_position < a.end;
      c.gold += gold.length;
      c.predicted += mine.length;
      for (const g of gold) {
        const hit = mine.some((p) => overlaps(p, g));
        if (hit) c.found++;
        else if (held && type !== 'NAME') failures.push(`missed ${type} "${g.entity_value}" in: ${s.full_text.slice(0, 120)}`);
      }
      for (const p of mine) {
        const hit = gold.some((g) => overlaps(p, g));
        if (hit) c.correct++;
        else if (held && type !== 'NAME') failures.push(`wrong ${type} "${s.full_text.slice(p.start, p.end)}" in: ${s.full_text.slice(0, 120)}`);
      }
    }
  }
  const table = (m: Map<PiiType, TypeCounts>) => Object.fromEntries([...m].map(([t, c]) => [t, { recall: pct(c.found, c.gold), precision: pct(c.correct, c.predicted), ...c }]));
  return { held_out: table(parts.held_out), tuning: table(parts.tuning), held_out_failures: failures.slice(0, 25), held_out_failure_count: failures.length };
}

export async function evaluate(): Promise<Record<string, unknown>> {
  if (!hasShared) return { skipped: '../shared/ is absent: the labelled PII data lives there' };
  const samples = JSON.parse(gunzipSync(readFileSync(sharedPath('data', 'pii', 'presidio-synth_dataset_v2.json.gz'))).toString('utf8')) as Sample[];
  const heldOut = samples.filter((s) => isHeldOut(`template:${s.template_id}`)).length;
  return {
    data: `presidio-synth_dataset_v2: ${samples.length} sentences, ${heldOut} held out (by template)`,
    conservative: evaluateLevel(samples, 'conservative'),
    aggressive: evaluateLevel(samples, 'aggressive'),
  };
}
