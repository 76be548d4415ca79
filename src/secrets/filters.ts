/**
 * What is not a secret although it sits where one could: placeholders, references to a secret
 * kept elsewhere, hashes, UUIDs, version strings, sequences. Each test looks at the candidate
 * value (and, where said, the name it is assigned to). Placeholders and templates are judged in
 * placeholders.ts.
 */
import { isPlaceholder } from './placeholders.js';

export { isPlaceholder, isTemplate } from './placeholders.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A version, with a pre-release or build tag of a version's length (`1.0.0-rc.1+sha.5114f85`, not `v1.0-` and 170 hex characters). */
const VERSION = /^v?\d+(?:\.\d+){1,3}(?:[-+][\w.-]{0,64})?$/;
/**
 * Hex digests of the usual lengths (MD5, SHA-1, SHA-224/256/384/512) and digests with their
 * algorithm named as digests are written (`sha512-...` in SRI, `sha256:...` in OCI and git-lfs);
 * `sha256~` is OpenShift's token prefix, no digest notation.
 */
const HEX_DIGEST = /^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{56}|[0-9a-f]{64}|[0-9a-f]{96}|[0-9a-f]{128})$/i;
const PREFIXED_DIGEST = /^(?:sha(?:1|224|256|384|512)|md5|blake2b?|xxh\d*)[-:]/i;

export const isUuid = (v: string): boolean => UUID.test(v);

/**
 * Published id and value formats that look random: ULIDs (26 Crockford base32 characters, a
 * timestamp first), cuids (`c` and 24 base36 characters) and ISO 8601 durations (`P3Y6M4DT12H30M5S`).
 */
const KNOWN_ID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$|^c[a-z0-9]{24}$|^P(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?$/i;
export const isKnownId = (v: string): boolean => KNOWN_ID.test(v);
export const isVersion = (v: string): boolean => VERSION.test(v);
export const isHexDigest = (v: string): boolean => HEX_DIGEST.test(v);
export const isPrefixedDigest = (v: string): boolean => PREFIXED_DIGEST.test(v);

/** Names of fields that hold digests, ids and other public values. */
const PUBLIC_NAME =
  /^hashed[_-]|(?:hash|sha\d*|md5|checksum|integrity|digest|etag|fingerprint|commit|revision|nonce|salt|uuid|guid|(?:^|[_.\-\s])ids?$|[a-z]Ids?$|public[_-]?key|pub[_-]?key|publishable|client[_-]?id|app[_-]?id|cache[_-]?key|key[_-]?id|keyid|sort[_-]?key|primary[_-]?key|foreign[_-]?key)["']?$/i;

/** Whether a field name says its value is a digest, an id or public (detect-secrets skips names ending in `id` the same way). */
export function isPublicName(name: string): boolean {
  return PUBLIC_NAME.test(name);
}

const SEQUENCES = [
  '0123456789'.repeat(3),
  'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.repeat(2),
  '0123456789ABCDEF'.repeat(2),
  '1234567890ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  'QWERTYUIOPASDFGHJKLZXCVBNM',
  'ZYXWVUTSRQPONMLKJIHGFEDCBA',
  '9876543210'.repeat(2),
];

/** Keyboard and alphabet runs such as `0123456789a`, `abcdefghijklmnop`, `qwerty`. */
export function isSequential(value: string): boolean {
  const v = value.toUpperCase();
  return v.length >= 6 && SEQUENCES.some((s) => s.includes(v));
}

/**
 * Alphabet tables and counting runs (`ABC…XYZabc…xyz0123456789+/`, `AaBbCc…`, `aBcDeF012…`): half
 * the characters or more follow their predecessor in either case, or are its letter in the other case.
 */
export function isMostlyAscending(value: string): boolean {
  let steps = 0;
  for (let i = 1; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const p = value.charCodeAt(i - 1);
    const letters = (c | 32) >= 97 && (c | 32) <= 122 && (p | 32) >= 97 && (p | 32) <= 122;
    if (c === p + 1 || (letters && c !== p && ((c | 32) === (p | 32) || (c | 32) === (p | 32) + 1))) steps++;
  }
  return value.length >= 8 && steps * 2 >= value.length;
}

/**
 * A block of four to sixteen characters repeated over half the value or more, in any case
 * (`abcd1234abcd1234ABCD1234…`, `1234567890abcdef1234567890abcdef`, a block typed twice), in the
 * value or in its body behind a token prefix: filler typed to a length.
 */
export function isRepetitive(value: string): boolean {
  // behind a token prefix the body is what was typed (`svc_live_` + `ab12cd34ef56ab12cd34ef56`)
  const prefix = TOKEN_PREFIX.exec(value)?.[0].length ?? 0;
  return repeatsBlock(value) || (prefix > 0 && value.length - prefix >= 16 && repeatsBlock(value.slice(prefix)));
}

/**
 * A prefix with a separator (`sntryu_`, `dop_v1_`, `pscale_pw_`, `glpat-`, `API-`, `hvb.`, `b_`, `x~`): a
 * letter, up to eleven letters or digits, up to two more short parts.
 */
export const TOKEN_PREFIX = /^[A-Za-z][A-Za-z0-9]{0,11}(?:[_-][A-Za-z0-9]{1,7}){0,2}[_.~-]/;

function repeatsBlock(value: string): boolean {
  const v = value.toLowerCase();
  for (let period = 4; period <= 16 && period * 2 <= v.length; period++) {
    let same = 0;
    for (let i = 0; i + period < v.length; i++) if (v.charCodeAt(i) === v.charCodeAt(i + period)) same++;
    if (same * 2 >= v.length) return true;
  }
  return false;
}

/** Documentation samples mark themselves (`AKIAIOSFODNN7EXAMPLE`, `wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`). */
const SAMPLE_MARK = /EXAMPLE|example/;

/** Not a secret whatever the rule: a placeholder, a UUID, a version, a digest with its algorithm named, a sequence. */
export function isNeverSecret(value: string): boolean {
  return isPlaceholder(value) || isVersion(value) || isPrefixedDigest(value) || isSequential(value);
}

/**
 * Filler for the generic rules, which have only the value to go by: a repeated block or a value
 * marked as a documentation sample. A provider rule's format outweighs these (detect-secrets
 * flags AWS's documented sample key and `abcd1234…` filler in a provider's key format). Tested
 * last, on values about to be flagged: the block search is the costliest test here.
 */
export function isFiller(value: string): boolean {
  return SAMPLE_MARK.test(value) || isRepetitive(value);
}

/**
 * Base64 that decodes to printable text (`"TWFueSBoYW5kcyBtYWtlIGxpZ2h0IHdvcms="` is "Many hands
 * make light work"): encoded data, where a random key decodes to arbitrary bytes.
 */
export function decodesToText(value: string): boolean {
  if (value.length < 16 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.length % 4 === 1) return false;
  const bytes = Buffer.from(value, 'base64');
  let printable = 0;
  for (const b of bytes) if ((b >= 32 && b < 127) || b === 9 || b === 10 || b === 13) printable++;
  return printable >= bytes.length * 0.95;
}
