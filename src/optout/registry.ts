import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { ThresherError } from '../core/errors.js';

/**
 * The opt-out registry: who asked to be left out of every release from now on. A YAML or JSON
 * file (JSON is YAML), a map with one key `entries`, a list of:
 *
 *   - owner: octocat              # a GitHub user or organisation, or an npm scope
 *     date: 2024-05-01            # when the request came in (YYYY-MM-DD)
 *     reason: request by e-mail   # why, for a later audit
 *   - repo: octocat/hello-world   # one repository
 *     ...
 *   - package: left-pad           # an npm package, every version (`@scope/name` too)
 *     ...
 *
 * Exactly one of `owner`, `repo`, `package` per entry. Names compare case-insensitively (GitHub
 * names are; for npm, erring towards removal is the safe side). The file's sha256 goes into
 * the release manifest so an audit knows which registry applied.
 */

export type EntryKind = 'owner' | 'repo' | 'package';

export interface OptoutEntry {
  kind: EntryKind;
  /** as written in the registry */
  name: string;
  date: string;
  reason: string;
  /** 1-based line of the entry in the registry file */
  line: number;
}

export interface OptoutRegistry {
  file: string;
  sha256: string;
  entries: OptoutEntry[];
}

/** `package:left-pad`: how details, counters and the manifest name an entry (no spaces). */
export function entryLabel(e: { kind: EntryKind; name: string }): string {
  return `${e.kind}:${e.name}`;
}

const OWNER = /^[A-Za-z0-9][A-Za-z0-9._~-]*$/;
const REPO = /^[A-Za-z0-9][A-Za-z0-9._~-]*\/[A-Za-z0-9._-]+$/;
const PACKAGE = /^(@[A-Za-z0-9][A-Za-z0-9._~-]*\/)?[A-Za-z0-9._~-]+$/;

/** Whether `name` is a well-formed owner, owner/repo or npm package name. */
export function isValidName(kind: EntryKind, name: string): boolean {
  return (kind === 'owner' ? OWNER : kind === 'repo' ? REPO : PACKAGE).test(name);
}

function isDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}

const common = {
  /** YYYY-MM-DD; YAML 1.2 keeps an unquoted date as a string */
  date: z.string().refine(isDate, 'expected a date YYYY-MM-DD'),
  reason: z.string().trim().min(1, 'give a reason (who asked, how)'),
};
const entrySchema = z.union([
  z.strictObject({ owner: z.string().regex(OWNER, 'an owner is one name without "/" or "@", e.g. octocat'), ...common }),
  z.strictObject({ repo: z.string().regex(REPO, 'a repo is owner/name, e.g. octocat/hello-world'), ...common }),
  z.strictObject({ package: z.string().regex(PACKAGE, 'a package is an npm name, e.g. left-pad or @scope/name (no version)'), ...common }),
]);
const registrySchema = z.strictObject({ entries: z.array(z.unknown()) });

/** `:line` of the node at `path`, or of its nearest parent. */
function lineOf(doc: Document, lines: LineCounter, path: (string | number)[]): number {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return lines.linePos(node.range[0]).line;
  }
  return 1;
}

/** The one message for an entry that is not one of the three shapes. */
function entryProblem(raw: unknown): string {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return 'an entry is a map with owner, repo or package, and date and reason';
  const kinds = ['owner', 'repo', 'package'].filter((k) => Object.hasOwn(raw, k));
  if (kinds.length !== 1) return `an entry names exactly one of owner, repo, package (found ${kinds.length === 0 ? 'none' : kinds.join(' and ')})`;
  const shape = entrySchema.options.find((o) => Object.hasOwn(o.shape, kinds[0]))!;
  const issue = shape.safeParse(raw).error!.issues[0];
  if (issue.code === 'unrecognized_keys') return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
  const field = String(issue.path[0] ?? '');
  const value = (raw as Record<string, unknown>)[field];
  return `${field}: ${issue.code === 'invalid_type' ? `expected ${issue.expected}, found ${value === undefined ? 'nothing' : JSON.stringify(value)}` : issue.message}`;
}

/**
 * Parse and validate a registry's text; every problem is one line `file:line: what`. Two
 * entries naming the same owner, repo or package are an error too (keep one).
 */
export function parseRegistry(text: string, file: string, sha256 = createHash('sha256').update(text).digest('hex')): OptoutRegistry {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) throw new ThresherError(`${file}:${lines.linePos(doc.errors[0].pos[0]).line}: not valid YAML/JSON: ${doc.errors[0].message.split('\n')[0]}`);
  const data: unknown = doc.toJS();
  const top = registrySchema.safeParse(data);
  if (!top.success) throw new ThresherError(`${file}:1: an opt-out registry is a map with one key, entries: a list of {owner | repo | package, date, reason}`);
  const problems: string[] = [];
  const entries: OptoutEntry[] = [];
  const seen = new Map<string, number>();
  top.data.entries.forEach((raw, i) => {
    const line = lineOf(doc, lines, ['entries', i]);
    const parsed = entrySchema.safeParse(raw);
    if (!parsed.success) {
      problems.push(`${file}:${line}: entries[${i}]: ${entryProblem(raw)}`);
      return;
    }
    const e = parsed.data;
    const kind: EntryKind = 'owner' in e ? 'owner' : 'repo' in e ? 'repo' : 'package';
    const name = (e as unknown as Record<EntryKind, string>)[kind];
    const key = `${kind}:${name.toLowerCase()}`;
    const first = seen.get(key);
    if (first !== undefined) problems.push(`${file}:${line}: entries[${i}]: ${kind} ${name} is already listed at line ${first}`);
    else seen.set(key, line);
    entries.push({ kind, name, date: e.date, reason: e.reason, line });
  });
  if (problems.length > 0) throw new ThresherError(problems.join('\n'));
  return { file, sha256, entries };
}

/** Read, hash (the bytes) and validate a registry file. */
export function loadRegistry(file: string): OptoutRegistry {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ThresherError(`${file}: cannot read the opt-out registry (${code === 'ENOENT' ? 'no such file' : (code ?? String(err))})`);
  }
  return parseRegistry(bytes.toString('utf8'), file, createHash('sha256').update(bytes).digest('hex'));
}
