/**
 * Linguist writes its rules (heuristics.yml, vendor.yml) as Ruby (Onigmo) regular expressions.
 * JavaScript reads most of them as they are; this converts the rest, exactly where a rewrite is
 * exact and approximately (said below) where JavaScript has no equivalent:
 *
 * - `^` and `$` always match at line boundaries in Ruby: the result always has the `m` flag.
 * - Leading `(?i)`, `(?m)`, `(?x)` (Ruby's `m` is JavaScript's `s`, dot matches newline).
 * - `(?i:...)` (case-insensitive group; Node 20 has no regexp modifiers): letters inside become
 *   `[aA]`, and character classes inside get both cases.
 * - `\A`, `\z`, `\Z` (start and end of the whole text) become lookarounds, `\h` (hex digit)
 *   becomes `[0-9a-fA-F]`, `(?>...)` (atomic) becomes `(?:...)` and possessive quantifiers
 *   (`*+`, `++`, `?+`, `}+`) lose their `+`: same matches, only backtracking differs.
 * - `\g<name>` (calling a named group's pattern again) becomes a copy of that group's pattern.
 * - In `(?x)` mode whitespace and `#` comments outside classes are dropped.
 */

export interface ConvertedRegex {
  source: string;
  flags: string;
}

const START = '(?<![\\s\\S])';
const END = '(?![\\s\\S])';
const END_OR_FINAL_NEWLINE = '(?=\\n?(?![\\s\\S]))';

