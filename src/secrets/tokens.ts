/**
 * The shapes of provider tokens, for string literals with no name to go by: a short prefix
 * naming the kind of credential and a random body. Providers we have no rule for (their formats
 * change and multiply) are found by these shapes; a provider's own rule in rules.ts is exact.
 */
import { caseSwitchRate, looksRandom } from './entropy.js';
import { isHexDigest, isUuid, TOKEN_PREFIX } from './filters.js';
import { wordCoverage } from './words.js';

/** Prefixes under which a hex body is a digest or an id, not a key (`sha256_…`, `commit-…`, `cache_…`). */
const DIGEST_PREFIX = /sha|md5|hash|digest|checksum|sum[_.-]|crc|commit|rev|etag|cache|id[_.-]|uuid|guid|hex|color|colou?r|ref[_.-]/i;

const isHex = (s: string): boolean => /^[0-9a-f]+$/i.test(s);

/**
 * The ways to read a value's prefix: the longest TOKEN_PREFIX takes, then the first part alone
 * (`vetuc_` + `IXjmj_0flp.X9_rqKKGe`, where the longest reading eats half the body), then two
 * short parts with any separators (`dp.pt.`, `xy.ab.`).
 */
const SHORT_PREFIX = /^[A-Za-z][A-Za-z0-9]{0,11}[_.~-]/;
const TWO_PART_PREFIX = /^[A-Za-z][A-Za-z0-9]{0,11}[_.~-][A-Za-z0-9]{1,7}[_.~-]/;
/** A part that reads as a word, camelCase words, an upper-case word or a number (`Declare`, `defineProperty`, `GPIO`, `90023`). */
const PLAIN_PART = /^(?:[A-Z]?[a-z]*(?:[A-Z][a-z]+)*|[A-Z]*|[0-9]*)$/;
/** A part that reads as a word of four letters or more (`icelake`, `numpy`): random parts seldom do. */
const WORD_PART = /^[A-Z]?[a-z]{3,}$/;

/** A prefix, a separator, and a random body of 16 characters or more, under any reading of the prefix. */
export function prefixedToken(value: string): boolean {
  const greedy = TOKEN_PREFIX.exec(value)?.[0];
  if (greedy === undefined) return false;
  if (tokenBody(greedy, value.slice(greedy.length))) return true;
  // other readings only where most parts are not plain words or numbers (message keys such as
  // `Declare_method_0_90023`, snake_case names: the bulk of literals that get this far)
  const parts = value.split(/[_.~-]/);
  let plain = 0;
  for (const part of parts) if (PLAIN_PART.test(part)) plain++;
  if (plain * 2 > parts.length + 1) return false;
  for (const re of [SHORT_PREFIX, TWO_PART_PREFIX]) {
    const prefix = re.exec(value)?.[0];
    if (prefix !== undefined && prefix !== greedy && tokenBody(prefix, value.slice(prefix.length))) return true;
  }
  return false;
}

/**
 * A token's body: one random run of 12 characters or more with what the separators leave around it;
 * a hex run of 16 or more with a short checksum or tag beside it (`<hex>_7uTfdG`), judged alone; or
 * random parts with letters and digits, few separators between them (`<hex8>-<hex8>`, `I4H2GMFQ.sCSi2F~lLz1`), judged together.
 */
function tokenBody(prefix: string, body: string): boolean {
  if (body.length < 16) return false;
  const parts = body.split(/[_.~-]/);
  let longest = '';
  for (const part of parts) if (part.length > longest.length) longest = part;
  // random bodies are long unbroken runs; message keys (`Rename_param_tag_name_0_to_1_95173`) are not
  if (longest.length >= 12 && randomBody(prefix, body)) return true;
  if (longest.length >= 16 && longest.length < body.length && body.length - longest.length <= 9 && isHex(longest) && randomBody(prefix, longest)) return true;
  if (parts.length < 2 || longest.length >= 12 || longest.length < 6 || parts.some((p) => WORD_PART.test(p))) return false;
  const joined = parts.join('');
  // a separator every five characters or fewer, as in a random URL-safe string, not a run of short words
  if ((parts.length - 1) * 5 > joined.length || joined.length < 16) return false;
  // most parts mix letters with digits or both cases, as random parts do and identifiers' words (`reduce_minmax_f64`) do not
  const mixed = parts.filter((p) => /[A-Za-z]/.test(p) && (/[0-9]/.test(p) || (/[a-z]/.test(p) && /[A-Z]/.test(p)))).length;
  return mixed * 2 >= parts.length && /[0-9]/.test(joined) && randomBody(prefix, joined) && wordCoverage(body) < 0.2;
}

