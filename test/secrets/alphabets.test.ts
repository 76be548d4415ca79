import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alphabetSize, looksRandom } from '../../src/secrets/entropy.js';
import { flagged as flaggedValues, randomStrings, share } from './helpers.js';

const flagged = (text: string): boolean => flaggedValues(text).length > 0;

const MIXED_HEX = '0123456789abcdefABCDEF';

test('hex digits of both cases are a 22-symbol alphabet, not base62', () => {
  assert.equal(alphabetSize('D80A7fA1e3049DEB4eaC4dBE'), 22);
  assert.equal(alphabetSize('d80a7fa1e3049deb4eac4dbe'), 16);
  assert.equal(alphabetSize('D80A7fA1e3049DEB4eaC4dBx'), 62);
  const bodies = randomStrings(MIXED_HEX, 40, 400, 7);
  // judged against base62's entropy, half of these read as repetitive
  assert.ok(share(bodies, (b) => looksRandom(b)) > 0.97);
});

test('a random body of mixed-case hex is a key behind a prefix and under a key name', () => {
  const bodies = randomStrings(MIXED_HEX, 40, 300, 3);
  assert.ok(share(bodies, (b) => flagged(JSON.stringify(`svc_live_${b}`))) > 0.95);
  assert.ok(
    share(
      bodies.map((b) => b.slice(0, 32)),
      (b) => flagged(`service_api_token = "${b}"`),
    ) > 0.95,
  );
});

test('words spelt in hex letters, sequences and repeated blocks of mixed-case hex are not keys', () => {
  assert.ok(!looksRandom('DeadBeefCafeBabeFacade'));
  assert.ok(!looksRandom('AddBeadFaceCafe0123'));
  for (const value of ['aBcDeF0123456789aBcDeF', 'Ab12Cd34Ef56Ab12Cd34Ef56', 'DeadBeefCafeBabeFacade']) {
    assert.ok(!flagged(`api_key = "${value}"`), value);
    assert.ok(!flagged(JSON.stringify(`svc_live_${value}`)), value);
  }
});
