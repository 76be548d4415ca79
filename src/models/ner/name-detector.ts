/**
 * An NER model as the `pii` stage's name finder. The pii detector asks for names one text at a
 * time and synchronously; the model answers a batch at a time, asynchronously. So a batch's
 * texts are run through the model first (`prepare`), and `detect` then reads the answer for
 * each text. Person labels of the usual label sets become `PERSON`, everything else is dropped.
 */
import type { EntityDetector, EntitySpan } from '../../pii/names.js';
import { isPersonLabel, type NerModel } from './model.js';

export class ModelNameDetector implements EntityDetector {
  readonly labels = ['PERSON'];
  private answers = new Map<string, EntitySpan[]>();

  constructor(private readonly model: NerModel) {}

  /** Run the model on the texts of the coming `detect` calls (replaces the previous batch's answers). */
  async prepare(texts: readonly string[]): Promise<void> {
    const unique = [...new Set(texts)];
    const found = await this.model.recognise(unique);
    this.answers = new Map(unique.map((t, k) => [t, found[k].filter((e) => isPersonLabel(e.label)).map((e) => ({ start: e.start, end: e.end, label: 'PERSON', score: e.score }))]));
  }

  detect(text: string): EntitySpan[] {
    return this.answers.get(text) ?? [];
  }

  close(): Promise<void> {
    return this.model.close();
  }
}
