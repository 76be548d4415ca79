/**
 * Labelled cases from gitleaks' rule file (../shared/data/code/gitleaks-rules.json). The file
 * carries no example strings (only id, regex, keywords, entropy), so cases are generated: for each
 * rule, two random strings its own regex matches (randexp, fixed seed) and whose secret meets its
 * own entropy minimum. Rules with a keyword-and-assignment regex give a line in gitleaks' own
 * sample style, `<keyword>_api_token = "<secret>"`; prefix-token rules give the token alone
 * in a string literal (no name to help a generic rule). Negatives per rule: the same line with
 * the secret replaced by an `x` run, by a `<your-...>` template, by an environment reference.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// randexp is CommonJS with a default-export typing: load it through require.
export interface Generator {
  max: number;
  randInt: (a: number, b: number) => number;
  gen(): string;
}
export const RandExp = createRequire(import.meta.url)('randexp') as new (re: RegExp) => Generator;

export interface GitleaksCase {
  rule: string;
  text: string;
  positive: boolean;
  kind: string;
}

export interface GitleaksRule {
  id: string;
  regex: string | null;
  keywords: string[];
  entropy: number | null;
  secretGroup: number | null;
}

/** Go RE2 syntax → a JavaScript RegExp: inline (?i) becomes the i flag, POSIX classes and \z are spelled out. */
export function goRegex(src: string): RegExp | undefined {
  let s = src;
  const insensitive = s.includes('(?i)') || s.includes('(?i:');
  s = s
    .replace(/\(\?i\)/g, '')
    .replace(/\(\?-i:/g, '(?:')
    .replace(/\(\?i:/g, '(?:')
    .replace(/\(\?s:\.\)/g, '[\\s\\S]');
  s = s
    .replace(/\(\?P</g, '(?<')
    .replace(/\\z/g, '$')
    .replace(/\[\[:alnum:\]\]/g, '[A-Za-z0-9]')
    .replace(/\[:alnum:\]/g, 'A-Za-z0-9');
  try {
    return new RegExp(s, insensitive ? 'i' : '');
  } catch {
    return undefined;
  }
}

export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

function seeded(seed: number): (a: number, b: number) => number {
  let x = seed >>> 0 || 1;
  return (a, b) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return a + ((x >>> 0) % (b - a + 1));
  };
}

/**
 * Undo what a case-insensitive regex does to random samples and real tokens never show: a fixed
 * prefix takes the spelling the rule's source gives it (`dOr_V1_` → `dor_v1_`), and hex secrets
 * are one case.
 */
export function realistic(rule: GitleaksRule, secret: string): string {
  let s = secret;
  let prefix = 0;
  const source = (rule.regex ?? '').replace(/\\/g, '');
  for (const kw of rule.keywords) {
    if (s.toLowerCase().startsWith(kw)) {
      const at = source.toLowerCase().indexOf(kw);
      if (at >= 0) s = source.slice(at, at + kw.length) + s.slice(kw.length);
      prefix = kw.length;
      break;
    }
  }
  const rest = s.slice(prefix);
  return /^[0-9a-fA-F-]+$/.test(rest) ? s.slice(0, prefix) + rest.toLowerCase() : s;
}

export function gitleaksCases(file: string): { cases: GitleaksCase[]; skipped: string[] } {
  const rules = JSON.parse(readFileSync(file, 'utf8')) as GitleaksRule[];
  const cases: GitleaksCase[] = [];
  const skipped: string[] = [];
  rules.forEach((rule, n) => {
    const re = rule.regex ? goRegex(rule.regex) : undefined;
    if (!re) return skipped.push(`${rule.id}: ${rule.regex ? 'regex not expressible in JavaScript' : 'no regex (path rule)'}`);
    const assignment = /\(\?:=\|>\|:\{1,3\}=/.test(rule.regex ?? '');
    const gen = new RandExp(re);
    gen.max = 3;
    gen.randInt = seeded(0x5eed + n * 7919);
    const kw = (rule.keywords[0] ?? rule.id.split('-')[0]).replace(/[^a-z0-9]/gi, '') || 'service';
    let made = 0;
    for (let attempt = 0; attempt < 40 && made < 2; attempt++) {
      const sample = gen.gen();
      const m = re.exec(sample);
      if (!m) continue;
      const secret = realistic(rule, (rule.secretGroup ? m[rule.secretGroup] : m[1]) ?? m[0]);
      if (!secret || /[\r\n]/.test(secret) || (rule.entropy !== null && entropy(secret) < rule.entropy)) continue;
      const names = [...rule.keywords, kw].map((k) => k.replace(/[^a-z0-9_.-]/gi, '')).filter((k) => k.length > 0);
      // gitleaks itself must flag the line: the first of the rule's keywords its regex accepts as the name
      const text = assignment ? names.map((k) => `${k}_api_token = "${secret}"`).find((t) => re.test(t)) : re.test(secret) ? JSON.stringify(secret) : undefined;
      if (text === undefined) continue;
      cases.push({ rule: rule.id, text, positive: true, kind: assignment ? 'assignment' : 'token' });
      made++;
    }
    if (made === 0) skipped.push(`${rule.id}: no sample met its own regex and entropy in 40 draws`);
    const name = `${kw}_api_token`;
    for (const [kind, value] of [
      ['x-run', 'x'.repeat(24)],
      ['template', `<your-${kw}-token>`],
      ['env-reference', `\${${kw.toUpperCase()}_API_TOKEN}`],
    ]) {
      cases.push({ rule: rule.id, text: `${name} = "${value}"`, positive: false, kind });
    }
  });
  return { cases, skipped };
}
