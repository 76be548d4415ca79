import assert from 'node:assert/strict';
import { test } from 'node:test';
import { oneCaseRandom } from '../../src/secrets/entropy.js';
import { literalName } from '../../src/secrets/literal-names.js';
import { gluedToken, prefixedToken, randomKey } from '../../src/secrets/tokens.js';
import { BASE62, HEX, LOWER, flagged, generic, randomStrings, share } from './helpers.js';

test('a prefix is read at its first separator too, when the longest reading eats the body', () => {
  // TOKEN_PREFIX takes `vetuc_IXjmj_0flp.` here, leaving 9 characters
  assert.ok(prefixedToken('vetuc_IXjmj_0flp.X9_rqKKGe'));
  assert.ok(prefixedToken('ab.cd.RDTohXQYHSNEHKeGq7'));
  for (const id of ['nk_reduce_minmax_f64_skylake', 'nk_e4m3x16_to_f16x8x2_neon_', 'Rename_param_tag_name_0_to_1_95173', 'my_app_v2.3.1-beta_build']) assert.ok(!prefixedToken(id), id);
});

test('a body of short random parts is judged whole; snake_case words are not', () => {
  const bodies = randomStrings(BASE62 + '-_.~', 24, 300, 11);
  assert.ok(share(bodies, (b) => prefixedToken(`svc_${b}`)) > 0.95);
  // hex and upper-case base36 in dashed halves (`NAME-<8>-<8>`)
  const halves = randomStrings(HEX, 16, 200, 3);
  assert.ok(share(halves, (b) => prefixedToken(`ACME-${b.slice(0, 8)}-${b.slice(8)}`)) > 0.9);
  // names from node_modules' C++ sources that an earlier draft flagged
  for (const id of ['usr_reduce_minmax_bf16_haswell', 'pkg-lodash-debounce-4', 'my_token_name_for_tests', 'cast_bf16_to_f32_icelake', 'nk_bf16x4_to_f32x4_v128relaxed_']) {
    assert.ok(!prefixedToken(id), id);
  }
});

test('a hex body with a short checksum beside it is judged by its hex', () => {
  const bodies = randomStrings(HEX, 32, 200, 5);
  const tags = randomStrings(BASE62, 6, 200, 6);
  assert.ok(share(bodies, (b) => prefixedToken(`acme_${b}_${tags[bodies.indexOf(b)]}`)) > 0.95);
  // a digest behind a prefix that names one stays a digest
  assert.ok(!prefixedToken(`sha_${bodies[0]}_${tags[0]}`));
});

test('URL-safe keys with scattered . and ~ are keys; paths, names and versions are not', () => {
  const keys = randomStrings(BASE62 + '.~', 32, 300, 9).filter((k) => !/^[.~]|[.~]$|[.~]{2}/.test(k));
  assert.ok(share(keys, randomKey) > 0.9);
  for (const s of ['./data/ABAP_20_CDS.js', '//elinux.org/RPi_BCM2835_GPIOs', 'LZMA-SDK-9.11-to-9.20', 'Microsoft.AspNetCore.Mvc.Razor2', './loadSso-BGYXHf8s.js', 'numpy.PyArray_MultiIterNew1'])
    assert.ok(!randomKey(s), s);
});

test('an upper-case prefix glued to a random lower-case alphanumeric body', () => {
  const bodies = randomStrings('0123456789' + LOWER, 32, 200, 13);
  assert.ok(share(bodies, (b) => gluedToken(`MU${b}`)) > 0.8);
  assert.ok(!gluedToken('REVISION0a1b2c3d4e5f6a7b8c9d0e1f2a3b'), 'a digest prefix');
  assert.ok(!gluedToken('HTTPrequestsarehandledbythisfunction2'), 'words');
});

test('a string literal of mixed-case letters alone, 24 or more, is a key candidate; identifiers are not keys', () => {
  const keys = randomStrings(LOWER + LOWER.toUpperCase(), 32, 200, 17);
  assert.ok(share(keys, (k) => flagged(JSON.stringify(k)).length > 0) > 0.85);
  for (const id of ['getElementsByClassNameAndTagName', 'XMLHttpRequestEventTarget', 'onBeforeUnloadEventHandlerNonNull']) assert.deepEqual(flagged(`x("${id}")`), [], id);
});

