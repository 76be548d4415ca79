import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gitleaksCases } from '../../bench/accuracy/_gitleaks.js';
import { isHeldOut } from '../../bench/accuracy/_common.js';
import { redact } from '../../src/redact/redact.js';
import { findSecrets, SecretDetector } from '../../src/secrets/detect.js';
import { looksRandom } from '../../src/secrets/entropy.js';
import { isFiller } from '../../src/secrets/filters.js';
import { wordCoverage } from '../../src/secrets/words.js';
import { needsShared, sharedPath } from '../helpers/shared.js';
import { randomStrings } from './helpers.js';

const rules = (text: string) => redact(text, findSecrets(text)).findings.map((f) => f.rule);
const redacted = (text: string) => redact(text, findSecrets(text)).text;

test('word coverage comes from a dictionary: identifiers and phrases are words, random keys are not', () => {
  for (const s of ['getElementById', 'XMLHttpRequestUpload', 'thequickbrownfoxjumpsoverthelazydog', 'Update_modifiers_of_0_90061', 'webpackChunkName2']) {
    assert.ok(wordCoverage(s) >= 0.5, s);
  }
  // runs the former "pronounceable" test took for words
  for (const s of ['NWodlezSxmVgC9ly', 'XAuqmLeJiniowABoj5y3ZxyUn', 'ErKMO3yRZPouKOALJii4DukxiSZs93NX']) assert.ok(wordCoverage(s) < 0.3, s);
  const b62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const keys = randomStrings(b62, 20, 2000, 7);
  assert.ok(keys.filter((k) => wordCoverage(k) >= 0.3).length < 20, 'under 1% of random 20-character keys read as words');
  assert.ok(keys.filter((k) => looksRandom(k)).length > 1900, 'random keys look random');
});

test('looksRandom: separators are structure, words and identifiers without digits are not keys', () => {
  assert.ok(looksRandom('0-ff0aa63e0ffb1725e5ec794b-6f0a228ddd3df64974f12027e097d59f615a2ab3ed2aabe15fb60f04a0204af'));
  assert.ok(looksRandom('YzKURqGcdFhgEsTG')); // no digit, but case changes as a random string has them
  for (const s of ['Credential', 'prettyToken', 'punctuator', 'linkified']) assert.ok(!looksRandom(s), s);
});

test('provider-style tokens of providers without a rule', () => {
  for (const token of [
    'zqv_aat_YzKURqGcdFhgEsTG', // body without a digit
    'zqvx_df81ffaea403aeed245bafe648fcb79c', // a hex body that spells "face", "bead"
    'qx-s4t2ud-3f2a9c0d1e4b5a6978c0d1e2f3a4b5c6d7e8f9013f2a9c0d1e4b5a6978c0d1e2',
    'b_q8X2vN7rT4mK9pL3wB6yH1cF5Zk3f9Qm2LxW8vR4tYp7', // a one-letter prefix
    `v1.0-ff0aa63e0ffb1725e5ec794b-${'6f0a228ddd3df64974f12027e097d59f615a2ab3ed2aabe15fb60f04a0204af9'.repeat(2)}`, // no version
    `zqvt.${randomStrings('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', 280, 1, 7)[0]}`, // longer than 300
    'qzpk3f2a9c0d1e4b5a6978c0d1e2f3a4b5c6', // letters glued to a hex body
  ]) {
    assert.deepEqual(rules(`x = call("${token}")`), ['generic-prefixed-token'], token);
  }
  for (const line of [
    'sha1_3f2a9c0d1e4b5a6978c0d1e2f3a4b5c6d7e8f901', // a digest behind its name
    'v1.2.3-beta.4+build.5114f85', // a version
    'Z808989fd-3a6e-4af2-b607-737323a176f6', // an id built on a UUID
  ]) {
    assert.deepEqual(rules(`x = call("${line}")`), [], line);
  }
});

