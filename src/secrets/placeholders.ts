/**
 * Values that stand for a secret rather than being one: masks, runs typed to a length,
 * templates and references, stand-in words. Each test keys on what a person writes in place of a
 * secret, not on characters a random secret can hold by chance: a generated password holds `${`,
 * `%…s` or `{{` now and then, a provider's format a constant run (`…AAAAAAAAAA…`), a counter a
 * run of zeros (bench/secrets-placeholders.ts measures both sides).
 */
import { looksRandom } from './entropy.js';

/**
 * A masked, shortened or redacted value: `****`, `...`, `••••`, `####`, and x's, the letter
 * people type over a secret (`sk_live_xxxx…`, `…ZXXXXXXXXJnr…`), wherever they stand.
 */
const MASK = /\*{3,}|\.{3,}|•{3,}|#{4,}|x{4,}|X{4,}/;
/** Runs a stand-in is typed with, or a format holds: underscores, one character six times or more. */
const RUN = /_{4,}|(.)\1{5,}/;
const RUNS = new RegExp(RUN.source, 'g');

/**
 * Templates, each as written: `<your-key>`, `${TOKEN}`, `${{ secrets.X }}`, `{{ secret }}`,
 * `{% secret %}`, printf's `%s` / `%(name)s` / `%1$s` / `%-8s`, `process.env.X`, `os.environ[...]`,
 * `getenv(...)`, `%NAME%`, `@NAME@`, `[NAME]`. An opening `${` or `{{` with no closing brace, or a
 * `%` before letters that happen to end in `s` (`%2Fmlks`, URL-encoded), is no template.
 */
const TEMPLATE =
  /^<[^<>]*>$|\$\{\{|\$\{[\s!#]*\w[^{}]*\}|\{\{[^{}]*\}\}|\{%[^{}]*%\}|%(?:\([\w.-]+\)|\d+\$)?[-+ #0]?\d{0,3}s(?![A-Za-z0-9])|process\.env|os\.environ|getenv|ENV\[|^%[A-Za-z_]+%$|^@[A-Za-z_]+@$|^\[[A-Z_]+\]$/;

/** A variable and what is read from it: `$API_KEY`, `$env:TOKEN`, `$this->key`, `$config['key']`, `$ENV{KEY}`. */
const VARIABLE = /\$(?:env:)?[A-Za-z_]\w*(?:->\w+|::\w+|\.\w+|\[[^\]]*\]|\{[^}]*\}|\([^()]*\))*/g;

/**
 * A value that reads a variable (`$API_KEY`, `$USER:$PASS`): it starts with one, and what the
 * variables leave is half the value or less, or no random string (a generated password may
 * start with `$` and a letter: `$kT9#x!Qz…` leaves a random rest).
 */
function isReference(value: string): boolean {
  if (value.charCodeAt(0) !== 36 || !/^\$(?:env:)?[A-Za-z_]/.test(value)) return false;
  const rest = value.replace(VARIABLE, '');
  return rest.length * 2 <= value.length || !looksRandom(rest, 0.85, 12);
}

/** A word as a person types it, alone or in a camelCase or snake_case name: `fake`, `FAKE` or `Fake`. */
const typed = (word: string): string => `(?:${word}|${word.toUpperCase()}|${word[0].toUpperCase()}${word.slice(1)})`;
const either = (...words: string[]): string => `(?:${words.map(typed).join('|')})`;

/**
 * Words that mark a value as an example or a stand-in, wherever they stand in it, each word in
 * one of the cases people type (`fake_key`, `myFakeKey`, `ChangeMe`, `YOUR_API_KEY`, `afakekey`):
 * the same letters in a long random token come in random case (`…TnfaKEZ…` in a PyPI token).
 */
const STAND_IN_WORDS = new RegExp(
  [
    `${typed('change')}[_-]?${either('me', 'it')}`,
    `${typed('your')}[_-]?(?:${typed('own')}[_-]?)?(?:${typed('api')}[_-]?)?${either('key', 'token', 'secret', 'pass', 'password', 'pwd', 'here')}`,
    `${typed('your')}[_-]`,
    `${typed('place')}${typed('holder')}`,
    either('dummy', 'fake', 'sample', 'redacted'),
    `${typed('insert')}[_-]?${either('key', 'your', 'here')}`,
    `${typed('replace')}[_-]?${either('me', 'with', 'this')}`,
    `_${typed('here')}\\b`,
  ].join('|'),
);
/** Values that are a stand-in word alone, in any case. */
const STAND_IN_VALUE =
  /^(?:todo|fixme|tbd|n\/?a|none|null|nil|undefined|true|false|empty|test|testing|secret|password|passwd|pass|pwd|token|key|apikey|api_key|value|string|default|required|optional|hidden|example)$/i;

const hasStandInWord = (value: string): boolean => STAND_IN_VALUE.test(value) || STAND_IN_WORDS.test(value);

/** A template or reference (`<your-key>`, `${TOKEN}`, `$API_KEY`, `process.env.X`): never a secret, even in a provider's format. */
export function isTemplate(value: string): boolean {
  return TEMPLATE.test(value) || isReference(value);
}

/**
 * A value with runs (`____`, `000000`, `AAAAAAAAAA`): a stand-in when the runs make a third of
 * it or more, or when what is left without them is no random string of 16 characters or more
 * (`sk_live_000000…`, `1234______`). A random body around a constant run is a secret: formats
 * have constant segments, counters leading zeros.
 */
export function isFillerRun(value: string): boolean {
  if (!RUN.test(value)) return false;
  const rest = value.replace(RUNS, '');
  return (value.length - rest.length) * 3 >= value.length || !looksRandom(rest, 0.85, 16);
}

/** A value that stands for a secret rather than being one. */
export function isPlaceholder(value: string): boolean {
  return MASK.test(value) || isTemplate(value) || hasStandInWord(value) || isFillerRun(value);
}
