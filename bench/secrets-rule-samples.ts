/**
 * How the generic secret rules (no provider rule loaded) read the secrets of providers they have
 * no rule for, in the places such a secret is written: many random samples of each gitleaks
 * rule's regex (as bench/accuracy/_gitleaks.ts draws its two per rule, other seeds), each alone
 * in a string literal, under a name in JSON, YAML, .env, a shell export, a URL query, an XML
 * attribute and a code constant, and under a name that says nothing. Only rules of the
 * **tuning** half are drawn (the held-out rules are the providers the accuracy figure stands
 * for), so the misses printed with `-v` may be studied. Prints the share found per context and
 * per rule kind (prefix token or keyword assignment). Not a test: a tool for finding general
 * weaknesses (the precision check is node_modules/, `npm run accuracy -- secrets`).
 *
 *   node dist/bench/secrets-rule-samples.js [samples per rule, default 20] [-v]
 */
import { readFileSync } from 'node:fs';
import { SecretDetector } from '../src/secrets/detect.js';
import { isHeldOut, sharedPath, hasShared } from './accuracy/_common.js';
import { entropy, goRegex, RandExp, realistic, type GitleaksRule } from './accuracy/_gitleaks.js';
import { percent, seeded, tally, type Tally } from './made-up.js';

const { rand } = seeded(0x5a3b1e);

interface Sample {
  rule: string;
  kind: 'token' | 'assignment';
  /** the rule's first keyword, letters and digits only: what a user names the variable after */
  word: string;
  secret: string;
}

const upper = (s: string): string => s.toUpperCase();
const camel = (s: string): string => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** Each place as a writer puts a provider's secret there, named after the provider (`<word>_api_key`). */
const CONTEXTS: Record<string, (w: string, v: string) => string> = {
  literal: (_w, v) => JSON.stringify(v),
  json: (w, v) => `{\n  "${camel(`${w}_api_key`)}": ${JSON.stringify(v)},\n  "timeout": 30\n}`,
  yaml: (w, v) => `${w}:\n  api_key: ${/^[\w.~+/=-]+$/.test(v) ? v : JSON.stringify(v)}\n  retries: 3`,
  dotenv: (w, v) => `${upper(w)}_API_KEY=${v}`,
  'shell-export': (w, v) => `export ${upper(w)}_TOKEN="${v}"`,
  'url-query': (w, v) => `curl "https://api.${w}.example/v1/items?access_token=${encodeURIComponent(v)}&limit=10"`,
  'xml-attribute': (w, v) => `<add key="${camel(`${w}_api_key`)}" value="${v.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}" />`,
  'code-const': (w, v) => `const ${upper(w)}_SECRET = ${JSON.stringify(v)};`,
  'neutral-name': (_w, v) => `config.value = ${JSON.stringify(v)}`,
};

function samplesOf(rule: GitleaksRule, n: number, perRule: number): Sample[] {
  const re = rule.regex ? goRegex(rule.regex) : undefined;
  if (!re) return [];
  const kind = /\(\?:=\|>\|:\{1,3\}=/.test(rule.regex ?? '') ? 'assignment' : 'token';
  const gen = new RandExp(re);
  gen.max = 3;
  gen.randInt = (a, b) => a + rand(b - a + 1);
  const word = (rule.keywords[0] ?? rule.id.split('-')[0]).replace(/[^a-z0-9]/gi, '').toLowerCase() || `service${n}`;
  const out: Sample[] = [];
  for (let attempt = 0; attempt < perRule * 5 && out.length < perRule; attempt++) {
    const m = re.exec(gen.gen());
    if (!m) continue;
    const secret = realistic(rule, (rule.secretGroup ? m[rule.secretGroup] : m[1]) ?? m[0]);
    if (!secret || /[\r\n]/.test(secret) || (rule.entropy !== null && entropy(secret) < rule.entropy)) continue;
    out.push({ rule: rule.id, kind, word, secret });
  }
  return out;
}

/** The misses grouped by rule, most first, one example each. */
function printMisses(misses: string[]): void {
  const byRule = new Map<string, string[]>();
  for (const m of misses) {
    const rule = m.slice(0, m.indexOf(':'));
    byRule.set(rule, [...(byRule.get(rule) ?? []), m.slice(rule.length + 2)]);
  }
  for (const [rule, ms] of [...byRule].sort((a, b) => b[1].length - a[1].length)) console.log(`    ${String(ms.length).padStart(3)} ${rule}: ${ms[0].slice(0, Number(process.env.W ?? 160))}`);
}

function main(): void {
  if (!hasShared) return console.log('../shared/ is absent: gitleaks-rules.json lives there');
  const verbose = process.argv.includes('-v');
  const perRule = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 20);
  const rules = (JSON.parse(readFileSync(sharedPath('data', 'code', 'gitleaks-rules.json'), 'utf8')) as GitleaksRule[]).filter((r) => !isHeldOut(r.id));
  const samples = rules.flatMap((r, n) => samplesOf(r, n, perRule));
  const generic = new SecretDetector([]);
  const perContext = new Map<string, Tally>();
  const perKind = new Map<string, Tally>();
  for (const [context, write] of Object.entries(CONTEXTS)) {
    for (const s of samples) {
      const text = write(s.word, s.secret);
      const hit = generic.find(text).length > 0;
      tally(perContext, context, hit, `${s.rule}: ${text.replace(/\n/g, '⏎')}`);
      tally(perKind, `${context} ${s.kind}`, hit, '');
    }
  }
  console.log(`${rules.length} tuning-half rules, ${samples.length} samples, generic rules only`);
  for (const [context, t] of perContext) {
    const kinds = ['token', 'assignment'].map((k) => `${k} ${percent(perKind.get(`${context} ${k}`)!).trim()}`).join(', ');
    console.log(`${context.padEnd(14)} found ${percent(t)}   ${kinds}`);
    if (verbose) printMisses(t.misses);
  }
  const found = [...perContext.values()].reduce((a, t) => a + t.found, 0);
  const total = [...perContext.values()].reduce((a, t) => a + t.total, 0);
  console.log(`all            found ${((100 * found) / total).toFixed(1)}% of ${total}`);
}

main();
