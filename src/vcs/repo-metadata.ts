import { z } from 'zod';
import { InputError } from '../core/errors.js';
import type { ColumnSpec, DataRecord, Value } from '../core/record.js';

/**
 * Repository metadata (stars, forks, creation date, licence: a GH Archive or host API export)
 * joined onto every record of a repository by its `repo`, so `dedup_exact` / `near_dedup`
 * priority can prefer the better-starred copy (`priority: [-repo_stars, -repo_forks, repo, path]`).
 */
export const repoMetadataSchema = z.strictObject({
  /** A JSONL (plain or .gz) or Parquet file with one row per repository. */
  path: z.string().min(1),
  /** The table's column holding the repository name, as the reader names repositories. */
  key: z.string().min(1).default('repo'),
  /** Table columns to join (default: every other column). */
  columns: z.array(z.string().min(1)).optional(),
  /** Record columns are named prefix + table column (`repo_` keeps `license` apart from the license stage's). */
  prefix: z.string().default('repo_'),
});
export type RepoMetadataOptions = z.output<typeof repoMetadataSchema>;

export class RepoMetadata {
  private rows = new Map<string, Value[]>();
  private specs: ColumnSpec[] = [];
  private loaded = false;

  constructor(private readonly opts: RepoMetadataOptions) {}

  /** The joined columns (known after load()). */
  get columns(): ColumnSpec[] {
    return this.specs;
  }

  /** Reads the whole table (one row per repository: small next to the code it describes). */
  async load(): Promise<void> {
    if (this.loaded) return;
    // DuckDB is loaded only when a table is joined: it costs about a second of start-up otherwise
    const { columnTypeOf, duckMessage, jsToValue, sqlString, withDuck } = await import('../io/duck.js');
    const file = this.opts.path;
    const from = /\.parquet$/i.test(file) ? `read_parquet(${sqlString(file)})` : `read_json_auto(${sqlString(file)}, format = 'newline_delimited')`;
    await withDuck(async (c) => {
      let result;
      try {
        result = await c.runAndReadAll(`SELECT * FROM ${from}`);
      } catch (err) {
        throw new InputError(file, `repository metadata: ${duckMessage(err)}`);
      }
      const names = result.columnNames();
      const types = result.columnTypes();
      const keyAt = names.indexOf(this.opts.key);
      if (keyAt < 0) throw new InputError(file, `repository metadata has no "${this.opts.key}" column (columns: ${names.join(', ')})`);
      const wanted = this.opts.columns ?? names.filter((n) => n !== this.opts.key);
      const at = wanted.map((w) => {
        const i = names.indexOf(w);
        if (i < 0) throw new InputError(file, `repository metadata has no "${w}" column (columns: ${names.join(', ')})`);
        return i;
      });
      this.specs = at.map((i) => ({ name: this.opts.prefix + names[i], type: columnTypeOf(types[i]) }));
      for (const row of result.getRowsJS()) {
        const key = row[keyAt];
        if (key === null || key === undefined) continue;
        this.rows.set(
          String(key),
          at.map((i, j) => jsToValue(row[i], this.specs[j].type)),
        );
      }
    });
    this.loaded = true;
  }

  /** Sets the joined columns on a record of `repo` (nulls for a repository the table lacks). */
  apply(record: DataRecord, repo: string): void {
    const row = this.rows.get(repo);
    for (let j = 0; j < this.specs.length; j++) record[this.specs[j].name] = row ? row[j] : null;
  }
}
