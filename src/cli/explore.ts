/**
 * `thresher query`, `grep` and `export`: a release read through its own data files only
 * (src/explore/). Each opens the release, does one thing, closes it.
 */
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { Command, Option } from 'commander';
import { writeFileAtomic, writeStreamAtomic } from '../core/fs.js';
import { writeOrWait } from '../core/streams.js';
import type { OutputFormat } from '../explore/format.js';
import type { Bounds } from '../explore/query.js';
import { port, wholeNumber } from './args.js';

const explore = {
  release: () => import('../explore/release.js'),
  query: () => import('../explore/query.js'),
  format: () => import('../explore/format.js'),
};

const log = (line: string) => process.stderr.write(line + '\n');

interface QueryOpts {
  maxRows: number;
  timeout: number;
  format?: OutputFormat;
  out?: string;
}

function queryCommand(): Command {
  return new Command('query')
    .description("one read-only SQL statement (SELECT or WITH … SELECT) over a release's views: `records` (data/) and `excluded` (when the release kept it)")
    .argument('<release>', 'release folder, e.g. out/v1')
    .argument('<sql>', `e.g. "SELECT language, count(*) FROM records GROUP BY 1 ORDER BY 2 DESC"`)
    .option('--max-rows <n>', 'rows to return at most; more are not read (a note says so)', wholeNumber(1), 10_000)
    .option('--timeout <s>', 'stop a query still running after s seconds', wholeNumber(1), 60)
    .addOption(new Option('-f, --format <format>', 'output format (default: from the -o name, else jsonl)').choices(['jsonl', 'csv', 'table']))
    .option('-o, --out <file>', 'write the result here (atomically) instead of standard output')
    .action(async (release: string, sql: string, o: QueryOpts) => {
      const format = o.format ?? (o.out ? (await explore.format()).formatOfFile(o.out) : undefined) ?? 'jsonl';
      const { openRelease } = await explore.release();
      const r = await openRelease(release);
      try {
        const bounds = { maxRows: o.maxRows, timeoutMs: o.timeout * 1000 };
        const result = format === 'table' ? await printTable(r.connection, sql, bounds, o.out) : await streamRows(r.connection, sql, bounds, format, o.out);
        if (o.out) log(`${o.out}: ${result.rows} rows`);
        if (result.truncated) log(`thresher: stopped after ${result.rows} rows (--max-rows); more rows match`);
      } finally {
        r.close();
      }
    });
}

/** An aligned table needs every row's width first: read into memory (at most the ceiling's rows). */
async function printTable(connection: DuckDBConnection, sql: string, bounds: Bounds, out?: string) {
  const [{ runUserQuery }, { formatResult }] = await Promise.all([explore.query(), explore.format()]);
  const result = await runUserQuery(connection, sql, bounds);
  const text = formatResult(result, 'table')
    .map((l) => l + '\n')
    .join('');
  if (out) writeFileAtomic(path.resolve(out), text);
  else await writeStdout(text);
  return { rows: result.rows.length, truncated: result.truncated };
}

/** jsonl and csv: written chunk by chunk as DuckDB produces them, to the file (atomically) or stdout. */
async function streamRows(connection: DuckDBConnection, sql: string, bounds: Bounds, format: 'jsonl' | 'csv', out?: string) {
  const [{ streamUserQuery }, { headerLines, rowLines }] = await Promise.all([explore.query(), explore.format()]);
  const produce = (write: (text: string) => Promise<void>) => {
    const writeLines = async (lines: string[]) => {
      if (lines.length) await write(lines.map((l) => l + '\n').join(''));
    };
    return streamUserQuery(connection, sql, bounds, {
      begin: (columns) => writeLines(headerLines(columns, format)),
      rows: (columns, rows) => writeLines(rowLines(columns, rows, format)),
    });
  };
  return out ? writeStreamAtomic(path.resolve(out), produce) : produce(writeStdout);
}

/** A slow reader of standard output holds back the query instead of filling memory. */
const writeStdout = (text: string) => writeOrWait(process.stdout, text);

