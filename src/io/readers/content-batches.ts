import { BatchBuilder } from '../../core/batch.js';
import { EncodedStringsBuilder } from '../../core/encoded-strings.js';
import type { ColumnSpec, DataRecord, ExcludedRecord, Value } from '../../core/record.js';
import type { ReadBatch } from '../types.js';

/**
 * A batch of files holds at most this much content, whatever its row count (a file over it
 * makes a batch of its own). Its builder lends its buffer to each batch and gets it back when
 * the batch is written, so the read fills the same two buffers throughout: fresh pages cost
 * about 4 ms per MiB to fault in on the VMs this was measured on, more than reading the files.
 * 4 MiB rather than 16: the batch's decoded texts then die young, before the garbage
 * collector promotes them (4x node_modules, one worker, six interleaved pairs: less CPU in each, 28-41 against 31-42 s; 1 MiB: 30-34 s).
 */
const MAX_BATCH_CONTENT_BYTES = 4 * 1024 * 1024;

/**
 * Groups a file reader's records into batches whose `content` column keeps the UTF-8 the file
 * was read as, beside the decoded text. Exclusions travel with the batch they came before.
 */
export class ContentBatches {
  private readonly records: BatchBuilder;
  /** The content column being built: a reader may read a file's bytes straight into it (see `addRecord`). */
  readonly content = new EncodedStringsBuilder(1024, MAX_BATCH_CONTENT_BYTES + (1 << 20));
  private texts: Value[] = [];
  private excluded: ExcludedRecord[] = [];
  private contentBytes = 0;

  constructor(
    columns: readonly ColumnSpec[],
    private readonly batchRows: number,
    private readonly contentColumn = 'content',
  ) {
    this.records = new BatchBuilder(
      columns.map((c) => c.name),
      batchRows,
    );
  }

  /**
   * `utf8` must be the bytes `record[contentColumn]` was decoded from; `inPlace`: they were
   * written at `content.tail` (see EncodedStringsBuilder.spare), so they need no copy.
   */
  addRecord(record: DataRecord, utf8: Buffer, inPlace: boolean): ReadBatch | undefined {
    const text = record[this.contentColumn] as string;
    if (inPlace) this.content.commit(utf8.length, text.length);
    else this.content.appendBytes(utf8, 0, utf8.length, text.length);
    this.texts.push(text);
    this.contentBytes += utf8.length;
    this.records.add(record);
    return this.records.count >= this.batchRows || this.contentBytes >= MAX_BATCH_CONTENT_BYTES ? this.take() : undefined;
  }

  /**
   * The batch so far, when a file of `bytes` would not fit in the content buffer's room: a
   * file read into it must otherwise grow the buffer, copying every file before it.
   */
  cutBefore(bytes: number): ReadBatch | undefined {
    return this.records.count > 0 && this.contentBytes + bytes > MAX_BATCH_CONTENT_BYTES ? this.take() : undefined;
  }

  addExcluded(e: ExcludedRecord): ReadBatch | undefined {
    this.excluded.push(e);
    if (this.excluded.length < this.batchRows) return undefined;
    const out = { excluded: this.excluded };
    this.excluded = [];
    return out;
  }

  /** What is left, if anything. */
  flush(): ReadBatch | undefined {
    if (this.records.count > 0) return this.take();
    if (this.excluded.length === 0) return undefined;
    const out = { excluded: this.excluded };
    this.excluded = [];
    return out;
  }

  private take(): ReadBatch {
    const batch = this.records.take();
    batch.setEncoded(this.contentColumn, this.content.takeRecyclable(), this.texts);
    const out = { batch, excluded: this.excluded };
    this.texts = [];
    this.excluded = [];
    this.contentBytes = 0;
    return out;
  }
}
