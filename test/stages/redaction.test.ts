import assert from 'node:assert/strict';
import { test } from 'node:test';
import { processOne } from '../../src/core/processor.js';
import type { DataRecord } from '../../src/core/record.js';
import type { MapStage, StageEnv } from '../../src/core/stage.js';
import { parseRedactions } from '../../src/redact/column.js';
import { piiStage } from '../../src/stages/pii.js';
import { secretsStage } from '../../src/stages/secrets.js';

const env: StageEnv = { contentColumn: 'content', baseDir: '.' };
const secrets = secretsStage.create(secretsStage.params.parse({}), env) as MapStage;
const pii = piiStage.create(piiStage.params.parse({}), env) as MapStage;

const ORIGINAL = [
  '# config',
  'admin_email = "ops.lead@acme-corp.io"',
  'aws_access_key_id = AKIAZ3MBQJX7T4LD5KWN',
  'server = 133.133.133.133',
  'db_password = "Tr0ub4dor&3"',
  'mirror = 133.133.133.133',
  'unchanged line with ünïcødé ✓',
  '',
].join('\n');

function run(order: MapStage[]): DataRecord {
  const record: DataRecord = { id: 'r1', content: ORIGINAL, path: 'config.ini' };
  for (const stage of order) assert.equal(processOne(stage, record, ['content', 'redactions']), undefined);
  return record;
}

test('secrets then pii: both placeholders in the text, findings merged and pointing at them', () => {
  const r = run([secrets, pii]);
  const text = r.content as string;
  const findings = parseRedactions(r.redactions);
  assert.deepEqual(
    findings.map((f) => [f.type, f.rule, f.line]),
    [
      ['EMAIL', 'email', 2],
      ['KEY', 'aws-access-key-id', 3],
      ['IP_ADDRESS', 'ipv4', 4],
      ['PASSWORD', 'generic-password', 5],
      ['IP_ADDRESS', 'ipv4', 6],
    ],
  );
  for (const f of findings) {
    const placed = text.slice(f.start, f.end);
    assert.ok(/^<(?:KEY|PASSWORD|EMAIL)>$|^\d+\.\d+\.\d+\.\d+$/.test(placed), placed);
  }
  // the same address gets the same replacement
  const ips = findings.filter((f) => f.type === 'IP_ADDRESS').map((f) => text.slice(f.start, f.end));
  assert.equal(ips[0], ips[1]);
  assert.equal(findings.find((f) => f.rule === 'aws-access-key-id')!.original_length, 20);
});

test('the order of the stages does not change the result', () => {
  const a = run([secrets, pii]);
  const b = run([pii, secrets]);
  assert.equal(a.content, b.content);
  assert.deepEqual(parseRedactions(a.redactions), parseRedactions(b.redactions));
});

test('everything outside the findings is byte-identical', () => {
  const r = run([secrets, pii]);
  const text = r.content as string;
  const findings = parseRedactions(r.redactions);
  // rebuild the original's untouched pieces from the redacted text and compare byte for byte
  let origAt = 0;
  let outAt = 0;
  const originalBytes = Buffer.from(ORIGINAL);
  const kept: Buffer[] = [];
  const keptOriginal: Buffer[] = [];
  for (const f of findings) {
    const gap = f.start - outAt;
    kept.push(Buffer.from(text.slice(outAt, f.start)));
    keptOriginal.push(Buffer.from(ORIGINAL.slice(origAt, origAt + gap)));
    origAt += gap + f.original_length;
    outAt = f.end;
  }
  kept.push(Buffer.from(text.slice(outAt)));
  keptOriginal.push(Buffer.from(ORIGINAL.slice(origAt)));
  assert.ok(Buffer.concat(kept).equals(Buffer.concat(keptOriginal)));
  assert.equal(origAt + (text.length - outAt), ORIGINAL.length);
  assert.ok(originalBytes.length > 0);
  assert.ok(text.includes('unchanged line with ünïcødé ✓'));
});

test('a record with nothing to redact keeps its text and gets an empty list', () => {
  const record: DataRecord = { id: 'r2', content: 'const x = 1;\n' };
  processOne(secrets, record, ['content', 'redactions']);
  processOne(pii, record, ['content', 'redactions']);
  assert.equal(record.content, 'const x = 1;\n');
  assert.equal(record.redactions, '[]');
  assert.ok((secrets.counters!()['secrets:records'] ?? 0) > 0);
});

test('params: unknown rule ids and countries are rejected', () => {
  assert.throws(() => secretsStage.params.parse({ disable_rules: ['no-such-rule'] }));
  assert.throws(() => piiStage.params.parse({ default_country: 'XX' }));
  assert.equal(piiStage.params.parse({}).phone, 'off');
});
