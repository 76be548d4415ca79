import path from 'node:path';
import { writeFileAtomic } from '../core/fs.js';
import { gatherReport, type ReportSource } from './gather.js';
import { renderReport } from './render.js';

export const REPORT_FILE = 'report.html';

/**
 * Writes `report.html` into the release folder `dir` (atomically) from the files already there,
 * and returns its path. The same release gives the same bytes: no clock, no random ids.
 */
export async function writeRunReport(dir: string, source: ReportSource): Promise<string> {
  const html = await renderReport(await gatherReport(dir, source));
  const file = path.join(dir, REPORT_FILE);
  writeFileAtomic(file, html);
  return file;
}
