import path from 'node:path';
import { z } from 'zod';
import { defineStage, type MapStage } from '../core/stage.js';
import { SecretDetector } from '../secrets/detect.js';
import { loadGitleaksRules } from '../secrets/gitleaks-config.js';
import { SECRET_RULES, type SecretRule } from '../secrets/rules.js';
import { RedactionRunner } from './redaction.js';

/**
 * `secrets`: replace credentials in the content with `<KEY>` (tokens, keys) or `<PASSWORD>`
 * (passwords in assignments and URLs), The Stack v2's placeholders. Provider rules
 * (src/secrets/rules.ts: cloud keys, VCS tokens, chat webhooks, payment, package registries,
 * JWTs, private-key blocks; or a gitleaks configuration's, `rules: gitleaks.toml`) run only on
 * files containing one of their keywords; the generic
 * rules look at every assignment (`name = value`, `"name": "value"`, `name: value`), URL,
 * string literal, `Authorization` header, `--token`-style flag and `<password>` element.
 * Placeholders (`xxxx`, `changeme`, `<your-key>`, `${TOKEN}`), hashes, UUIDs, versions and
 * sequences are left alone. Every replacement is recorded in the `redactions` column (a JSON
 * array, see src/redact/column.ts), merged with what other redaction stages recorded.
 * Records are never excluded.
 */
const params = z
  .strictObject({
    /** Column holding the text; default: the pipeline's content column. */
    text_column: z.string().min(1).optional(),
    /** Also replace values that look like placeholders (`xxxx`, `changeme`, `<your-key>`). */
    flag_placeholders: z.boolean().default(false),
    /** Run the generic rules (assignments to password/key/token names, high-entropy assignments, URL passwords). */
    generic: z.boolean().default(true),
    /** How random a generic key must look: its entropy over that of a random string of the same length and alphabet (0.85). */
    randomness: z.number().min(0).max(1.5).default(0.85),
    /**
     * A gitleaks configuration (`gitleaks.toml`, or the same as JSON) whose rules replace the built-in
     * provider rules, or add to them when it says `[extend] useDefault = true` (see
     * src/secrets/gitleaks-config.ts). Relative to the pipeline file.
     */
    rules: z.string().min(1).optional(),
    /** Provider rule ids to turn off (see src/secrets/rules.ts, or the `rules` file). */
    disable_rules: z.array(z.string()).default([]),
  })
  // without a rules file the ids are known now; with one, when the stage loads it
  .superRefine((p, ctx) => {
    if (p.rules) return;
    const known = new Set(SECRET_RULES.map((r) => r.id));
    for (const id of p.disable_rules) if (!known.has(id)) ctx.addIssue({ code: 'custom', path: ['disable_rules'], message: `unknown secret rule "${id}"` });
  });
export type SecretsParams = z.infer<typeof params>;

/** The provider rules a stage runs: built-in, from its `rules` file, or both; less the disabled ones. */
function providerRules(p: SecretsParams, baseDir: string): SecretRule[] {
  let rules: SecretRule[] = [...SECRET_RULES];
  let from = 'the built-in rules (src/secrets/rules.ts)';
  if (p.rules) {
    const file = path.resolve(baseDir, p.rules);
    const loaded = loadGitleaksRules(file);
    const own = new Set(loaded.rules.map((r) => r.id));
    rules = loaded.useDefault ? [...SECRET_RULES.filter((r) => !own.has(r.id)), ...loaded.rules] : loaded.rules;
    from = loaded.useDefault ? `the built-in rules and ${file}` : file;
  }
  const known = new Set(rules.map((r) => r.id));
  const unknown = p.disable_rules.filter((id) => !known.has(id));
  if (unknown.length) throw new Error(`secrets: disable_rules: unknown rule ${unknown.map((id) => `"${id}"`).join(', ')} (not in ${from})`);
  const off = new Set(p.disable_rules);
  return rules.filter((r) => !off.has(r.id));
}

export const secretsStage = defineStage<SecretsParams>({
  name: 'secrets',
  description: 'Replace keys, tokens and passwords with <KEY> / <PASSWORD>; findings go to the redactions column.',
  kind: 'map',
  params,
  requires: (p, env) => [p.text_column ?? env.contentColumn],
  create(p, env): MapStage {
    const detector = new SecretDetector(providerRules(p, env.baseDir), { flagPlaceholders: p.flag_placeholders, generic: p.generic, randomness: p.randomness });
    const runner = new RedactionRunner('secrets', p.text_column ?? env.contentColumn, (text) => detector.find(text));
    return {
      kind: 'map',
      columns: runner.columns,
      processBatch: (batch, rows) => runner.run(batch, rows),
      counters: () => runner.counters(),
    };
  },
});