test('letters of one case under a key name are a key when random, not when words', () => {
  assert.ok(oneCaseRandom('qzkvmbxtrwplhcnd'));
  assert.deepEqual(flagged('service_api_token = "qzkvmbxtrwplhcndyf"'), ['qzkvmbxtrwplhcndyf']);
  for (const w of ['backgroundcolors', 'thequickbrownfoxjumps', 'abcdefghijklmnopqr']) assert.deepEqual(flagged(`api_token = "${w}"`), [], w);
  const keys = randomStrings(LOWER, 20, 200, 19);
  assert.ok(share(keys, (k) => flagged(`auth_token: "${k}"`).length > 0) > 0.9);
});

test('a literal named by a setter, a key argument, a subscript or <- is judged by that name', () => {
  const key = 'a3f9c2e7b1d84f6a9c0e2b7d5f1a8c3e';
  for (const text of [`client.setApiToken("${key}");`, `headers.put("api_token", "${key}");`, `headers["X-Auth-Token"] = "${key}"`, `api_token <- "${key}"`, `withClientSecret('${key}')`]) {
    assert.deepEqual(flagged(text), [key], text);
  }
  // reading, testing or hashing calls take names and data, and id names are ids
  for (const text of [`cache.getToken("${key}")`, `verifySecret("${key}")`, `headers.put("request_id", "${key}");`, `build_id <- "${key}"`]) {
    assert.deepEqual(flagged(text), [], text);
  }
  const before = (s: string): string | undefined => literalName(s + '"', s.length);
  assert.equal(before('x = setToken('), 'setToken');
  // a key argument names the value; a name that says nothing leaves a hex value to the nameless tests
  assert.equal(before('render("token_template", '), 'token_template');
  assert.deepEqual(flagged(`render("token_template", "${key}")`), []);
});

test('a Dockerfile ENV line without = holds its value after a blank', () => {
  const key = 'fb22e345b7cecc47b1620f544827653d';
  const text = `FROM node:20\nENV API_TOKEN ${key}\nENV NODE_ENV production\nRUN npm ci\n`;
  assert.deepEqual(flagged(text), [key]);
  assert.deepEqual(flagged(`FROM node:20\nENV BUILD_ID ${key}\n`), []);
});

test('a typed declaration names its value: name: Type = "…"', () => {
  const key = 'a3f9c2e7b1d84f6a9c0e2b7d5f1a8c3e';
  for (const text of [`const apiToken: string = "${key}";`, `API_TOKEN: str = "${key}"`, `const API_TOKEN: &str = "${key}";`, `val clientSecret: String = "${key}"`]) {
    assert.deepEqual(flagged(text), [key], text);
  }
  // an id stays an id when typed, and a header's `Name: a=b` is no annotation
  const letters = 'QwErTyUiOpAsDfGhJkLzXcVbNm';
  assert.deepEqual(flagged(`const buildId: string = "${letters}";`), []);
  assert.deepEqual(flagged('Public-Key-Pins: pin-sha256="K87oWBWM9UZfyddvDfoxL+8lpNyoUB2ptGtn0fv6G2Q="; max-age=0'), []);
});

test('JSON or code written as a string: its own escaped-quote assignments are read, the rest stays byte-identical', () => {
  const key = 'a3f9c2e7b1d84f6a9c0e2b7d5f1a8c3e';
  const text = `const body = "{\\"apiToken\\": \\"${key}\\", \\"region\\": \\"eu-west-1\\"}";\nsend(body);\n`;
  const spans = generic.find(text);
  assert.deepEqual(
    spans.map((s) => text.slice(s.start, s.end)),
    [key],
  );
  assert.equal(text.slice(0, spans[0].start) + '<KEY>' + text.slice(spans[0].end), text.replace(key, '<KEY>'));
  // an id in the same place is left alone, and a plain string holding quotes is no assignment
  assert.deepEqual(flagged(`const body = "{\\"requestId\\": \\"${key}\\"}";`), []);
  assert.deepEqual(flagged('const msg = "say \\"hello\\": it works";'), []);
});