test('authorization headers, command-line flags, curl headers and XML elements', () => {
  const token = 'q8X2vN7rT4mK9pL3wB6yH1cF5';
  assert.equal(redacted(`curl -H 'Authorization: Bearer ${token}' https://api.example.com`), "curl -H 'Authorization: Bearer <KEY>' https://api.example.com");
  assert.deepEqual(rules(`headers = {"Authorization": "token ${token}"}`), ['authorization-token']);
  const basic = Buffer.from('deploy:T7v!q2Rz9w').toString('base64');
  assert.equal(redacted(`Authorization: Basic ${basic}`), 'Authorization: Basic <PASSWORD>');
  assert.deepEqual(rules(`mytool --api-key=${token} --verbose`), ['generic-key']);
  assert.deepEqual(rules(`mytool --token ${token}`), ['generic-key']);
  assert.deepEqual(rules(`curl --header "X-Api-Key: ${token}" https://x`), ['generic-key']);
  assert.deepEqual(rules('<password>T7v!q2Rz9w</password>'), ['generic-password']);
  for (const line of [
    "headers: { Authorization: 'Bearer ' + token }",
    'headers: { Authorization: `Bearer ${token}` }',
    `Authorization: Basic ${Buffer.from('user:password').toString('base64')}`, // a placeholder password
    'Authorization: Bearer YOUR_ACCESS_TOKEN_HERE',
    'mytool --password-file /etc/secret.txt',
    'mytool --token $API_TOKEN',
    '<key>Enter</key>',
  ]) {
    assert.deepEqual(rules(line), [], line);
  }
});

test('filler and documentation samples are no secrets for the generic rules; a provider format still is', () => {
  assert.ok(isFiller('abcd1234abcd1234abcd1234ABCD1234ABCD1234--__extra'));
  assert.ok(isFiller('1234567890abcdef1234567890abcdef1234567890abcdefextra'));
  assert.ok(!isFiller('q8X2vN7rT4mK9pL3wB6yH1cF5'));
  assert.deepEqual(rules('ibm-cloud-pwd = abcd1234abcd1234abcd1234ABCD1234ABCD1234--__extra'), []);
  assert.deepEqual(rules('api_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEYa"'), []);
  // AWS's documented sample key in the AWS format: detect-secrets flags it, and so does the AWS rule
  assert.deepEqual(rules('aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"'), ['aws-secret-access-key']);
  assert.deepEqual(rules(`https://acct-1:${'abcd1234'.repeat(8)}@acct-1.cloudant.com/db`), ['cloudant-url-password']);
});

test('a literal assigned to a name that says it is a digest or an id is not judged again as a nameless string', () => {
  assert.deepEqual(rules('Public-Key-Pins: pin-sha256="K87oWBWM9UZfyddvDfoxL+8lpNyoUB2ptGtn0fv6G2Q="; max-age=0'), []);
  assert.deepEqual(rules('UploadId: "ibZBv_75gd9r8lH_gqXatLdxMVpAlj6ZQjEs.OwyF3953YdwbcQnMA2BLGn8"'), []);
});

test('generic rules alone find the tuning half of the gitleaks-generated token cases', needsShared, () => {
  const { cases } = gitleaksCases(sharedPath('data', 'code', 'gitleaks-rules.json'));
  const generic = new SecretDetector([]);
  const tokens = cases.filter((c) => c.positive && c.kind === 'token' && !isHeldOut(c.rule));
  const found = tokens.filter((c) => generic.find(c.text).length > 0).length;
  // what stays unfound: generator artefacts (backslashes in base64, random bytes around a key
  // header) and Slack app tokens drawn with three-character parts
  assert.ok(found / tokens.length >= 0.9, `${found}/${tokens.length}`);
  const negatives = cases.filter((c) => !c.positive);
  assert.equal(negatives.filter((c) => generic.find(c.text).length > 0).length, 0);
});

