/**
 * Accuracy of the `secrets` finder (src/secrets/detect.ts) on three labelled sources in
 * ../shared/data/code, each split into tuning / held-out by a hash of the case key
 * (_common.ts isHeldOut); the held-out figure is the one to quote:
 * 1. detect-secrets' plugin test cases (payload or line, should_flag), 21 detectors. The 17
 *    `ip_public` cases are IP addresses, the `pii` stage's job: scored separately with it.
 * 2. Cases generated from gitleaks' 222 rules (see _gitleaks.ts: the file has no examples).
 * 3. detect-secrets' test_data files, scored per line with our labels (LINE_LABELS below).
 * Plus flags per MB on this checkout's node_modules/ (no labels: a sample of flagged snippets,
 * secret masked, for a reader to judge).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { PiiDetector } from '../../src/pii/detect.js';
import { SecretDetector } from '../../src/secrets/detect.js';
import { loadGitleaksRules } from '../../src/secrets/gitleaks-config.js';
import { SECRET_RULES } from '../../src/secrets/rules.js';
import { add, emptyCounts, hasShared, isHeldOut, REPO_ROOT, score, sharedPath, type Counts } from './_common.js';
import { gitleaksCases } from './_gitleaks.js';

type Detector = SecretDetector;

interface Failure {
  source: string;
  case: string;
  expected: boolean;
  found: string[];
}

class Tally {
  readonly tuning = emptyCounts();
  readonly heldOut = emptyCounts();
  readonly failures: Failure[] = [];
  /** Tuning failures: what development looked at (not reported). */
  readonly tuningFailures: Failure[] = [];
  add(key: string, predicted: boolean, actual: boolean, failure: Omit<Failure, 'expected'>): void {
    const held = isHeldOut(key);
    add(held ? this.heldOut : this.tuning, predicted, actual);
    if (predicted !== actual) (held ? this.failures : this.tuningFailures).push({ ...failure, expected: actual });
  }
  report(): Record<string, unknown> {
    return { held_out: score(this.heldOut), tuning: score(this.tuning), held_out_failures: this.failures.slice(0, 25) };
  }
}

function pluginCases(d: Detector, t: Tally, ip: Tally): void {
  const ipDetector = new PiiDetector({ sensitivity: { EMAIL: 'off' } });
  for (const line of readFileSync(sharedPath('data', 'code', 'detect-secrets-plugin-cases.jsonl'), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const c = JSON.parse(line) as { payload?: string; line?: string; should_flag: boolean; plugin_test: string };
    const text = c.payload ?? c.line ?? '';
    const key = `${c.plugin_test}\u0000${text}`;
    const isIp = c.plugin_test === 'ip_public_test.py';
    const found = (isIp ? ipDetector.find(text) : d.find(text)).map((s) => s.rule);
    (isIp ? ip : t).add(key, found.length > 0, c.should_flag, { source: c.plugin_test, case: text.slice(0, 160), found });
  }
}

function gitleaks(d: Detector, t: Tally, perKind: Map<string, Counts>): string[] {
  const { cases, skipped } = gitleaksCases(sharedPath('data', 'code', 'gitleaks-rules.json'));
  for (const c of cases) {
    const found = d.find(c.text).map((s) => s.rule);
    t.add(c.rule, found.length > 0, c.positive, { source: `gitleaks ${c.rule} (${c.kind})`, case: c.text.slice(0, 160), found });
    if (isHeldOut(c.rule)) {
      if (!perKind.has(c.kind)) perKind.set(c.kind, emptyCounts());
      add(perKind.get(c.kind)!, found.length > 0, c.positive);
    }
  }
  return skipped;
}

/**
 * Our per-line labels for detect-secrets' test_data: [file, text on the line, secret?]. Lines not
 * listed are not secrets. Taken from detect-secrets' baseline.file (which lists the flagged lines of
 * an older version of these files) and its tests, except where the definition differs:
 * sequences (`0123456789a`, `1234567890a`), hashes (a bare MD5 in a diff, `hashed_secret`) and ids
 * are not secrets. Lines carrying `pragma: allowlist secret` are not counted either way.
 */
const LINE_LABELS: [string, string, boolean][] = [
  ['config.env', 'mimi=', true],
  ['config.ini', 'password = 123456789a1234', true],
  ['config.ini', 'aws_secret_key', true],
  ['config.ini', 'real_secret_which_isnt_an_i_d', true],
  ['config.md', 'key="ToCynx', true],
  ['config.yaml', 'AKIATESTTESTTESTTEST', true],
  ['config.yaml', 'low_entropy_binary_secret', true],
  ['config2.yaml', 'high_entropy_hex_binary_secret', true],
  ['each_secret.py', 'base64_secret', true],
  ['each_secret.py', 'hex_secret', true],
  ['each_secret.py', 'basic_auth', true],
  ['each_secret.py', 'aws_access_key =', true],
  ['each_secret.py', 'aws_secret_access_key', true],
  ['files/private_key', 'somethingSuperRandom', true],
  ['files/file_with_secrets.py', 'SUPER_SEECRET_VALUE', true],
  ['files/tmp/file_with_secrets.py', 'SUPER_SECRET_VALUES', true],
  ['short_files/first_line.php', 'notHighEnoughEntropy', true],
  ['short_files/last_line.ini', 'BEEF0123456789a', true],
  ['short_files/middle_line.yml', 'thequickbrownfox', true],
];
const SKIP_FILES = new Set(['baseline.file']);

function testDataFiles(d: Detector, t: Tally): void {
  const root = sharedPath('data', 'code', 'detect-secrets-test-data');
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(path.join(dir, n)).isDirectory() ? walk(path.join(dir, n)) : [path.join(dir, n)]));
  for (const file of walk(root).sort()) {
    const rel = path.relative(root, file);
    if (SKIP_FILES.has(rel)) continue;
    const text = readFileSync(file, 'utf8');
    const spans = d.find(text);
    let offset = 0;
    text.split('\n').forEach((line, i) => {
      const start = offset;
      offset += line.length + 1;
      if (!line.trim() || line.includes('pragma: allowlist secret')) return;
      const found = spans.filter((s) => s.start < start + line.length && s.end > start).map((s) => s.rule);
      const actual = LINE_LABELS.some(([f, needle, secret]) => secret && f === rel && line.includes(needle));
      t.add(rel, found.length > 0, actual, { source: `${rel}:${i + 1}`, case: line.slice(0, 160), found });
    });
  }
}

