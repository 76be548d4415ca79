import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pairedName } from '../../src/secrets/paired-names.js';
import { BASE62, HEX, flagged, randomStrings, share } from './helpers.js';

test('an unquoted value under a key name is read as a token, prefix and all', () => {
  // the prefix pulls the whole value's randomness below the bar; quoted, the literal scan found these already
  const bodies = randomStrings(HEX, 64, 200, 5);
  assert.ok(share(bodies, (b) => flagged(`service:\n  api_key: dop_v1_${b}\n`).length === 1) > 0.95);
  assert.ok(share(bodies, (b) => flagged(`SERVICE_TOKEN=v1.0-${b.slice(0, 24)}-${b}\n`).length === 1) > 0.95);
  assert.deepEqual(flagged(`API_KEY=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\n`), ['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']);
});

test('a dotted token is no member access; member access and words under key names stay unflagged', () => {
  const parts = randomStrings(BASE62, 22, 100, 9);
  assert.ok(share(parts, (p) => flagged(`  api_key: pat.${p}.${p.slice(0, 16)}\n`).length === 1) > 0.95);
  for (const line of ['api_key: settings.SECRET_KEY_BASE', 'token: config.auth.accessToken', 'api_key: my_service_key_name', 'auth_token: request.headers.authorization']) {
    assert.deepEqual(flagged(`${line}\n`), [], line);
  }
});

test('a `value` field goes by the name in its sibling `key` or `name` field', () => {
  const hex = '8f2ce58ed4c5a31a6b4d70c7fc8c306c';
  assert.deepEqual(flagged(`<add key="StripeApiToken" value="${hex}" />`), [hex]);
  assert.deepEqual(flagged(`<property name="password" value="p@ss!w0rd"/>`), ['p@ss!w0rd']);
  assert.deepEqual(flagged(`env:\n  - name: SERVICE_API_TOKEN\n    value: ${hex}\n`), [hex]);
  assert.deepEqual(flagged(`[{"name": "SERVICE_API_TOKEN", "value": "${hex}"}]`), [hex]);
  // id-like and neutral siblings leave the value alone, even one random enough to be flagged with no name
  const random = 'Zx8kQ2mP9rT4vW7yB3nL';
  for (const text of [`<add key="Region" value="${hex}" />`, `- name: BUILD_ID\n  value: ${hex}\n`, `<add key="buildId" value="${random}" />`, `[{"name": "TRACE_ID", "value": "${random}"}]`]) {
    assert.deepEqual(flagged(text), [], text);
  }
});

test('pairedName: only a `value` field, and only with a sibling right before it', () => {
  const text = '<add key="ApiToken" value="x" />';
  const at = text.indexOf('value');
  assert.deepEqual(pairedName(text, at, at + 5), [text.indexOf('ApiToken'), text.indexOf('ApiToken') + 8]);
  const other = '<add key="ApiToken" other="x" />';
  assert.equal(pairedName(other, other.indexOf('other'), other.indexOf('other') + 5), undefined);
  const far = `name: ApiToken\n${'x: 1\n'.repeat(3)}value: y`;
  assert.equal(pairedName(far, far.indexOf('value'), far.indexOf('value') + 5), undefined);
});

test('a value in doubled quotes is read between them; empty strings are no values', () => {
  assert.deepEqual(flagged('export SERVICE_API_TOKEN=""JsZkmwODem9PKrjNAU2""\n'), ['JsZkmwODem9PKrjNAU2']);
  assert.deepEqual(flagged('db_password = ""s3cr3t!Pw""\n'), ['s3cr3t!Pw']);
  for (const text of ['api_token = ""\n', "password = ''\n", 'if (token == "") token = ""\n']) assert.deepEqual(flagged(text), [], text);
});