test('nameless tokens without a separator: one-case letters and digits, an upper-case prefix glued to hex, parted tokens', () => {
  for (const token of [
    'QZ7KX2M9VTR4PLW8NB3HJ6', // upper-case letters and digits (AKIA-like ids and keys, base32 seeds)
    'JBSWY3DPEHPK3PXPK5LT7ZQM', // base32: fewer digits, still two or more
    'k3x9q2m7vz8w4p1r6t5y0nbcq7z4', // lower-case letters and digits, 26 characters or more
    'QW3f9c2e1b4d8f6a0c5e9b3d7f1a2c4e5b', // an upper-case prefix glued to lower-case hex
    '0a1b2c3d4e5f60.qwzv1.Zk3f9Qm2LxW8vR4tYp7NqB5sHc', // its longest part is random
    'q8X2vN7rT4mK9pL3wB6yH1cF5Zk_mmk', // a suffix
    'zq1Q~Zk3f9Qm2LxW8vR4tYp7N.q8X2vN7rT4m', // `~` separates parts
  ]) {
    assert.deepEqual(rules(`x = call("${token}")`), ['generic-prefixed-token'], token);
  }
  for (const id of [
    '01ARZ3NDEKTSV4RRFFQ69G5FAV', // a ULID
    'cjld2cyuq0000t3rmniod1foy', // a cuid
    'P3Y6M4DT12H30M5S', // an ISO 8601 duration
    'AaBbCcDdEeFfGgHhiJjKkLmNnoPpQqRrSsTtUuVvWwXxYyZz', // an alphabet table in pairs
    'ERRINVALIDARGTYPE', // upper-case words
    '3f2a9c0d1e4b5a6978c0d1e2f3a4b5c6', // a bare digest
  ]) {
    assert.deepEqual(rules(`x = call("${id}")`), [], id);
  }
});

test('URLs: webhook paths and secret-named query parameters', () => {
  const token = 'q8X2vN7rT4mK9pL3wB6yH1cF';
  assert.equal(redacted(`hook = "https://hooks.example.com/services/T01234/B05678/${token}"`), 'hook = "https://hooks.example.com/services/T01234/B05678/<KEY>"');
  assert.deepEqual(rules(`fetch("https://api.example.io/webhooks/123456789012345678/${token}Zk3f9Qm2")`), ['webhook-url']);
  assert.deepEqual(rules(`get("https://api.example.com/v1/items?limit=5&access_token=${token}&x=1")`), ['generic-key']);
  for (const line of [
    '[![codecov](https://codecov.io/gh/a/b/graph/badge.svg?token=37tZMQE0Sy)]', // a badge's public token
    'see https://example.com/docs/getting-started/authentication-overview', // words, no hook
    `https://hooks.example.com/services/${'1'.repeat(18)}/00000000-1111-2222-3333-444444444444`, // ids
  ]) {
    assert.deepEqual(rules(line), [], line);
  }
});

test("provider rules take detect-secrets' assignment forms and its plugins' formats", () => {
  const hex64 = '669b24a302f8c1ca619ba92fd6b6601f853e1c6fd97e280e9454db42ab31b277';
  for (const line of [`["softlayer_api_key"]="${hex64}"`, `sl_token::${hex64}`, `softlayer_key(${hex64})`, `$config['cl_token'] = '${hex64}';`]) {
    assert.ok(
      rules(line).some((r) => r === 'softlayer-api-key' || r === 'cloudant-password'),
      line,
    );
  }
  assert.deepEqual(rules(`secret-access-key = "${'1234567890abcdef'.repeat(3)}"`), ['ibm-cos-hmac-secret']);
  assert.deepEqual(rules(`"AC${'x'.repeat(32)}"`), ['twilio-api-key']); // the format with a filler body, as the plugin flags it
  assert.deepEqual(rules(`SG.${'a'.repeat(22)}.${'b'.repeat(43)}`), ['sendgrid-api-key']);
  assert.deepEqual(rules('q7k2m9x4v8w3z6p1r5t0y2u4i8o6a3s7-us12'), ['mailchimp-api-key']); // not only hex
  assert.deepEqual(rules('sk_live_q8X2vN7rT4mK9pL3wB6yH1cF_extra'), ['stripe-secret-key']); // `_` may follow the key
});
