/**
 * What a file says about its own language: an Emacs or Vim modeline, or a shebang line naming
 * an interpreter. Both are looked for only where Linguist looks (modelines in the first and last
 * five lines, the shebang on the first line).
 */
import { basenameOf, type LanguageInfo, type LanguageTable } from './table.js';

/** Modelines are looked for in the first and last five lines, within this many characters. */
const MODELINE_WINDOW = 1_000;

const EMACS = /-\*-(.*?)-\*-/;
const VIM = /(?:^|[ \t])(?:vi|vim|Vim|ex):(?:[^\n]*?[ \t:])?(?:ft|filetype|syntax)[ \t]*=[ \t]*([\w+#.-]+)/m;

/** The first `lines` lines of `text`, at most `cap` characters. */
export function head(text: string, lines: number, cap: number): string {
  let at = -1;
  for (let n = 0; n < lines; n++) {
    at = text.indexOf('\n', at + 1);
    if (at < 0 || at >= cap) return text.slice(0, Math.min(text.length, cap));
  }
  return text.slice(0, at);
}

function tail(text: string, lines: number, cap: number): string {
  let end = text.length;
  while (end > 0 && (text.charCodeAt(end - 1) === 10 || text.charCodeAt(end - 1) === 13)) end--;
  let at = end;
  for (let n = 0; n < lines; n++) {
    at = text.lastIndexOf('\n', at - 1);
    if (at < 0) break;
  }
  const start = Math.max(at + 1, end - cap, 0);
  return text.slice(start, end);
}

function emacsMode(part: string): string | undefined {
  const m = EMACS.exec(part);
  if (!m) return undefined;
  const inner = m[1].trim();
  if (!inner.includes(':')) return inner.length > 0 && !inner.includes(' ') ? inner : undefined;
  let mode: string | undefined;
  for (const kv of inner.split(';')) {
    const colon = kv.indexOf(':');
    if (colon > 0 && kv.slice(0, colon).trim().toLowerCase() === 'mode') mode = kv.slice(colon + 1).trim();
  }
  return mode;
}

/** Emacs (`-*- mode: ruby -*-`, `-*- ruby -*-`) or Vim (`vim: set ft=ruby:`) modeline. */
export function modelineLanguage(table: LanguageTable, text: string): LanguageInfo | undefined {
  for (const part of [head(text, 5, MODELINE_WINDOW), tail(text, 5, MODELINE_WINDOW)]) {
    if (part.includes('-*-')) {
      const mode = emacsMode(part);
      const lang = mode ? table.byAlias.get(mode.toLowerCase()) : undefined;
      if (lang) return lang;
    }
    if (part.includes('vi') || part.includes('ex:') || part.includes('Vim')) {
      const m = VIM.exec(part);
      const lang = m ? table.byAlias.get(m[1].toLowerCase()) : undefined;
      if (lang) return lang;
    }
  }
  return undefined;
}

/** `#!/bin/sh` + `exec scala "$0" "$@"`: the real interpreter is on a following line. */
function execInterpreter(text: string): string | undefined {
  for (const line of head(text, 5, MODELINE_WINDOW).split('\n').slice(1)) {
    const t = line.trim();
    if (t.startsWith('exec ') && t.includes('$0')) {
      return basenameOf(
        t
          .slice(5)
          .trim()
          .split(/[ \t]+/)[0],
      );
    }
  }
  return undefined;
}

/** Candidates named by the shebang's interpreter (`#!/usr/bin/env -S python3.11 -u` → python3). */
export function shebangLanguages(table: LanguageTable, text: string): readonly LanguageInfo[] | undefined {
  let end = text.indexOf('\n');
  if (end < 0) end = text.length;
  const tokens = text
    .slice(2, end)
    .trim()
    .split(/[ \t]+/);
  let i = 0;
  let name = basenameOf(tokens[0] ?? '');
  if (name === 'env') {
    i = 1;
    while (i < tokens.length && (tokens[i].startsWith('-') || tokens[i].includes('='))) i++;
    name = basenameOf(tokens[i] ?? '');
  }
  if (name === 'sh') name = execInterpreter(text) ?? name;
  if (name === 'osascript') {
    // `osascript -l JavaScript` runs JavaScript for Automation.
    const l = tokens.indexOf('-l', i);
    const lang = l >= 0 && tokens[l + 1] ? table.byAlias.get(tokens[l + 1].toLowerCase()) : undefined;
    if (lang) return [lang];
  }
  if (!name) return undefined;
  const found = table.byInterpreter.get(name);
  if (found) return found;
  // python2.7 → python2, as Linguist strips one trailing `.digits`.
  const dot = name.lastIndexOf('.');
  if (dot > 0 && /^\d+$/.test(name.slice(dot + 1))) return table.byInterpreter.get(name.slice(0, dot));
  return undefined;
}