/** Flags per MB of node_modules/ text files, and every ~nth flag as a masked snippet. */
function nodeModules(d: Detector): Record<string, unknown> {
  const root = path.join(REPO_ROOT, 'node_modules');
  let bytes = 0;
  let files = 0;
  const flags: string[] = [];
  const perRule: Record<string, number> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      const st = statSync(p, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory()) walk(p);
      else if (st.size < 2_000_000 && /\.(?:[cm]?js|ts|json|md|ya?ml|txt|ini|env|py|sh)$/.test(name)) {
        const text = readFileSync(p, 'utf8');
        bytes += Buffer.byteLength(text);
        files++;
        for (const s of d.find(text)) {
          perRule[s.rule] = (perRule[s.rule] ?? 0) + 1;
          const secret = text.slice(s.start, s.end);
          const masked = `${secret.slice(0, 3)}…(${secret.length} chars)`;
          flags.push(`${s.rule} ${path.relative(root, p)}: ${text.slice(Math.max(0, s.start - 50), s.start).replace(/\s+/g, ' ')}[${masked}]`);
        }
      }
    }
  };
  const t0 = performance.now();
  walk(root);
  const seconds = (performance.now() - t0) / 1000;
  const step = Math.max(1, Math.floor(flags.length / 20));
  return {
    files,
    megabytes: Number((bytes / 1e6).toFixed(1)),
    flags: flags.length,
    flags_per_mb: Number((flags.length / (bytes / 1e6)).toFixed(3)),
    per_rule: perRule,
    mb_per_second_including_reads: Number((bytes / 1e6 / seconds).toFixed(1)),
    sample: flags.filter((_, i) => i % step === 0).slice(0, 20),
  };
}

/** For development: the tuning-part failures of every source (never the held-out ones). */
export function tuningFailures(d: Detector = new SecretDetector(SECRET_RULES)): Failure[] {
  const ts = [new Tally(), new Tally(), new Tally()];
  pluginCases(d, ts[0], new Tally());
  gitleaks(d, ts[1], new Map());
  testDataFiles(d, ts[2]);
  return ts.flatMap((t) => t.tuningFailures);
}

function evaluateWith(d: Detector): Record<string, unknown> {
  const plugin = new Tally();
  const ip = new Tally();
  const gl = new Tally();
  const files = new Tally();
  const perKind = new Map<string, Counts>();
  pluginCases(d, plugin, ip);
  const skipped = gitleaks(d, gl, perKind);
  testDataFiles(d, files);
  const all = emptyCounts();
  for (const t of [plugin, gl, files]) for (const k of ['tp', 'fp', 'fn', 'tn'] as const) all[k] += t.heldOut[k];
  return {
    held_out_all_sources: score(all),
    detect_secrets_plugin_cases: plugin.report(),
    detect_secrets_ip_public_cases_via_pii_stage: ip.report(),
    gitleaks_generated: { ...gl.report(), held_out_by_kind: Object.fromEntries([...perKind].map(([k, c]) => [k, score(c)])), rules_without_cases: skipped },
    detect_secrets_test_data_lines: files.report(),
  };
}

/**
 * The stage with `rules: gitleaks-rules.json` (gitleaks' rules as data, in place of the built-in
 * provider rules; generic rules on), and with both rule sets. Circular for the gitleaks-generated
 * cases, which are drawn from the very regexes loaded: only the other sources measure anything.
 */
function withGitleaksRules(): Record<string, unknown> {
  const loaded = loadGitleaksRules(sharedPath('data', 'code', 'gitleaks-rules.json'));
  const own = new Set(loaded.rules.map((r) => r.id));
  return {
    note: "CIRCULAR for gitleaks_generated: its cases are generated from the same rule file's regexes, so they score the loader and the regex conversion, not detection of unseen providers",
    rules_loaded: loaded.rules.length,
    ignored: loaded.ignored,
    gitleaks_rules_in_place_of_built_in: evaluateWith(new SecretDetector(loaded.rules)),
    built_in_and_gitleaks_rules: evaluateWith(new SecretDetector([...SECRET_RULES.filter((r) => !own.has(r.id)), ...loaded.rules])),
  };
}

export async function evaluate(): Promise<Record<string, unknown>> {
  if (!hasShared) return { skipped: '../shared/ is absent: the labelled secret data lives there' };
  const d = new SecretDetector(SECRET_RULES);
  return {
    split: 'held out when sha1("thresher-split:" + key) has an odd first byte; key = plugin file + payload, gitleaks rule id, test_data file',
    default_settings: evaluateWith(d),
    with_flag_placeholders: { note: 'flag_placeholders: true (x-runs, templates, stand-in words flagged too)', ...evaluateWith(new SecretDetector(SECRET_RULES, { flagPlaceholders: true })) },
    with_gitleaks_rule_file: withGitleaksRules(),
    node_modules: nodeModules(d),
  };
}
