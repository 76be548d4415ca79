import path from 'node:path';

/** The input flags of the commands that read one pool file directly (metaclip, clip). */
export interface InputOpts {
  input: string;
  textField: string;
  idField?: string;
  recordsPath?: string;
}

/** Reader spec from CLI flags: the file's extension picks JSONL, JSON or Parquet. */
export function inputSpec(o: InputOpts, relativeTo?: string): Record<string, unknown> {
  const abs = path.resolve(o.input);
  const p = relativeTo ? path.relative(relativeTo, abs) : abs;
  const type = /\.parquet$/i.test(p) ? 'parquet' : /\.json(\.gz|\.zst)?$/i.test(p) ? 'json' : 'jsonl';
  return { type, path: p, content_field: o.textField, ...(o.idField ? { id_field: o.idField } : {}), ...(o.recordsPath ? { records_path: o.recordsPath } : {}) };
}

/** Every text of the input in order, with its id (and `extraField`'s value); bad records stop with one line. */
export async function* texts(o: InputOpts & { extraField?: string }): AsyncGenerator<{ id: string; text: string | null; language?: unknown }> {
  const [{ openReader }, { camelize }] = await Promise.all([import('../io/open.js'), import('../pipeline/input-spec.js')]);
  const reader = openReader(camelize(inputSpec(o)) as Parameters<typeof openReader>[0]);
  const files = await reader.listFiles();
  const column = reader.contentColumn ?? o.textField;
  for await (const item of reader.read(reader.slices(files, 0, 1), 'fail')) {
    if (item.record) {
      const t = item.record[column];
      yield { id: item.record.id, text: typeof t === 'string' ? t : null, ...(o.extraField ? { language: item.record[o.extraField] } : {}) };
    } else if (item.excluded.reason === 'no_content') {
      yield { id: item.excluded.id, text: null };
    }
  }
}
