/**
 * How the generic secret rules (no provider rule loaded) read a random value by the name it is
 * given in the usual places a credential is written: JSON, YAML, TOML, XML, INI, .env, shell,
 * HCL, Dockerfile, Kubernetes secrets, name/value pairs (`<add key=… value=…/>`, `- name:` / `value:`), URLs, command-line flags, code constants and calls. The
 * values are the kind a reader cannot tell from an id alone (hex of a digest's length, short
 * base62, lower-case base36, letters of both or one case), so the name and its context decide. Each context is also
 * written with an id-like name (`build_id`, `commitSha`): those must not be flagged. Prints the
 * share found per context and per value kind; `-v` prints the misses. Not a test: a tool for
 * finding general weaknesses (the precision check is node_modules/, `npm run accuracy -- secrets`).
 *
 *   node dist/bench/secrets-contexts.js [-v]
 */
import { SecretDetector } from '../src/secrets/detect.js';
import { percent, seeded, tally, type Tally } from './made-up.js';

const { draw } = seeded(0xc0e7e7);

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const VALUES: Record<string, () => string> = {
  hex32: () => draw(DIGITS + 'abcdef', 32),
  hex40: () => draw(DIGITS + 'abcdef', 40),
  base62x16: () => draw(DIGITS + LOWER + LOWER.toUpperCase(), 16),
  base36x20: () => draw(DIGITS + LOWER, 20),
  letters24: () => draw(LOWER + LOWER.toUpperCase(), 24),
  lower20: () => draw(LOWER, 20),
};

/** Names a credential goes by, in the spellings of each context (snake, camel, upper). */
const SECRET_NAMES = ['api_token', 'client_secret', 'access_key', 'auth_token', 'service_api_key', 'webhook_secret'];
const ID_NAMES = ['build_id', 'commit_sha', 'request_id', 'content_hash', 'trace_id', 'session_nonce'];
const camel = (n: string): string => n.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const upper = (n: string): string => n.toUpperCase();

const CONTEXTS: Record<string, (name: string, v: string) => string> = {
  json: (n, v) => `{\n  "${camel(n)}": "${v}",\n  "region": "eu-west-1"\n}`,
  yaml: (n, v) => `service:\n  ${n}: ${v}\n  retries: 3`,
  'yaml-quoted': (n, v) => `service:\n  ${n}: "${v}"`,
  toml: (n, v) => `[service]\n${n} = "${v}"`,
  xml: (n, v) => `<config>\n  <${camel(n)}>${v}</${camel(n)}>\n</config>`,
  ini: (n, v) => `[service]\n${n}=${v}\n`,
  dotenv: (n, v) => `${upper(n)}=${v}\n`,
  'shell-export': (n, v) => `export ${upper(n)}="${v}"\n`,
  hcl: (n, v) => `resource "service" "main" {\n  ${n} = "${v}"\n}`,
  'dockerfile-env': (n, v) => `FROM node:20\nENV ${upper(n)}=${v}\n`,
  'dockerfile-env-space': (n, v) => `FROM node:20\nENV ${upper(n)} ${v}\n`,
  'k8s-stringData': (n, v) => `kind: Secret\nstringData:\n  ${n.replace(/_/g, '-')}: ${v}\n`,
  // name/value pairs: the field holding the secret is `value`, its name a sibling's
  'k8s-env-pair': (n, v) => `env:\n  - name: ${upper(n)}\n    value: ${v}\n`,
  'json-pair': (n, v) => `[{"name": "${upper(n)}", "value": "${v}"}]`,
  'xml-add-key': (n, v) => `<appSettings>\n  <add key="${camel(n)}" value="${v}" />\n</appSettings>`,
  'spring-property': (n, v) => `<property name="${camel(n)}" value="${v}"/>`,
  'url-query': (n, v) => `fetch("https://api.example.com/v1/items?${n}=${v}&page=2")`,
  'cli-flag': (n, v) => `mytool deploy --${n.replace(/_/g, '-')} ${v} --verbose`,
  'cli-flag-eq': (n, v) => `mytool deploy --${n.replace(/_/g, '-')}=${v}`,
  'js-const': (n, v) => `const ${upper(n)} = "${v}";`,
  'ts-typed': (n, v) => `const ${camel(n)}: string = "${v}";`,
  'py-annotated': (n, v) => `${upper(n)}: str = "${v}"`,
  'rust-const': (n, v) => `const ${upper(n)}: &str = "${v}";`,
  'kotlin-val': (n, v) => `val ${camel(n)}: String = "${v}"`,
  properties: (n, v) => `service.${n.replace(/_/g, '.')}=${v}`,
  'json-in-string': (n, v) => `const body = "{\\"${camel(n)}\\": \\"${v}\\"}";`,
  'groovy-call': (n, v) => `buildConfigField "String", "${upper(n)}", "\\"${v}\\""`,
  'java-field': (n, v) => `private static final String ${upper(n)} = "${v}";`,
  'go-short': (n, v) => `${camel(n)} := "${v}"`,
  'py-kwarg': (n, v) => `client = Client(${n}="${v}")`,
  'js-object': (n, v) => `const client = new Client({ ${camel(n)}: '${v}' });`,
  'php-array': (n, v) => `$config = ['${n}' => '${v}'];`,
  'ruby-hash': (n, v) => `config = { :${n} => "${v}" }`,
  'r-arrow': (n, v) => `${n} <- "${v}"`,
  setter: (n, v) => `client.set${camel(`_${n}`)}("${v}");`,
  'map-put': (n, v) => `headers.put("${n}", "${v}");`,
  'header-dict': (n, v) => `headers["X-${camel(`_${n}`)}"] = "${v}"`,
};

function main(): void {
  const verbose = process.argv.includes('-v');
  const generic = new SecretDetector([]);
  const perContext = new Map<string, Tally>();
  const perValue = new Map<string, Tally>();
  const flaggedIds = new Map<string, Tally>();
  for (const [context, write] of Object.entries(CONTEXTS)) {
    for (const [kind, make] of Object.entries(VALUES)) {
      for (const name of SECRET_NAMES) {
        const text = write(name, make());
        const hit = generic.find(text).length > 0;
        tally(perContext, context, hit, text.replace(/\n/g, '⏎'));
        tally(perValue, kind, hit, text);
      }
      for (const name of ID_NAMES) {
        const text = write(name, make());
        tally(flaggedIds, context, generic.find(text).length === 0, text.replace(/\n/g, '⏎'));
      }
    }
  }
  const pct = percent;
  let found = 0;
  let all = 0;
  for (const [context, t] of perContext) {
    found += t.found;
    all += t.total;
    const ids = flaggedIds.get(context)!;
    console.log(`${context.padEnd(22)} found ${pct(t)}   id names left alone ${pct(ids)}`);
    if (verbose) for (const m of [...t.misses.slice(0, 5), ...ids.misses.slice(0, 5).map((s) => `(id) ${s}`)]) console.log(`    miss ${m}`);
  }
  console.log(`by value: ${[...perValue].map(([k, t]) => `${k} ${pct(t).trim()}`).join(', ')}`);
  const idsOk = [...flaggedIds.values()].reduce((s, t) => s + t.found, 0);
  const idsAll = [...flaggedIds.values()].reduce((s, t) => s + t.total, 0);
  console.log(`all                    found ${((100 * found) / all).toFixed(1)}% of ${all}   id names left alone ${((100 * idsOk) / idsAll).toFixed(1)}% of ${idsAll}`);
}

main();
