import type { RecordBatch } from '../core/batch.js';
import type { ColumnSpec } from '../core/record.js';
import { formatRedactions, parseRedactions, REDACTIONS_COLUMN } from '../redact/column.js';
import { redactAfter, type Span } from '../redact/redact.js';

/**
 * What the `secrets` and `pii` adapters share: read the text and the findings of earlier
 * redaction stages, redact, write the text back and the merged findings to `redactions`.
 */
export class RedactionRunner {
  readonly columns: ColumnSpec[];
  private records = 0;
  private redactedRecords = 0;
  private readonly perRule = new Map<string, number>();

  constructor(
    private readonly prefix: string,
    private readonly textColumn: string,
    private readonly find: (text: string) => Span[],
  ) {
    this.columns = [
      { name: textColumn, type: 'string' },
      { name: REDACTIONS_COLUMN, type: 'string' },
    ];
  }

  run(batch: RecordBatch, rows: Int32Array): void {
    const texts = batch.columnForWrite(this.textColumn);
    const redactions = batch.columnForWrite(REDACTIONS_COLUMN);
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k];
      const text = texts[i];
      if (typeof text !== 'string') continue;
      this.records++;
      const previous = parseRedactions(redactions[i]);
      const spans = this.find(text);
      const result = redactAfter(text, spans, previous);
      const added = result.findings.length - previous.length;
      if (added > 0) {
        this.redactedRecords++;
        texts[i] = result.text;
        for (const f of result.findings) this.perRule.set(f.rule, (this.perRule.get(f.rule) ?? 0) + 1);
        for (const f of previous) this.perRule.set(f.rule, (this.perRule.get(f.rule) ?? 0) - 1); // counted by the stage that found it
      }
      redactions[i] = formatRedactions(result.findings);
    }
  }

  counters(): Record<string, number> {
    const out: Record<string, number> = { [`${this.prefix}:records`]: this.records, [`${this.prefix}:redacted_records`]: this.redactedRecords };
    for (const [rule, n] of this.perRule) out[`${this.prefix}:rule:${rule}`] = n;
    return out;
  }
}
