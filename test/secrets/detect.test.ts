import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redact } from '../../src/redact/redact.js';
import { findSecrets, ruleMatches } from '../../src/secrets/detect.js';
import { looksRandom } from '../../src/secrets/entropy.js';
import { isPlaceholder } from '../../src/secrets/filters.js';
import { KeywordSet } from '../../src/secrets/keywords.js';
import { SECRET_RULES } from '../../src/secrets/rules.js';

const rules = (text: string) => redact(text, findSecrets(text)).findings.map((f) => f.rule);
const redacted = (text: string) => redact(text, findSecrets(text)).text;

test('provider tokens are replaced by <KEY>', () => {
  assert.equal(redacted('token = "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"'), 'token = "<KEY>"');
  assert.deepEqual(rules('AKIAZ3MBQJX7T4LD5KWN'), ['aws-access-key-id']);
  assert.deepEqual(rules('const k = "sk_live_ReTllpYQYfIZu2Jnf2lAPFjD";'), ['stripe-secret-key']);
  assert.deepEqual(rules('glpat-hellOworld380_testin'), ['gitlab-token']);
  // a provider's format identifies the credential even with a filler body (detect-secrets flags these too)
  assert.deepEqual(rules('https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX'), ['slack-webhook']);
  assert.deepEqual(rules('X-JFrog-Art-Api: AP6xxxxxxxxxx'), ['artifactory-key']);
  assert.deepEqual(rules('A3T0ZZZZZZZZZZZZZZZZ'), ['aws-access-key-id']);
  assert.ok(rules('jwt: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c').includes('jwt'));
  assert.deepEqual(rules('eyJAAAAAAA.eyJBBBBBBBB'), []); // not JSON inside
});

test('passwords in assignments and URLs become <PASSWORD>; keys must look random', () => {
  assert.equal(redacted("db_password = 'hunter2!x'"), "db_password = '<PASSWORD>'");
  assert.equal(redacted('DB_URL=postgres://admin:s3cr3tPass@db.internal:5432/app'), 'DB_URL=postgres://admin:<PASSWORD>@db.internal:5432/app');
  assert.equal(redacted('api_key: "Zk3f9Qm2LxW8vR4tYp7N"'), 'api_key: "<KEY>"');
  assert.equal(redacted('mimi=gX69YO4CvBsVjzAwYxdGyDd30t5+9ez31gKATtj4'), 'mimi=<KEY>');
  assert.deepEqual(rules('api_key: "getElementById"'), []);
  assert.deepEqual(rules('cacheKey = "user_profile_settings_v2"'), []);
});

test('placeholders, hashes, UUIDs, versions, references and ids are not secrets', () => {
  for (const line of [
    'password = "changeme"',
    'api_key = "xxxxxxxxxxxxxxxxxxxx"',
    'token: "<your-key>"',
    'GITHUB_TOKEN=${GITHUB_TOKEN}',
    'password: process.env.DB_PASSWORD',
    'sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"',
    '"integrity": "sha512-Zk3f9Qm2LxW8vR4tYp7NZk3f9Qm2LxW8vR4tYp7N"',
    'uuid = "203db13e-70c7-462b-9a3d-bf32640cb0be"',
    'version = "1.2.3-beta.1"',
    'foreign_key_id = vh987tyw9ehy8ghis7vwyhiwbwitefy7w3ASDGYDGUASDG',
    'secret = "0123456789abcdef"',
    'password: options.password,',
    'readonly STENCIL_PASS_DEPTH_PASS: 0x0B96;',
    'https://user:password@example.com',
  ]) {
    assert.deepEqual(rules(line), [], line);
  }
  assert.ok(isPlaceholder('AKIAXXXXXXXXXXXXXXXX'));
  assert.ok(!isPlaceholder('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'));
});

test('a private key body is replaced and its BEGIN/END lines kept', () => {
  const key =
    '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\nVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n-----END RSA PRIVATE KEY-----\n';
  const text = `const a = 1;\n${key}const b = 2;\n`;
  const out = redacted(text);
  assert.equal(out, 'const a = 1;\n-----BEGIN RSA PRIVATE KEY-----\n<KEY>\n-----END RSA PRIVATE KEY-----\nconst b = 2;\n');
});

