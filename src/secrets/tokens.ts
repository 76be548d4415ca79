/**
 * The shapes of provider tokens, for string literals with no name to go by: a short prefix
 * naming the kind of credential and a random body. Providers we have no rule for (their formats
 * change and multiply) are found by these shapes; a provider's own rule in rules.ts is exact.
 */
import { looksRandom } from './entropy.js';
import { isHexDigest, isUuid } from './filters.js';
import { wordCoverage } from './words.js';

/**
 * A prefix with a separator (`sntryu_`, `dop_v1_`, `pscale_pw_`, `glpat-`, `API-`, `hvb.`, `b_`): a
 * letter, up to eleven letters or digits, up to two more short parts.
 */
const TOKEN_PREFIX = /^[A-Za-z][A-Za-z0-9]{0,11}(?:[_-][A-Za-z0-9]{1,7}){0,2}[_.-]/;

/** Prefixes under which a hex body is a digest or an id, not a key (`sha256_…`, `commit-…`, `cache_…`). */
const DIGEST_PREFIX = /sha|md5|hash|digest|checksum|sum[_.-]|crc|commit|rev|etag|cache|id[_.-]|uuid|guid|hex|color|colou?r|ref[_.-]/i;

const isHex = (s: string): boolean => /^[0-9a-f]+$/i.test(s);

/** A prefix, a separator, and a random body of 16 characters or more. */
export function prefixedToken(value: string): boolean {
  const prefix = TOKEN_PREFIX.exec(value);
  if (!prefix) return false;
  const body = value.slice(prefix[0].length);
  // random bodies are long unbroken runs; message keys (`Rename_param_tag_name_0_to_1_95173`) are not
  const longestPart = Math.max(...body.split(/[_.-]/).map((p) => p.length));
  // a hex body of a digest's length is a key only behind a provider prefix that names no digest (`dop_v1_`, `sntryu_`)
  const digest = isHexDigest(body) && (DIGEST_PREFIX.test(prefix[0]) || !/[g-z]/i.test(prefix[0].replace(/[_.-]/g, '')));
  return body.length >= 16 && longestPart >= 12 && !digest && !isUuid(body) && looksRandom(body) && (isHex(body) || wordCoverage(body) < 0.3);
}

/** A lower-case prefix glued to a lower-case hex or alphanumeric body (`dapi` + 32 hex, `oy2` + 43). */
const GLUED = /^([a-z]{2,8})([0-9a-z]{24,})$/;

/**
 * A prefix of letters glued to its body without a separator: a hex body of 32 characters or
 * more behind letters that hex cannot spell (`dapi…`, not `sha1…`, `md5…` or a bare digest),
 * or a random lower-case alphanumeric body with digits and letters mixed as a random one has
 * them (a quarter of its characters or more of each) and no words.
 */
export function gluedToken(value: string): boolean {
  const m = GLUED.exec(value);
  if (!m) return false;
  // where the hex run at the end starts: the prefix is everything before it
  let h = value.length;
  while (h > 0 && /[0-9a-f]/.test(value[h - 1])) h--;
  const prefix = value.slice(0, h);
  if (value.length - h >= 32 && /^[a-z]{2,8}$/.test(prefix) && /[g-z]/.test(prefix) && !DIGEST_PREFIX.test(prefix)) return looksRandom(value.slice(h));
  const digits = value.replace(/[^0-9]/g, '').length;
  const letters = value.length - digits;
  return digits * 4 >= value.length && letters * 4 >= value.length && !isHex(value) && looksRandom(value, 0.9, 24) && wordCoverage(value) < 0.2;
}