/** A body that is random and no digest or UUID. */
function randomBody(prefix: string, body: string): boolean {
  // a hex body of a digest's length is a key only behind a provider prefix that names no digest (`dop_v1_`, `sntryu_`)
  const digest = isHexDigest(body) && (DIGEST_PREFIX.test(prefix) || !/[g-z]/i.test(prefix.replace(/[_.~-]/g, '')));
  return !digest && !isUuid(body) && looksRandom(body) && (isHex(body) || wordCoverage(body) < 0.3);
}

/** A mixed-case string with no name to go by: a key when long, base64-like and plainly random. */
export function randomKey(value: string): boolean {
  if (value.length < 20 || value.length > 1000 || !/^[A-Za-z0-9+/=_.~-]+$/.test(value)) return false;
  // `.` and `~` of the URL-safe alphabet (no `+` `/` `=`: not paths), scattered, not the dots of a qualified name (`numpy.PyArray_New1`) or a version
  if (/[.~]/.test(value) && (/[+/=]|\d\.\d/.test(value) || value.replace(/[^.~]/g, '').length * 8 > value.length || value.split(/[._~-]/).some((p) => WORD_PART.test(p)))) return false;
  if (isHexDigest(value) || isHex(value) || !/[a-z]/.test(value) || !/[A-Z]/.test(value)) return false;
  // a random base52 string of 24 letters or more has the case changes looksRandom asks of a string without digits
  // (tested first: quoted camelCase identifiers of 24 letters or more are common and fail it)
  if (!/[0-9]/.test(value) && (value.length < 24 || caseSwitchRate(value) < 1 / 3)) return false;
  return looksRandom(value, 0.9, 20) && wordCoverage(value) < 0.3;
}

/**
 * Digits and letters of one case mixed as a random string has them: digits a sixth of it or
 * more (two or more in 24 characters or more: base32 keys have fewer digits than base36 ones),
 * letters a quarter or more.
 */
function mixedAlnum(value: string, minLength: number): boolean {
  const digits = value.replace(/[^0-9]/g, '').length;
  const letters = value.length - digits;
  return value.length >= minLength && (digits * 6 >= value.length || (value.length >= 24 && digits >= 2)) && letters * 4 >= value.length && !isHex(value) && looksRandom(value, 0.9, minLength);
}

/** Where the hex run at the end of a lower- or upper-case alphanumeric string starts. */
function hexTail(value: string): number {
  let h = value.length;
  while (h > 0 && /[0-9a-fA-F]/.test(value[h - 1])) h--;
  return h;
}

/**
 * A token of letters of one case and digits, with no separator: a hex body of 24 characters or
 * more behind a prefix hex cannot spell (`dapi…`, `SK…`; not `sha1…`, `md5…` or a bare digest),
 * or letters and digits mixed as in a random base36 or base32 string (`AKIA…`-like ids and keys,
 * TOTP seeds) with no words.
 */
export function gluedToken(value: string): boolean {
  const lower = /^[0-9a-z]+$/.test(value);
  const upper = !lower && /^[0-9A-Z]+$/.test(value);
  const casePrefix = !lower && !upper && /^[A-Z]{1,8}[0-9a-f]+$/.test(value);
  // an upper-case prefix glued to a random lower-case alphanumeric body (`MU` + base36)
  if (!lower && !upper && !casePrefix) {
    const m = /^[A-Z]{1,8}(?=[0-9a-z]{24})/.exec(value);
    const body = m ? value.slice(m[0].length) : '';
    return m !== null && /^[0-9a-z]+$/.test(body) && !DIGEST_PREFIX.test(m[0]) && mixedAlnum(body, 24) && wordCoverage(body) < 0.2;
  }
  if (lower || upper || casePrefix) {
    // an upper-case prefix ends where the lower-case hex begins (`AC` + hex), else at the hex run
    const h = casePrefix ? value.search(/[0-9a-f]/) : hexTail(value);
    const prefix = value.slice(0, h);
    const body = value.slice(h);
    if (body.length >= 24 && /^[A-Za-z]{1,8}$/.test(prefix) && (casePrefix || /[g-zG-Z]/.test(prefix)) && !DIGEST_PREFIX.test(prefix) && looksRandom(body)) return true;
    if (lower || upper) return mixedAlnum(value, lower ? 26 : 16) && wordCoverage(value) < 0.2;
  }
  return false;
}

/**
 * A token built of several parts (`dt0c01.<part>.<part>`, `<id>.atlasv1.<body>`, `<body>_mmk`):
 * its longest part, 20 characters or more, is a random string in one of the shapes above.
 */
export function partedToken(value: string): boolean {
  if (!/[._-]/.test(value)) return false;
  let longest = '';
  for (const part of value.split(/[._/-]+/)) if (part.length > longest.length) longest = part;
  return longest.length >= 20 && longest.length < value.length && (randomKey(longest) || gluedToken(longest));
}
