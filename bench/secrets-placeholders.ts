/**
 * What the placeholder and filler filters (src/secrets/filters.ts and the password tests of
 * detect.ts) wrongly take for a stand-in: random secrets from realistic generators, written in
 * realistic places, run through the generic rules (no provider rule loaded) twice, with default
 * settings and with `flagPlaceholders`. A secret only the second run finds is one a filter
 * called a placeholder. The secrets carry the features real ones have and the filters key on:
 * a fixed run of one character inside the body (formats with a constant segment), a zero-padded
 * counter, URL-encoded base64, printable passwords (`$`, `{`, `%`, `#`, `*` among their
 * characters), random letters of one case. The same places are also written with real stand-ins
 * (x-runs, masks, templates, references, stand-in words, filler, sequences): the share of those
 * left alone by default is the precision check. Not a test: a tool for finding general weaknesses.
 *
 *   node dist/bench/secrets-placeholders.js [-v]
 */
import { SecretDetector } from '../src/secrets/detect.js';
import { percent, seeded, tally, type Tally } from './made-up.js';

const { rand, draw } = seeded(0x91ace4);

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGITS = '0123456789';
const BASE62 = DIGITS + LOWER + UPPER;
/** What a password generator draws from, less the quotes and backslash no context here could hold unescaped. */
const PRINTABLE = BASE62 + '!#$%&()*+,-./:;<=>?@[]^_{|}~';
const LENGTHS = [16, 24, 32, 40, 48, 64, 80];

const ALPHABETS: Record<string, string> = { hex: DIGITS + 'abcdef', base36: DIGITS + LOWER, base62: BASE62, base64url: BASE62 + '-_', base64: BASE62 + '+/' };

/** A provider-style prefix, or none: the generic rules see both. */
const prefix = (): string => ['', '', 'sk_live_', 'tok-', 'AKC', 'pat_v1.', 'XQ_'][rand(7)];

/** A base64 body with padding where its length asks for it. */
const padded = (b: string): string => (b.length % 4 === 0 ? b : b + '='.repeat(4 - (b.length % 4)));

