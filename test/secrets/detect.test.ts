import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redact } from '../../src/redact/redact.js';
import { findSecrets } from '../../src/secrets/detect.js';
import { looksRandom } from '../../src/secrets/entropy.js';
import { isPlaceholder } from '../../src/secrets/filters.js';
import { KeywordSet } from '../../src/secrets/keywords.js';

const rules = (text: string) => redact(text, findSecrets(text)).findings.map((f) => f.rule);
const redacted = (text: string) => redact(text, findSecrets(text)).text;

test('provider tokens are replaced by <KEY>', () => {
  assert.equal(redacted('token = "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"'), 'token = "<KEY>"');
  assert.deepEqual(rules('AKIAZ3MBQJX7T4LD5KWN'), ['aws-access-key-id']);
  assert.deepEqual(rules('const k = "sk_live_ReTllpYQYfIZu2Jnf2lAPFjD";'), ['stripe-secret-key']);
  assert.deepEqual(rules('glpat-hellOworld380_testin'), ['gitlab-token']);
  assert.deepEqual(rules('https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX'), []); // placeholder run
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