function isLetter(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

function bothCases(c: string): string {
  return isLetter(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c;
}

/** Leading `(?imx-imx)` flag groups. */
function leadingFlags(pattern: string): { rest: string; i: boolean; s: boolean; x: boolean } {
  let rest = pattern;
  let i = false;
  let s = false;
  let x = false;
  for (let m = /^\(\?([imx]*)(?:-([imx]+))?\)/.exec(rest); m; m = /^\(\?([imx]*)(?:-([imx]+))?\)/.exec(rest)) {
    if (m[1].includes('i')) i = true;
    if (m[1].includes('m')) s = true;
    if (m[1].includes('x')) x = true;
    if (m[2]?.includes('m')) s = false;
    rest = rest.slice(m[0].length);
  }
  return { rest, i, s, x };
}

/** The source text of each named group `(?<name>...)`, for `\g<name>`. */
function namedGroups(pattern: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /\(\?<([A-Za-z_]\w*)>/g;
  for (let m = re.exec(pattern); m; m = re.exec(pattern)) {
    let depth = 1;
    let j = m.index + m[0].length;
    let inClass = false;
    for (; j < pattern.length && depth > 0; j++) {
      const c = pattern[j];
      if (c === '\\') j++;
      else if (inClass) inClass = c !== ']';
      else if (c === '[') inClass = true;
      else if (c === '(') depth++;
      else if (c === ')') depth--;
    }
    out.set(m[1], pattern.slice(m.index + m[0].length, j - 1).replace(/\(\?<[A-Za-z_]\w*>/g, '(?:'));
  }
  return out;
}

/** Escape sequences that differ between Ruby and JavaScript, or undefined to keep it. */
function escape(next: string, inClass: boolean): string | undefined {
  if (next === 'h') return inClass ? '0-9a-fA-F' : '[0-9a-fA-F]';
  if (inClass) return undefined;
  if (next === 'A') return START;
  if (next === 'z') return END;
  if (next === 'Z') return END_OR_FINAL_NEWLINE;
  return undefined;
}

/** Whether `src[at]` is an unescaped `*`, `+`, `?` or `}` (so a `+` after it makes it possessive). */
function endsQuantifier(src: string, at: number): boolean {
  if (at < 0 || !'*+?}'.includes(src[at])) return false;
  let slashes = 0;
  for (let j = at - 1; j >= 0 && src[j] === '\\'; j--) slashes++;
  return slashes % 2 === 0;
}

/** One character of a class (or a letter range), with both cases inside a case-insensitive group. */
function classPart(src: string, k: number, folding: boolean): { text: string; length: number } {
  const c = src[k];
  const swap = (l: string) => (l === l.toLowerCase() ? l.toUpperCase() : l.toLowerCase());
  if (folding && isLetter(c) && src[k + 1] === '-' && isLetter(src[k + 2] ?? '')) {
    return { text: `${c}-${src[k + 2]}${swap(c)}-${swap(src[k + 2])}`, length: 3 };
  }
  return { text: folding && isLetter(c) ? c + swap(c) : c, length: 1 };
}

/**
 * A `(` and what follows it: `(?i)` (case-insensitive for the rest of the enclosing group),
 * `(?i:` (a case-insensitive group), `(?>` (atomic, made a plain group), or any other group.
 * `stack` holds, per open group, whether it is case-insensitive.
 */
function groupOpening(src: string, k: number, stack: boolean[]): { text: string; length: number } {
  const rest = src.slice(k, k + 12);
  const midFlags = /^\(\?([imx]*)(?:-([imx]+))?\)/.exec(rest);
  if (midFlags) {
    if (midFlags[1].includes('i')) stack[stack.length - 1] = true;
    if (midFlags[2]?.includes('i')) stack[stack.length - 1] = false;
    return { text: '', length: midFlags[0].length };
  }
  const inline = /^\(\?([imx]*)(?:-([imx]+))?:/.exec(rest);
  if (inline) {
    stack.push(inline[1].includes('i') || (!inline[2]?.includes('i') && stack[stack.length - 1]));
    return { text: '(?:', length: inline[0].length };
  }
  stack.push(stack[stack.length - 1]);
  return rest.startsWith('(?>') ? { text: '(?:', length: 3 } : { text: '(', length: 1 };
}

/** Convert one Ruby pattern; throws (from `RegExp`) only if the result still is not valid. */
export function convertRubyRegex(pattern: string): ConvertedRegex {
  const lead = leadingFlags(pattern);
  const groups = namedGroups(lead.rest);
  const src = lead.rest.replace(/\\g<([A-Za-z_]\w*)>/g, (call: string, name: string) => (groups.has(name) ? `(?:${groups.get(name)})` : call));
  let out = '';
  let inClass = false;
  /** The whole pattern, then one entry per open group: whether it is case-insensitive. */
  const stack: boolean[] = [false];
  const folding = () => !lead.i && stack[stack.length - 1];
  for (let k = 0; k < src.length; k++) {
    const c = src[k];
    if (c === '\\') {
      const next = src[k + 1] ?? '';
      k++;
      out += escape(next, inClass) ?? `\\${next}`;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      const part = classPart(src, k, folding());
      out += part.text;
      k += part.length - 1;
      continue;
    }
    if (lead.x && /\s/.test(c)) continue;
    if (lead.x && c === '#') {
      while (k < src.length && src[k] !== '\n') k++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (src[k + 1] === '^') out += src[++k];
      if (src[k + 1] === ']') out += src[++k];
      continue;
    }
    if (c === '(') {
      const part = groupOpening(src, k, stack);
      out += part.text;
      k += part.length - 1;
      continue;
    }
    if (c === ')') {
      if (stack.length > 1) stack.pop();
      out += c;
      continue;
    }
    if (c === '+' && endsQuantifier(src, k - 1)) continue; // possessive
    out += folding() ? bothCases(c) : c;
  }
  return { source: out, flags: `m${lead.i ? 'i' : ''}${lead.s ? 's' : ''}` };
}

/** Compile a Ruby pattern as a JavaScript `RegExp` (see `convertRubyRegex`). */
export function rubyRegex(pattern: string): RegExp {
  const { source, flags } = convertRubyRegex(pattern);
  return new RegExp(source, flags);
}

/** Whether `source` has a `|` outside every group and class. */
function hasTopLevelAlternation(source: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let k = 0; k < source.length; k++) {
    const c = source[k];
    if (c === '\\') k++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return true;
  }
  return false;
}

const LEADING_NEGATED_RUN = /^\^\[\^((?:\\.|[^\]\\])*)\]([*+])/;

/**
 * The same yes/no answer as `source` with less backtracking, for patterns of the form
 * `^[^X]*R` or `^[^X]+R` (Linguist's Prolog rule `^[^#]*:-`). The run may cross lines, so a
 * text without a match makes the engine rescan from every line start: quadratic. A match can
 * always start at the last line start before R instead, where the run holds no newline, so
 * `^[^X\n]*R` finds the same files; for `+` the run may also be exactly one line ending in the
 * newline before R. Only for `test()`: the match found may differ, never whether there is one.
 */
export function fasterTest(source: string): string {
  const m = LEADING_NEGATED_RUN.exec(source);
  if (!m || hasTopLevelAlternation(source)) return source;
  const cls = `[^${m[1]}\\n]`;
  const rest = source.slice(m[0].length);
  return m[2] === '*' ? `^${cls}*${rest}` : `(?:^${cls}+${rest}|^${cls}*\\n${rest})`;
}

/** A Ruby pattern compiled for yes/no tests (`convertRubyRegex`, then `fasterTest`). */
export function rubyTest(pattern: string): RegExp {
  const { source, flags } = convertRubyRegex(pattern);
  return new RegExp(fasterTest(source), flags);
}
