/**
 * Small glob matcher for include/exclude options and input paths.
 * `**` matches any number of path segments (including none), `*` any run of characters
 * within one segment, `?` one character within a segment, `[abc]` / `[!abc]` a character
 * class, `{a,b}` alternatives. A pattern without `/` matches a path's last segment
 * (like .gitignore), so `*.min.js` matches `a/b/x.min.js`.
 */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  let i = 0;
  let braces = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        // `**/` = zero or more directories; a trailing `**` = anything
        if (pattern[i + 2] === '/') {
          re += '(?:.*/)?';
          i += 3;
        } else {
          re += '.*';
          i += 2;
        }
        continue;
      }
      re += '[^/]*';
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) {
        re += '\\[';
      } else {
        let cls = pattern.slice(i + 1, end);
        if (cls.startsWith('!')) cls = '^' + cls.slice(1);
        re += '[' + cls.replace(/\\/g, '\\\\') + ']';
        i = end;
      }
    } else if (c === '{') {
      braces++;
      re += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      re += ')';
    } else if (c === ',' && braces > 0) {
      re += '|';
    } else {
      re += c.replace(/[.+^$()|\\]/g, '\\$&');
    }
    i++;
  }
  return new RegExp('^' + re + '$');
}

export function isGlob(p: string): boolean {
  return /[*?[{]/.test(p);
}

/** A compiled list of patterns; `matches` tests a `/`-separated relative path. */
export class PatternSet {
  private readonly full: RegExp[] = [];
  private readonly base: RegExp[] = [];

  constructor(patterns: readonly string[] = []) {
    for (const p of patterns) {
      const trimmed = p.replace(/^\.\//, '').replace(/\/$/, '');
      if (trimmed.includes('/')) this.full.push(globToRegExp(trimmed));
      else this.base.push(globToRegExp(trimmed));
    }
  }

  get empty(): boolean {
    return this.full.length === 0 && this.base.length === 0;
  }

  matches(relPath: string): boolean {
    for (const r of this.full) if (r.test(relPath)) return true;
    if (this.base.length > 0) {
      const name = relPath.slice(relPath.lastIndexOf('/') + 1);
      for (const r of this.base) if (r.test(name)) return true;
    }
    return false;
  }
}
