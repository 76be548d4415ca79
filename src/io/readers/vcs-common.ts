import { z } from 'zod';
import { PROVENANCE_COLUMNS, type ColumnSpec } from '../../core/record.js';

/** Larger files are excluded with reason `too_large` (The Stack v2: 10 MiB). Shared by the version-control readers. */
export const maxFileBytesSchema = z
  .number()
  .int()
  .positive()
  .default(10 * 1024 * 1024);

/** The columns every file read from a repository carries (git, hg, svn); each reader adds its own ids after them. */
export const REPOSITORY_FILE_COLUMNS: readonly ColumnSpec[] = [
  ...PROVENANCE_COLUMNS,
  { name: 'repo', type: 'string' },
  { name: 'path', type: 'string' },
  { name: 'size', type: 'int64' },
  { name: 'content', type: 'string' },
  { name: 'origin', type: 'string' },
  { name: 'swh_dir', type: 'string' },
];
