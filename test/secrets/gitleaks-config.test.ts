import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { processOne } from '../../src/core/processor.js';
import type { DataRecord } from '../../src/core/record.js';
import type { MapStage } from '../../src/core/stage.js';
import { parseRedactions } from '../../src/redact/column.js';
import { SecretDetector } from '../../src/secrets/detect.js';
import { loadGitleaksRules, parseGitleaksConfig } from '../../src/secrets/gitleaks-config.js';
import { goRegExp } from '../../src/secrets/go-regex.js';
import { secretsStage } from '../../src/stages/secrets.js';
import { needsShared, sharedPath } from '../helpers/shared.js';

// a token in a made-up provider's format, so no built-in rule knows it
const ACME = 'acme_live_Q7vK2mXp9LwR4tZs8NcY3bHd';

const CONFIG = `
title = "test rules"

[[rules]]
id = "acme-token"
description = "Acme API token"
regex = '''\\b(acme_(?:live|test)_(?i)[a-z0-9]{24})\\b'''
keywords = ["acme_"]
entropy = 3.0

[[rules.allowlists]]
stopwords = ["example"]

[[rules]]
id = "acme-assigned"
regex = '''(?i)acme[\\w.-]{0,20}\\s*=\\s*"([a-f0-9]{32})"'''
secretGroup = 1
keywords = ["acme"]

[[rules.allowlists]]
regexTarget = "line"
regexes = ['''#\\s*fixture''']

[[rules]]
id = "keystore-file"
path = '''\\.p12$'''
`;

test('goRegExp: inline (?i) holds to the end of its group only; (?-i:), POSIX classes, \\z, (?P<name>)', () => {
  const mid = goRegExp(String.raw`\b(acme_(?:live|test)_(?i)[a-z0-9]{4})\b`);
  assert.ok(mid.test('acme_live_AbC1'));
  assert.ok(!mid.test('ACME_LIVE_abc1'), 'the prefix before (?i) stays case-sensitive');
  const scoped = goRegExp('(?i)key(?-i:ID)[[:digit:]]+\\z');
  assert.ok(scoped.test('KEYID42') && scoped.test('keyID42'));
  assert.ok(!scoped.test('keyid42') && !scoped.test('KEYID42x'));
  assert.equal(goRegExp('(?P<tok>x+)').exec('axx')?.groups?.tok, 'xx');
  assert.equal(goRegExp('(?i)abc').flags, 'i', 'folded throughout: the flag, not spelled-out letters');
});

test('a TOML gitleaks config: secret groups, entropy, stopword and line allowlists, path-only rules listed as ignored', () => {
  const loaded = parseGitleaksConfig(CONFIG, 'gitleaks.toml');
  assert.deepEqual(
    loaded.rules.map((r) => r.id),
    ['acme-token', 'acme-assigned'],
  );
  assert.equal(loaded.useDefault, false);
  assert.deepEqual(loaded.ignored, ['keystore-file: a path-only rule (thresher reads contents)']);
  const d = new SecretDetector(loaded.rules, { generic: false });
  const text = `token = "${ACME}"\n`;
  const [span] = d.find(text);
  assert.equal(text.slice(span.start, span.end), ACME, 'the first capture group is the secret');
  assert.equal(span.rule, 'acme-token');
  assert.deepEqual(d.find('acme_live_abababababababababababab'), [], 'no more than 3 bits per character: dropped');
  assert.deepEqual(d.find('t = "acme_test_exampleK2mXp9LwR4tZs8Nc"'), [], 'a stopword in the secret: allowed');
  const hex = '9f86d081884c7d659a2feaa0c55ad015';
  const assigned = d.find(`ACME_KEY = "${hex}"`);
  assert.equal(assigned.length, 1);
  assert.equal(assigned[0].end - assigned[0].start, 32, 'secretGroup 1: the value, not the assignment');
  assert.deepEqual(d.find(`ACME_KEY = "${hex}"  # fixture`), [], 'the line allowlist');
});

test('errors name the file and the rule', () => {
  assert.throws(() => parseGitleaksConfig('[[rules]]\nid = "bad"\nregex = "(unclosed"\n', 'my.toml'), /^Error: my\.toml: rule "bad": regex cannot be used/);
  assert.throws(() => parseGitleaksConfig('[[rules]]\nregex = "x"\n', 'my.toml'), /my\.toml: rules\[0\]: a rule needs an "id"/);
  assert.throws(() => parseGitleaksConfig('rules = [', 'my.toml'), /my\.toml: not valid TOML/);
  assert.throws(() => parseGitleaksConfig('{"rules": [{"id": "k", "regex": "x", "keywords": "x"}]}', 'r.json'), /r\.json: rule "k": "keywords" must be a list of strings/);
  assert.throws(() => loadGitleaksRules('/no/such/rules.toml'), /\/no\/such\/rules\.toml: cannot read the secret rules file \(ENOENT\)/);
});

test('the secrets stage with rules: a file replaces the built-in provider rules, or extends them with useDefault', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'thresher-gitleaks-'));
  writeFileSync(path.join(dir, 'only.toml'), CONFIG);
  writeFileSync(path.join(dir, 'extend.toml'), `[extend]\nuseDefault = true\n${CONFIG}`);
  const content = `a = "${ACME}"\nb = "AKIAZ3MBQJX7T4LD5KWN"\n`;
  const rulesOf = (file: string) => {
    const stage = secretsStage.create(secretsStage.params.parse({ rules: file, generic: false }), { contentColumn: 'content', baseDir: dir }) as MapStage;
    const record: DataRecord = { id: 'r', content };
    processOne(stage, record, ['content', 'redactions']);
    return parseRedactions(record.redactions).map((f) => f.rule);
  };
  assert.deepEqual(rulesOf('only.toml'), ['acme-token']);
  assert.deepEqual(rulesOf('extend.toml'), ['acme-token', 'aws-access-key-id']);
  const params = secretsStage.params.parse({ rules: 'only.toml', disable_rules: ['aws-access-key-id'] });
  assert.throws(() => secretsStage.create(params, { contentColumn: 'content', baseDir: dir }), /disable_rules: unknown rule "aws-access-key-id" \(not in .*only\.toml\)/);
});

test("gitleaks' own rule file as data: every rule with a regex loads and finds a token of its provider", needsShared, () => {
  const loaded = loadGitleaksRules(sharedPath('data', 'code', 'gitleaks-rules.json'));
  assert.ok(loaded.rules.length >= 200, `${loaded.rules.length} rules`);
  assert.ok(
    loaded.ignored.every((line) => /path-only rule/.test(line)),
    loaded.ignored.join('; '),
  );
  const d = new SecretDetector(loaded.rules, { generic: false });
  const pat = 'ghp_' + 'R3aLk8Yp2QvN7sWm4ZtB9xHc6JdF1gLe5UoA';
  const rules = d.find(`const token = "${pat}";`).map((s) => s.rule);
  assert.ok(rules.includes('github-pat'), rules.join(', '));
  assert.deepEqual(d.find('nothing secret here, only prose about tokens and keys'), []);
});