interface GrepOpts {
  column?: string;
  ignoreCase?: boolean;
  maxCount: number;
  json?: boolean;
}

function grepCommand(): Command {
  return new Command('grep')
    .description("lines of a release's content that match a regular expression (RE2 syntax), as path:line: text, up to a match budget")
    .argument('<release>', 'release folder')
    .argument('<pattern>', 'RE2 regular expression, matched line by line')
    .option('--column <name>', 'column to search (default: the content column)')
    .option('-i, --ignore-case', 'case-insensitive')
    .option('-m, --max-count <n>', 'matching lines to print at most (the match budget)', wholeNumber(1), 100)
    .option('--json', 'one JSON line per match: id, path, line, text')
    .action(async (release: string, pattern: string, o: GrepOpts) => {
      const [{ openRelease }, { grepRelease }] = await Promise.all([explore.release(), import('../explore/grep.js')]);
      const r = await openRelease(release);
      try {
        const { matches, truncated } = await grepRelease(r, pattern, { column: o.column, ignoreCase: o.ignoreCase, maxMatches: o.maxCount });
        for (const m of matches) process.stdout.write((o.json ? JSON.stringify(m) : `${m.path}:${m.line}: ${m.text}`) + '\n');
        if (truncated) log(`thresher: stopped at ${matches.length} matching lines (--max-count)`);
        process.exitCode = matches.length ? 0 : 1; // as grep: 1 when nothing matched
      } finally {
        r.close();
      }
    });
}

function exportCommand(): Command {
  return new Command('export')
    .description('the records of a release that pass a filter, as a new verifiable release whose manifest names its parent and the filter')
    .argument('<release>', 'release folder, e.g. out/v1')
    .requiredOption('--where <condition>', `SQL condition on a record's columns, e.g. "language = 'Python' AND license_class = 'permissive'"`)
    .requiredOption('-o, --out <dir>', 'folder of the new release (must not exist, or be empty)')
    .option('--name <name>', "the new release's name (default: the parent's)")
    .action(async (release: string, o: { where: string; out: string; name?: string }) => {
      const { exportRelease } = await import('../explore/export.js');
      const { dir, manifest } = await exportRelease(release, o);
      const parent = (manifest.sections?.export.data.records ?? {}) as { parent?: number };
      console.log(`${dir}: ${manifest.counts.output_records} of ${parent.parent} records, ${manifest.files.length} files; check with \`thresher verify ${path.relative(process.cwd(), dir) || '.'}\``);
    });
}

interface ServeOpts {
  host: string;
  port: number;
  token?: string;
  review?: string;
  labelColumn?: string;
}

function serveCommand(): Command {
  return new Command('serve')
    .description('the explorer: a read-only local web app over a release (records, filters, search, clusters, redactions, licences, opt-out check, review)')
    .argument('<release>', 'release folder, e.g. out/v1')
    .option('--host <address>', 'address to listen on; beyond loopback needs --token', '127.0.0.1')
    .option('-p, --port <n>', 'port (0: any free one)', port, 8737)
    .option('--token <secret>', 'required of every request (at least 16 characters); the printed address carries it once')
    .option('--review <file>', 'turn on the review page; decisions go to this file (JSON), for the review stage of the next run')
    .option('--label-column <name>', 'the column whose labels the review page corrects (e.g. language)')
    .action(async (release: string, o: ServeOpts) => {
      const { startExplorer } = await import('../serve/server.js');
      const explorer = await startExplorer(release, { host: o.host, port: o.port, token: o.token, reviewFile: o.review ? path.resolve(o.review) : undefined, labelColumn: o.labelColumn ?? null });
      const m = explorer.release.manifest;
      console.log(`thresher explorer: ${m.name} ${m.version} at ${explorer.url}${o.token ? `?token=${encodeURIComponent(o.token)}` : ''}`);
      if (o.review) console.log(`review decisions go to ${path.resolve(o.review)}`);
      const stop = () => void explorer.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}

export function exploreCommands(): Command[] {
  return [queryCommand(), grepCommand(), exportCommand(), serveCommand()];
}
