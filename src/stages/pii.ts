import type { CountryCode } from 'libphonenumber-js/max';
import { getCountries } from 'libphonenumber-js/max';
import { z } from 'zod';
import { defineStage, type MapStage } from '../core/stage.js';
import { PiiDetector } from '../pii/detect.js';
import { ModelNameDetector } from '../models/ner/name-detector.js';
import { NerModel } from '../models/ner/model.js';
import { RedactionRunner } from './redaction.js';
import { modelSource } from './text-model-params.js';

/**
 * `pii`: replace personal data in the content. Emails become `<EMAIL>`; public IP addresses
 * become one of five fixed private addresses of the same family (the same address always the
 * same one; private, reserved, documentation addresses and public DNS resolvers are kept);
 * phone numbers `<PHONE>`, card numbers `<CREDIT_CARD>`, person names `<NAME>` when turned on.
 * Each type has a sensitivity: `off`, `conservative` (only clear cases) or `aggressive` (also
 * likely ones); see src/pii/detect.ts for what each level does per type. Findings go to the
 * `redactions` column, merged with the `secrets` stage's. Records are never excluded.
 */
const level = (def: 'off' | 'conservative' | 'aggressive') => z.enum(['off', 'conservative', 'aggressive']).default(def);

const params = z.strictObject({
  /** Column holding the text; default: the pipeline's content column. */
  text_column: z.string().min(1).optional(),
  /** conservative: skips example/test domains and stand-in addresses (user@, noreply@); aggressive: every address. */
  email: level('conservative'),
  /** conservative: skips numbers right after "v"/"version"; aggressive: every public address. */
  ip_address: level('conservative'),
  /** conservative: numbers valid in international form or for default_country; aggressive: also the national formats of 30 countries. */
  phone: level('off'),
  /** conservative: Luhn-valid with a known issuer prefix and length; aggressive: any Luhn-valid 13–19 digits. */
  credit_card: level('off'),
  /** conservative: names after a title or in author/name/copyright fields (rule score ≥ 0.5); aggressive: every rule hit. */
  name: level('off'),
  /** Find names with this NER model (folder or hub id; a BIO token classifier or SpanMarker) instead of the rules; person spans scored ≥ 0.5 (conservative) or any (aggressive). */
  name_model: z.string().min(1).nullable().default(null),
  /** Where the name model runs. */
  name_model_device: z.enum(['auto', 'cuda', 'cpu']).default('auto'),
  /** ISO country whose national phone formats are read without a country code. */
  default_country: z
    .string()
    .default('US')
    .refine((c) => (getCountries() as string[]).includes(c), { message: 'unknown ISO country code' }),
});
export type PiiParams = z.infer<typeof params>;

export const piiStage = defineStage<PiiParams>({
  name: 'pii',
  description: 'Replace emails, IP addresses and (opt-in) phones, card numbers and names; findings go to the redactions column.',
  kind: 'map',
  params,
  requires: (p, env) => [p.text_column ?? env.contentColumn],
  create(p, env): MapStage {
    const textColumn = p.text_column ?? env.contentColumn;
    const useModel = p.name_model !== null && p.name !== 'off';
    let names: ModelNameDetector | undefined;
    let detector: PiiDetector | undefined;
    const makeDetector = () =>
      new PiiDetector({
        sensitivity: { EMAIL: p.email, IP_ADDRESS: p.ip_address, PHONE: p.phone, CREDIT_CARD: p.credit_card, NAME: p.name },
        defaultCountry: p.default_country as CountryCode,
        entityDetector: names,
      });
    if (!useModel) detector = makeDetector();
    const runner = new RedactionRunner('pii', textColumn, (text) => detector!.find(text));
    return {
      kind: 'map',
      columns: runner.columns,
      open: useModel
        ? async () => {
            names = new ModelNameDetector(await NerModel.load(modelSource(p.name_model!, env), { device: p.name_model_device }));
            detector = makeDetector();
          }
        : undefined,
      processBatch: useModel
        ? async (batch, rows) => {
            const texts = batch.column(textColumn);
            await names!.prepare(Array.from(rows, (i) => texts?.[i]).filter((t): t is string => typeof t === 'string'));
            runner.run(batch, rows);
          }
        : (batch, rows) => runner.run(batch, rows),
      counters: () => runner.counters(),
      close: async () => names?.close(),
    };
  },
});
