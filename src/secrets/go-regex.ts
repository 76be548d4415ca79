/**
 * Go (RE2) regular expressions, as gitleaks' rule files write them, turned into JavaScript ones.
 *
 * The two dialects agree on almost everything rule files use; what differs is spelled out here:
 * - flag groups: `(?i)` turns case folding on until the end of the enclosing group, anywhere in the
 *   pattern (`\b(p8e-(?i)[a-z0-9]{32})`), and `(?i:…)` / `(?-i:…)` scope it. Node 20's RegExp has
 *   no inline flags, so a pattern folded throughout gets the `i` flag, and one folded only in part
 *   gets its letters spelled in both cases there (`[pP]`, `[a-zA-Z]`). `(?s)` makes `.` match a line
 *   end the same way; `(?m)` becomes the `m` flag;
 * - `(?P<name>…)` is `(?<name>…)`; `\A` and `\z` are `^` and `$`; `\Q…\E` quotes literally;
 * - POSIX classes (`[[:alnum:]]`) are spelled out; a `]` first in a class is a literal `]`.
 * A pattern that is still not a valid JavaScript RegExp is an error for the caller to report.
 */

const POSIX: Record<string, string> = {
  alnum: 'A-Za-z0-9',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: ' \\t',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '\\w',
  xdigit: '0-9A-Fa-f',
};

interface Mode {
  fold: boolean;
  dotAll: boolean;
}

const isLetter = (c: string): boolean => /^[A-Za-z]$/.test(c);
const swapCase = (c: string): string => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase());
const escapeLiteral = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** Reads a flag group at `i` (`(?i)`, `(?i:`, `(?-i:`, `(?is)`): its flags and where it ends, or null. */
function flagGroup(src: string, i: number): { on: string; off: string; scoped: boolean; end: number } | null {
  const m = /^\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])/.exec(src.slice(i, i + 16));
  if (!m || (m[1] === '' && m[2] === undefined)) return null;
  return { on: m[1], off: m[2] ?? '', scoped: m[3] === ':', end: i + m[0].length };
}

/** A character class starting at `i` (`[`): its JavaScript spelling and where it ends. */
function charClass(src: string, i: number, fold: boolean): { out: string; end: number } {
  let j = i + 1;
  let out = '[';
  if (src[j] === '^') {
    out += '^';
    j++;
  }
  if (src[j] === ']') {
    out += '\\]';
    j++;
  }
  const extra: string[] = [];
  while (j < src.length && src[j] !== ']') {
    const posix = /^\[:(\^?)([a-z]+):\]/.exec(src.slice(j, j + 12));
    if (posix && POSIX[posix[2]] && !posix[1]) {
      out += POSIX[posix[2]];
      j += posix[0].length;
      continue;
    }
    if (src[j] === '\\') {
      out += src.slice(j, j + 2);
      j += 2;
      continue;
    }
    if (src[j] === '[') out += '\\[';
    else out += src[j];
    // letters and letter ranges get their other case when folding
    if (fold && isLetter(src[j])) {
      if (src[j + 1] === '-' && isLetter(src[j + 2] ?? '')) {
        extra.push(`${swapCase(src[j])}-${swapCase(src[j + 2])}`);
        out += src.slice(j + 1, j + 3);
        j += 3;
        continue;
      }
      extra.push(swapCase(src[j]));
    }
    j++;
  }
  if (j >= src.length) throw new Error('unterminated character class');
  return { out: `${out}${extra.join('')}]`, end: j + 1 };
}

/** Rewrites the pattern with folding and dot-all applied by hand where they are on (`fold` / `dotAll` as given at the start). */
function rewrite(src: string, start: Mode, byHand: boolean): string {
  const stack: Mode[] = [];
  let mode = { ...start };
  let out = '';
  for (let i = 0; i < src.length;) {
    const c = src[i];
    if (c === '\\') {
      const next = src[i + 1];
      if (next === 'Q') {
        const end = src.indexOf('\\E', i + 2);
        const literal = src.slice(i + 2, end < 0 ? src.length : end);
        out += byHand && mode.fold ? [...literal].map((ch) => (isLetter(ch) ? `[${ch}${swapCase(ch)}]` : escapeLiteral(ch))).join('') : escapeLiteral(literal);
        i = end < 0 ? src.length : end + 2;
      } else {
        out += next === 'A' ? '^' : next === 'z' ? '$' : src.slice(i, i + 2);
        i += 2;
      }
      continue;
    }
    if (c === '[') {
      const cls = charClass(src, i, byHand && mode.fold);
      out += cls.out;
      i = cls.end;
      continue;
    }
    if (c === '(') {
      const flags = flagGroup(src, i);
      if (flags) {
        const next = { fold: flags.on.includes('i') ? true : flags.off.includes('i') ? false : mode.fold, dotAll: flags.on.includes('s') ? true : flags.off.includes('s') ? false : mode.dotAll };
        if (flags.scoped) {
          stack.push(mode);
          out += '(?:';
        }
        mode = next;
        i = flags.end;
        continue;
      }
      stack.push({ ...mode });
      if (src.startsWith('(?P<', i)) {
        out += '(?<';
        i += 4;
      } else {
        out += c;
        i++;
      }
      continue;
    }
    if (c === ')') {
      mode = stack.pop() ?? mode;
      out += c;
      i++;
      continue;
    }
    if (c === '.' && byHand && mode.dotAll) out += '[\\s\\S]';
    else if (byHand && mode.fold && isLetter(c)) out += `[${c}${swapCase(c)}]`;
    else out += c;
    i++;
  }
  return out;
}

/**
 * A JavaScript RegExp for a Go pattern, with `flags` added (the caller's `g`, `d`). Throws on a
 * pattern JavaScript cannot express.
 */
export function goRegExp(source: string, flags = ''): RegExp {
  const leading = /^\(\?([a-z]+)\)/.exec(source);
  const rest = leading ? source.slice(leading[0].length) : source;
  const lead = leading?.[1] ?? '';
  // folded (or dot-all) throughout: the whole pattern under a leading (?i), never switched off or on again
  const uniform = (f: string) => lead.includes(f) && !new RegExp(`\\(\\?[a-z]*-[a-z]*${f}`).test(rest);
  const midFlags = /\(\?(?:[a-z]+(?:-[a-z]*)?|-[a-z]+)[:)]/.test(rest.replace(/\\./g, ''));
  const fold = uniform('i');
  const dotAll = uniform('s');
  const byHand = midFlags || (lead !== '' && ((lead.includes('i') && !fold) || (lead.includes('s') && !dotAll)));
  const body = rewrite(rest, { fold: lead.includes('i'), dotAll: lead.includes('s') }, byHand);
  let js = flags;
  if (!byHand && fold) js += 'i';
  if (!byHand && dotAll) js += 's';
  if (lead.includes('m') || /\(\?[a-z]*m[a-z]*(?:-[a-z]*)?[:)]/.test(rest)) js += 'm';
  return new RegExp(body, [...new Set(js)].join(''));
}
