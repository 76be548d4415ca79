import { isIPv4, isIPv6 } from 'node:net';

/**
 * IP addresses, The Stack v2's way: a public address becomes one of five fixed private addresses
 * of the same family, picked by a hash of the address (so the same address always gets the
 * same replacement, in every record); private, loopback, link-local, multicast, reserved and
 * documentation addresses and the well-known public DNS resolvers are kept.
 */

/** The Stack v2's five IPv4 replacements (DESIGN.md §3). */
export const IPV4_REPLACEMENTS = ['172.16.31.10', '172.16.58.3', '172.16.17.32', '192.168.127.12', '192.168.3.11'] as const;
/**
 * Our five IPv6 replacements: unique-local addresses (fc00::/7, RFC 4193, the IPv6 counterpart of
 * the private IPv4 ranges), so a redacted file never points at a routable host and a second pass
 * keeps them.
 */
export const IPV6_REPLACEMENTS = [
  'fd00:c2b6:b24b:be67:2827:688d:e6a1:6a3b',
  'fd00:a516:7c1b:17cd:6d81:2137:bd2a:2c5b',
  'fd00:4b7f:9a0c:8e21:5f6d:13b4:e2c9:7a08',
  'fd00:8e3a:d1f5:62b9:c047:95ad:3b6e:f214',
  'fd00:2d69:e8c4:b13a:7f52:0c8e:91d7:46ab',
] as const;

/** Public resolvers people write into configs: kept (8.8.8.8, 1.1.1.1, 9.9.9.9 and their partners, OpenDNS, Level 3, Verisign). */
export const WELL_KNOWN_DNS = new Set([
  '8.8.8.8',
  '8.8.4.4',
  '1.1.1.1',
  '1.0.0.1',
  '9.9.9.9',
  '149.112.112.112',
  '208.67.222.222',
  '208.67.220.220',
  '4.2.2.1',
  '4.2.2.2',
  '64.6.64.6',
  '64.6.65.6',
  '2001:4860:4860::8888',
  '2001:4860:4860::8844',
  '2606:4700:4700::1111',
  '2606:4700:4700::1001',
  '2620:fe::fe',
  '2620:fe::9',
]);

/**
 * Candidate addresses, found at their first `.` (IPv4: the digits around it, `\d\.\d`) or `:`
 * (IPv6) with the first group read in a look-behind placed after it: the engine then scans for
 * those characters instead of trying a look-behind at every position. Group 1 is the first
 * group: the address starts there (see `candidates`). They match what
 * `(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.]|\.\d)` and
 * `(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:])` match.
 * (The IPv4 match begins one digit before its first dot; an address never ends right before a
 * dot, so the next one's digit is never taken by the one before.)
 */
export const IPV4_CANDIDATE = /\d\.\d(?<=(?<![\w.])(\d{1,3})\.\d)\d{0,2}\.\d{1,3}\.\d{1,3}(?![\w.]|\.\d)/dg;
export const IPV6_CANDIDATE = /:(?<=(?<![\w:.])([0-9A-Fa-f]{0,4}):)(?:[0-9A-Fa-f]{0,4}:){1,6}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:])/dg;

/**
 * The matches of a literal-first pattern whose group 1 (in a look-behind) is where each match
 * really starts, as [start, end, text]; one that would overlap the previous is dropped, as a
 * pattern matched from its start would never have found it.
 */
export function* candidates(text: string, pattern: RegExp): Generator<[number, number, string]> {
  let reach = -1;
  for (const m of text.matchAll(pattern)) {
    const start = m.indices?.[1]?.[0] ?? m.index;
    const end = m.index + m[0].length;
    if (start < reach) continue;
    reach = end;
    yield [start, end, text.slice(start, end)];
  }
}

function v4Octets(ip: string): number[] {
  return ip.split('.').map(Number);
}

/** Whether an IPv4 address is one to keep: not public, or a documented placeholder or a public resolver. */
export function keepIPv4(ip: string): boolean {
  if (WELL_KNOWN_DNS.has(ip)) return true;
  const [a, b, c] = v4Octets(ip);
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    a >= 224 ||
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0 && (c === 0 || c === 2)) ||
    (a === 198 && (b === 18 || b === 19)) ||
    (a === 198 && b === 51 && c === 100) ||
    (a === 203 && b === 0 && c === 113)
  );
}

/** Whether an IPv6 address is one to keep: loopback, unspecified, link-local, unique-local, multicast, documentation, IPv4-mapped private, resolvers. */
export function keepIPv6(ip: string): boolean {
  const lower = ip.toLowerCase();
  if (WELL_KNOWN_DNS.has(lower) || lower === '::' || lower === '::1') return true;
  if (/^(?:fe[89ab]|f[cd]|ff)/.test(lower) || lower.startsWith('2001:db8:') || lower.startsWith('2001:0db8:')) return true;
  const mapped = /^::ffff:((?:\d{1,3}\.){3}\d{1,3})$/.exec(lower);
  return mapped !== null && keepIPv4(mapped[1]);
}

/** A dotted quad in a valid form (no leading zeros, each octet ≤ 255). */
export function validIPv4(s: string): boolean {
  return isIPv4(s) && !/(?:^|\.)0\d/.test(s);
}

/**
 * Whether an IPv6 candidate is an address rather than C++ scopes, times or hex pairs: valid for
 * node:net, and either four or more groups or a digit in it.
 */
export function validIPv6(s: string): boolean {
  if (!isIPv6(s)) return false;
  const groups = s.split(':').filter((g) => g.length > 0);
  return groups.length >= 4 || (/\d/.test(s) && groups.length >= 2 && s.includes('::') && groups.some((g) => g.length >= 3));
}

/** FNV-1a over the UTF-16 code units: a stable pick among the replacements. */
export function stableHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export function ipReplacement(ip: string): string {
  const pool = ip.includes(':') ? IPV6_REPLACEMENTS : IPV4_REPLACEMENTS;
  return pool[stableHash(ip.toLowerCase()) % pool.length];
}