test('entropy: random keys pass, patterns, words and short strings do not', () => {
  assert.ok(looksRandom('f6CGV4aMM9zedoh3OUNbSakBymo7yplB'));
  assert.ok(looksRandom('8b1118b376c313ed420e5133ba91307817ed52c2'));
  assert.ok(!looksRandom('abcd1234abcd1234abcd1234abcd1234abcd1234'));
  assert.ok(!looksRandom('XMLHttpRequestUpload'));
  assert.ok(!looksRandom('a1b2c3d4')); // 8 characters: too short
});

test('keyword set finds keywords case-insensitively in one pass', () => {
  const k = new KeywordSet(['ghp_', 'akia', 'hooks.slack.com', 'he', 'she']);
  const found = [...k.find('Token GHP_abc at HOOKS.slack.com; ushers')].map((i) => k.keywords[i]).sort();
  assert.deepEqual(found, ['ghp_', 'he', 'hooks.slack.com', 'she']);
  assert.equal(k.find('nothing here but text ü').size, 1); // "he" in "here"
});

test('ported provider formats: Codecov, LinkedIn, Authress, base64 JWT, SendGrid, Flutterwave, Duffel, lower-case key headers', () => {
  assert.deepEqual(rules('CODECOV_TOKEN = "a1b2c3d4e5f60718293a4b5c6d7e8f90"'), ['codecov-token']);
  assert.deepEqual(rules('linkedin_client_secret: "Xq7TrB2mWk9sLp4Z"'), ['linkedin-client-secret']);
  assert.deepEqual(rules('"sc_k2j4h5g6f7.ab12.acc_t9x8w7v6u5s4.Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg"'), ['authress-access-key']);
  // base64 of a JWT: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig"
  const b64jwt = Buffer.from('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlc2lnbmF0dXJl').toString('base64');
  assert.deepEqual(rules(`token = "${b64jwt}"`), ['jwt-base64']);
  assert.deepEqual(rules('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'), ['sendgrid-api-key']);
  assert.deepEqual(rules('FLWPUBK_TEST-0b7a2d5c9e1f3a6b8c4d2e0f1a3b5c7d-X'), ['flutterwave-key']);
  assert.deepEqual(rules('duffel_TEST_kDVL5o3dlvvENLcqX4yhSzTM7DJOw4c2uxsIChK7hjm'), ['duffel-token']);
  assert.ok(redacted('-----begin private key-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----end private key-----').includes('<KEY>'));
});

test('string literals with no name: random keys and provider-style tokens, not tables, ids or encoded text', () => {
  assert.deepEqual(rules('call("zqvx_live_63af2b4a6af511346f8c850a6b014aaa9db2aea04f7e3780")'), ['generic-prefixed-token']);
  assert.deepEqual(rules('["q8X2vN7rT4mK9pL3wB6yH1cF5"]'), ['generic-high-entropy-string']);
  for (const line of [
    'table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"',
    '["TWFueSBoYW5kcyBtYWtlIGxpZ2h0IHdvcms="]', // "Many hands make light work"
    '["203db13e-70c7-462b-9a3d-bf32640cb0be"]',
    'diag(95173, 3, "Rename_param_tag_name_0_to_1_95173")',
    '["XMLHttpRequestEventTarget2"]',
  ]) {
    assert.deepEqual(rules(line), [], line);
  }
});

test('rules found by a native search (anchor, literals) match what matchAll finds', () => {
  const body = (n: number, seed: number) => Array.from({ length: n }, (_, i) => 'aZ9_-Qx7Lm'[(i * 7 + seed) % 10]).join('');
  const token = (head: string) => `${head}${body(23, 1)}.${body(6, 2)}.${body(30, 3)}`;
  const text = [
    `bot = "${token('M')}"`,
    `two ${token('N')}.${token('O')} ${token('N')}`,
    `x.${token('O')}..a.b.c.length.toString() ${token('Mx')}`,
    `.${body(6, 4)}.${body(6, 5)}.${body(40, 6)} SK${'a1'.repeat(16)} AC${'b2'.repeat(16)}x AKCp${body(12, 7)}`,
  ].join('\n');
  for (const rule of SECRET_RULES.filter((r) => r.anchor || r.literals)) {
    const expected = [...text.matchAll(new RegExp(rule.regex.source, rule.regex.flags))].map((m) => [m.index, m[0]]);
    assert.deepEqual(
      [...ruleMatches(rule, text)].map((m) => [m.index, m[0]]),
      expected,
      rule.id,
    );
  }
  assert.equal(rules(`bot = "${token('M')}"`).filter((r) => r === 'discord-bot-token').length, 1);
});