/** Ways a real secret is built (length n), each with a feature a filter may key on. */
const SECRETS: Record<string, (n: number) => string> = {
  random: (n) => {
    const names = Object.keys(ALPHABETS);
    const a = names[rand(names.length)];
    return prefix() + (a === 'base64' ? padded(draw(ALPHABETS[a], n)) : draw(ALPHABETS[a], n));
  },
  // a constant segment of one repeated character inside the body, as some formats have (`…AAAAAAAAAA…`)
  'fixed-run': (n) => {
    const body = draw(BASE62, n);
    const at = rand(n - 8);
    return prefix() + body.slice(0, at) + (rand(2) ? 'A' : 'a').repeat(6 + rand(8)) + body.slice(at);
  },
  // a counter or id padded with zeros before the random part (`000000042` + body)
  'zero-padded': (n) => `${prefix()}${'0'.repeat(6 + rand(4))}${draw(DIGITS, 2)}${draw(BASE62, n)}`,
  // base64 with its `+`, `/`, `=` percent-encoded, as signatures travel in URLs and cookies
  'url-encoded': (n) => padded(draw(ALPHABETS.base64, n)).replace(/\+/g, '%2B').replace(/\//g, '%2F').replace(/=/g, '%3D'),
  // a generated password: any printable character, so `$`, `{`, `%`, `#`, `*` turn up
  printable: (n) => draw(PRINTABLE, Math.min(n, 40)),
  // random letters of one case (a generated passphrase-free secret, base32 without digits)
  'one-case': (n) => draw(rand(2) ? LOWER : UPPER, Math.min(n, 40)),
};

/** Real stand-ins: what the filters exist for. None of these may be flagged by default. */
const STAND_INS = [
  'xxxxxxxxxxxxxxxxxxxxxxxx',
  'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
  'sk_live_xxxxxxxxxxxxxxxxxxxxxxxx',
  'ghp_1234xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  'AKIAXXXXXXXXXXXXXXXX',
  'xoxb-xxxxxxxxxxxx-xxxxxxxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx',
  'sk-****************************',
  'sk-abc1...wxyz',
  '••••••••••••••••',
  '################',
  '________________',
  '0000000000000000',
  '<your-api-key>',
  '<API_TOKEN>',
  '${API_TOKEN}',
  '${env:API_TOKEN}',
  '{{ api_token }}',
  '{{ .Values.apiToken }}',
  '{% api_token %}',
  '%s',
  '%(api_token)s',
  '$API_TOKEN',
  '$apiToken',
  'process.env.API_TOKEN',
  "os.environ['API_TOKEN']",
  '%API_TOKEN%',
  '@API_TOKEN@',
  '[API_TOKEN]',
  'changeme',
  'change-me-please',
  'ChangeMe',
  'YourApiKeyHere',
  'your_api_key_here',
  'YOUR_SECRET_KEY',
  'REPLACE_ME',
  'replace-with-your-token',
  'placeholder',
  'dummy-token-value',
  'fake_secret_value',
  'insert-key-here',
  'redacted',
  'TODO',
  'abcd1234abcd1234abcd1234',
  '1234567890abcdef1234567890abcdef',
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  '0123456789abcdef',
  'abcdefghijklmnopqrstuvwxyz',
  'qwertyuiopasdfgh',
];

/** Places a credential is written, by a key-like or a password-like name (the generic rules' two tests). */
const CONTEXTS: Record<string, (v: string) => string> = {
  'string-literal': (v) => `const token = lookup(${JSON.stringify(v)});`,
  'key-assignment': (v) => `api_token = ${JSON.stringify(v)}`,
  'json-key': (v) => `{ "clientSecret": ${JSON.stringify(v)} }`,
  'yaml-key': (v) => `service:\n  access_key: ${v}\n`,
  dotenv: (v) => `SERVICE_API_KEY=${v}\n`,
  'password-assignment': (v) => `password = ${JSON.stringify(v)}`,
  'yaml-password': (v) => `db:\n  password: '${v.replace(/'/g, "''")}'\n`,
  'bearer-header': (v) => `curl -H "Authorization: Bearer ${v}" https://api.example.com`,
  'url-query': (v) => `https://api.example.com/v1/items?access_token=${v}&page=2`,
};

/** Values a context cannot hold as written (a URL stops at its first blank or `&`; a bearer token takes no `$` or `{`). */
function fits(context: string, v: string): boolean {
  if (context === 'url-query') return /^[\w.~%+/=-]+$/.test(v);
  if (context === 'bearer-header') return /^[\w.~+/=-]+$/.test(v);
  if (context === 'dotenv' || context === 'yaml-key') return !/[\s#"'`]/.test(v) && !/^[!&*%@[{|>-]/.test(v);
  return true;
}

function main(): void {
  const verbose = process.argv.includes('-v');
  const plain = new SecretDetector([]);
  const loose = new SecretDetector([], { flagPlaceholders: true });
  const found = new Map<string, Tally>();
  const calledPlaceholder = new Map<string, Tally>();
  const perContext = new Map<string, Tally>();
  const left = new Map<string, Tally>();
  for (const [context, write] of Object.entries(CONTEXTS)) {
    for (const [kind, make] of Object.entries(SECRETS)) {
      for (const n of LENGTHS) {
        for (let i = 0; i < 6; i++) {
          const v = make(n);
          if (!fits(context, v)) continue;
          const text = write(v);
          const hit = plain.find(text).length > 0;
          tally(found, kind, hit, text);
          tally(perContext, context, hit, text);
          // of those the filters alone stand between: did one of them stop it?
          if (loose.find(text).length > 0) tally(calledPlaceholder, kind, hit, text);
        }
      }
    }
    for (const s of STAND_INS) if (fits(context, s)) tally(left, context, plain.find(write(s)).length === 0, write(s));
  }
  console.log('secret kind     found  called placeholders (of those found with flagPlaceholders)');
  for (const [kind, t] of found) {
    const c = calledPlaceholder.get(kind);
    console.log(`${kind.padEnd(14)} ${percent(t)}  ${c ? `${c.total - c.found} of ${c.total}` : '-'}`);
    if (verbose && c) for (const m of c.misses.slice(0, 8)) console.log(`    called a placeholder: ${m.replace(/\n/g, '⏎')}`);
  }
  console.log('\ncontext              secrets found   stand-ins left alone');
  for (const [context, t] of perContext) {
    const l = left.get(context)!;
    console.log(`${context.padEnd(20)} ${percent(t)}          ${percent(l)} of ${l.total}`);
    if (verbose) for (const m of l.misses) console.log(`    stand-in flagged: ${m.replace(/\n/g, '⏎')}`);
  }
  const sum = (m: Map<string, Tally>): [number, number] => [...m.values()].reduce(([f, a], t) => [f + t.found, a + t.total], [0, 0]);
  const [f, a] = sum(found);
  const [k, c] = sum(calledPlaceholder);
  const [lf, la] = sum(left);
  console.log(`\nall: found ${((100 * f) / a).toFixed(1)}% of ${a}; wrongly called placeholders ${c - k} of ${c}; stand-ins left alone ${lf} of ${la}`);
}

main();
