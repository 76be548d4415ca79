import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findSecrets } from '../../src/secrets/detect.js';
import { isFiller, isPrefixedDigest } from '../../src/secrets/filters.js';
import { isFillerRun, isPlaceholder, isTemplate } from '../../src/secrets/placeholders.js';

const flagged = (text: string): boolean => findSecrets(text).length > 0;

test('a constant run inside a random body is a format, runs over a stand-in are filler', () => {
  // a constant segment (`AAAAAAAAAA`) or a zero-padded counter in a random token
  assert.ok(!isFillerRun('SxlfSJLUbZeaAAAAAAAAAAp9On1MhZ9iGwooaKIJS4FW75kEhxhO'));
  assert.ok(!isFillerRun('tok-0000000721gHtupfCYdBQPyzggv5NfHcn'));
  assert.ok(!isPlaceholder('pat_v1.00000024inICEdymBxAbAFRi'));
  // runs making a third of the value or more, or leaving no random string of 16 characters
  assert.ok(isFillerRun('0000000000000000'));
  assert.ok(isFillerRun('sk_live_000000000000000000000000'));
  assert.ok(isFillerRun('AKIA1234____________'));
  assert.ok(isFillerRun('Zk3f9Qm2aaaaaaaaaaaaaaaa'));
  // x's are typed over secrets: a stand-in wherever they stand
  assert.ok(isPlaceholder('sk_live_xxxxxxxxxxxxxxxxxxxxxxxx'));
  assert.ok(isPlaceholder('Atza%7CIQEBLjAsAhRFiXuWpUXuRvQ9PZL3GMFcYevydwIUFAHZwXZXXXXXXXXJnrulxKDHwy87oGKPznh0D6bEQZTSCzyo'));
  assert.ok(isPlaceholder('sk-****************'));
});

test('templates are whole templates, not characters a generated password holds', () => {
  for (const t of ['${API_TOKEN}', 'Bearer ${token}', '${{ secrets.TOKEN }}', '{{ .Values.apiToken }}', '{% secret %}', '%s', 'key-%(name)s', '%1$s', '<your-key>', 'process.env.TOKEN', '%API_KEY%']) {
    assert.ok(isTemplate(t), t);
  }
  // an unclosed `${`, `{{` or a `%` before letters ending in `s` (URL encoding) is no template
  for (const v of ['J)(dc!#sIk]A?S,2&qw(|vmqI82KCHS4${-pHPnj', 'a{{Zk3f9Qm2LxW8vR4t', 'Gw5FlZAP6JUB7nfvGSRU5SXM2W2%2Fmlks', 'U%2Btj5m%2BEMQiJNEZVjzo%2FNTNpBkBKX95WQ']) {
    assert.ok(!isTemplate(v), v);
  }
});

test('a value reading a variable is a reference; a password starting with $ and a letter is not', () => {
  for (const r of ['$API_KEY', '$env:TOKEN', '$this->apiKey', "$config['api_key']", '$ENV{API_KEY}', '$USER:$PASS']) assert.ok(isTemplate(r), r);
  assert.ok(!isTemplate('$kT9#x!Qz7@wLm2%Vb8^Rn4&'));
  assert.ok(flagged('password = "$kT9#x!Qz7@wLm2%Vb8^Rn4&"'));
  assert.ok(!flagged('password = "$DB_PASSWORD"'));
});

test('stand-in words count as a person writes them, not as random letters happen to spell them', () => {
  for (const v of ['fake_key_value', 'myFakeKey', 'YOUR_API_KEY', 'YourApiKey', 'afakekey', 'Dummy-Token', 'insert_key_here', 'changeme', 'ChangeMe', 'PlaceHolder']) assert.ok(isPlaceholder(v), v);
  // `faKE`, `SamPle` inside a long random token
  assert.ok(!isPlaceholder('pypi-AgEIcHlwaS5vcmc6SkvODWz531uosT9idVxSjKrOoKiXV9lkyaATFBbTnfaKEZfd_r7InEDXdkeKVlouVvwwnC'));
  assert.ok(!isPlaceholder('q8SamPle3vT0wZk2LxW8vR4tYp7N'));
});

test('digests are named as digests are written: `sha256~` is a token prefix', () => {
  assert.ok(isPrefixedDigest('sha512-Zk3f9Qm2LxW8vR4tYp7NZk3f9Qm2LxW8vR4tYp7N'));
  assert.ok(isPrefixedDigest('sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'));
  assert.ok(!isPrefixedDigest('sha256~Zk3f9Qm2LxW8vR4tYp7N-k3f9Qm2LxW8vR4tYp7NZk3f9Q'));
});

test('the detector flags random secrets with these features and leaves stand-ins alone', () => {
  assert.ok(flagged('api_token = "SxlfSJLUbZeaAAAAAAAAAAp9On1MhZ9iGwooaKIJS4FW75kEhxhO"'));
  assert.ok(flagged('SERVICE_API_KEY=U%2Btj5m%2BEMQiJNEZVjzo%2FNTNpBkBKX95WQ%2BxCSQjkHlITFDgs\n'));
  for (const s of ['api_token = "tk_000000000000000000000000"', 'api_token = "${API_TOKEN}"', 'password = "%(db_password)s"', 'token = "ghp_1234xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"']) {
    assert.ok(!flagged(s), s);
  }
});

test('random lower-case letters are a password, a word or label is not; a block typed twice is filler', () => {
  assert.ok(flagged('password = "qzkvmbxtrwplhcnd"'));
  assert.ok(flagged('client_secret: vrhrfnnxzvrowrzaziof'));
  for (const s of ['password = "required"', 'password: "Hidden"', 'password = "new-password"', 'secret = "keyboard cat"']) assert.ok(!flagged(s), s);
  assert.ok(isFiller('1234567890abcdef1234567890abcdef'));
  assert.ok(!flagged('api_token = "1234567890abcdef1234567890abcdef"'));
  assert.ok(!isFiller('Zk3f9Qm2LxW8vR4tYp7NZk3f9Qm2LxW8'.slice(0, 16) + 'f6CGV4aMM9zedoh3'));
});

test('an Authorization header holding random letters of one case is a token', () => {
  assert.ok(flagged('curl -H "Authorization: Bearer qzkvmbxtrwplhcndgfsj" https://api.example.com'));
  assert.ok(flagged('Authorization: token QZKVMBXTRWPLHCNDGFSJ'));
  assert.ok(!flagged('Authorization: Bearer authenticationtoken'));
});

test('letters alone are judged by the name a call or subscript gives them; mixed-case letters with a quarter of case changes under a key name', () => {
  assert.ok(flagged('client.setApiToken("wnxptmrmfqhzzvpzutfm");'));
  assert.ok(flagged('headers["X-Auth-Token"] = "QZKVMBXTRWPLHCNDGFSJ"'));
  assert.ok(!flagged('client.setApiToken("authenticationtoken");'));
  assert.ok(!flagged('const x = "qzkvmbxtrwplhcndgfsj";')); // no name: letters of one case are no key
  assert.ok(flagged('API_TOKEN=oyRUTLLKOXySxsxsrODFyVGV\n'));
  assert.ok(!flagged('api_key: "XMLHttpRequestUpload"'));
});
