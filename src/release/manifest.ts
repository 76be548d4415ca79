import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { sha256File } from '../core/hashing.js';
import type { ColumnSpec } from '../core/record.js';
import type { StageStats } from '../engine/stats.js';
import { countRows } from './rows.js';

export interface ManifestFile {
  path: string;
  sha256: string;
  bytes: number;
  rows: number | null;
}

export interface Manifest {
  format: 'thresher-release/1';
  name: string;
  description?: string;
  version: string;
  run_id: string;
  created_at: string;
  thresher_version: string;
  pipeline: { file: string; source: string; sha256: string };
  input: { type: string; path: string | string[]; files: number; bytes: number; fingerprint: string };
  execution: { tasks: number; seed: number };
  schema: ColumnSpec[];
  counts: {
    input_records: number;
    output_records: number;
    output_bytes: number;
    excluded: Record<string, number>;
    stages: StageStats[];
  };
  previous: null | { version: string; run_id: string; output_records: number; pipeline_sha256: string; input_fingerprint: string };
  changes: null | { records_added: number; pipeline_changed: boolean; input_changed: boolean; files_same: number; files_changed: number };
  /** What stages had to say (e.g. `optout`: the removals and the registry that applied); absent when none did. */
  sections?: Record<string, ManifestSection>;
  files: ManifestFile[];
  /** Checksum of the dataset card (README.md). Absent in releases made by an older thresher. */
  card?: ManifestCard;
  /**
   * sha256 (hex) of `canonicalJson` of every other field: makes the manifest self-checking, so an
   * edit to any field shows. An integrity check, not a signature: whoever can write the folder
   * can recompute it. Absent in releases made by an older thresher.
   */
  digest?: string;
}

/** A stage's section: which stage, where its artifacts are, the card paragraph and the data. */
export interface ManifestSection {
  /** `<index>-<name>` of the stage in the pipeline */
  stage: string;
  /** folder of the stage's artifacts in the release, or null when it released none */
  artifacts: string | null;
  title: string;
  card: string[];
  data: Record<string, unknown>;
}

export interface ManifestCard {
  path: string;
  sha256: string;
  bytes: number;
}

/** What the card is rendered from: everything but the two fields that depend on the card itself. */
export type CardSource = Omit<Manifest, 'card' | 'digest'>;

/**
 * The canonical form the digest is taken over: JSON without whitespace, object keys sorted by
 * UTF-16 code units at every level, arrays in order, numbers and strings as JSON.stringify writes
 * them (for the values a manifest holds this is RFC 8785, JCS). Key order and indentation of
 * manifest.json then do not matter, so tools may reformat it without breaking the digest.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The digest a manifest should carry: over every field except `digest` itself. */
export function manifestDigest(m: Manifest): string {
  const { digest: _digest, ...rest } = m;
  void _digest;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

/**
 * Adds the card checksum, then the digest over everything else. The card was rendered from the
 * manifest without these two fields, so it never has to contain its own hash.
 */
export function sealManifest(m: CardSource, card: Uint8Array, cardPath = 'README.md'): Manifest {
  const withCard: Manifest = { ...m, card: { path: cardPath, sha256: createHash('sha256').update(card).digest('hex'), bytes: card.byteLength } };
  return { ...withCard, digest: manifestDigest(withCard) };
}

/** sha256, size and rows of a file inside a release; `rel` is its path in the manifest. */
export async function describeFile(abs: string, rel: string, rows?: number | null): Promise<ManifestFile> {
  return { path: rel, sha256: await sha256File(abs), bytes: statSync(abs).size, rows: rows !== undefined ? rows : await countRows(abs) };
}
