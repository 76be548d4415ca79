import { z } from 'zod';
import { defineStage, type MapStage } from '../core/stage.js';
import { SecretDetector } from '../secrets/detect.js';
import { SECRET_RULES } from '../secrets/rules.js';
import { RedactionRunner } from './redaction.js';

/**
 * `secrets`: replace credentials in the content with `<KEY>` (tokens, keys) or `<PASSWORD>`
 * (passwords in assignments and URLs), The Stack v2's placeholders. Provider rules
 * (src/secrets/rules.ts: cloud keys, VCS tokens, chat webhooks, payment, package registries,
 * JWTs, private-key blocks) run only on files containing one of their keywords; the generic
 * rules look at every assignment (`name = value`, `"name": "value"`, `name: value`) and URL.
 * Placeholders (`xxxx`, `changeme`, `<your-key>`, `${TOKEN}`), hashes, UUIDs, versions and
 * sequences are left alone. Every replacement is recorded in the `redactions` column (a JSON
 * array, see src/redact/column.ts), merged with what other redaction stages recorded.
 * Records are never excluded.
 */
const params = z.strictObject({
  /** Column holding the text; default: the pipeline's content column. */
  text_column: z.string().min(1).optional(),
  /** Also replace values that look like placeholders (`xxxx`, `changeme`, `<your-key>`). */
  flag_placeholders: z.boolean().default(false),
  /** Run the generic rules (assignments to password/key/token names, high-entropy assignments, URL passwords). */
  generic: z.boolean().default(true),
  /** How random a generic key must look: its entropy over that of a random string of the same length and alphabet (0.85). */
  randomness: z.number().min(0).max(1.5).default(0.85),
  /** Provider rule ids to turn off (see src/secrets/rules.ts). */
  disable_rules: z
    .array(z.string())
    .default([])
    .superRefine((ids, ctx) => {
      const known = new Set(SECRET_RULES.map((r) => r.id));
      for (const id of ids) if (!known.has(id)) ctx.addIssue({ code: 'custom', message: `unknown secret rule "${id}"` });
    }),
});
export type SecretsParams = z.infer<typeof params>;

export const secretsStage = defineStage<SecretsParams>({
  name: 'secrets',
  description: 'Replace keys, tokens and passwords with <KEY> / <PASSWORD>; findings go to the redactions column.',
  kind: 'map',
  params,
  requires: (p, env) => [p.text_column ?? env.contentColumn],
  create(p, env): MapStage {
    const off = new Set(p.disable_rules);
    const detector = new SecretDetector(
      SECRET_RULES.filter((r) => !off.has(r.id)),
      { flagPlaceholders: p.flag_placeholders, generic: p.generic, randomness: p.randomness },
    );
    const runner = new RedactionRunner('secrets', p.text_column ?? env.contentColumn, (text) => detector.find(text));
    return {
      kind: 'map',
      columns: runner.columns,
      processBatch: (batch, rows) => runner.run(batch, rows),
      counters: () => runner.counters(),
    };
  },
});
