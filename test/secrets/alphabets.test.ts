import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SecretDetector } from '../../src/secrets/detect.js';
import { alphabetSize, looksRandom } from '../../src/secrets/entropy.js';

/** The generic rules alone: a provider rule would decide some cases by itself. */
const generic = new SecretDetector([]);
const flagged = (text: string): boolean => generic.find(text).length > 0;

function randomStrings(alphabet: string, length: number, count: number, seed = 7): string[] {
  let x = seed;
  const next = () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) >>> 8) % alphabet.length;
  return Array.from({ length: count }, () => Array.from({ length }, () => alphabet[next()]).join(''));
}
const share = (xs: string[], test: (x: string) => boolean): number => xs.filter(test).length / xs.length;
const MIXED_HEX = '0123456789abcdefABCDEF';

test('hex digits of both cases are a 22-symbol alphabet, not base62', () => {
  assert.equal(alphabetSize('D80A7fA1e3049DEB4eaC4dBE'), 22);
  assert.equal(alphabetSize('d80a7fa1e3049deb4eac4dbe'), 16);
  assert.equal(alphabetSize('D80A7fA1e3049DEB4eaC4dBx'), 62);
  const bodies = randomStrings(MIXED_HEX, 40, 400);
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
