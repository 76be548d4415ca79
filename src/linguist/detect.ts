import { applyRules, RULES } from './heuristics.js';
import { basenameOf, extensionsOf, languageTable, type LanguageInfo, type LanguageTable } from './table.js';

/** Which step decided. `preference`: several candidates were left and the tie-break order chose. */
export type Strategy = 'modeline' | 'filename' | 'shebang' | 'extension' | 'content' | 'heuristic' | 'preference';

export interface Detection {
  language: LanguageInfo | null;
  strategy: Strategy | null;
  /** Languages still in the running before the last step (for diagnostics). */
  candidates: readonly string[];
}

const UNKNOWN: Detection = { language: null, strategy: null, candidates: [] };

/** Content rules look at this many leading characters at most. */
export const HEURISTIC_WINDOW = 50_000;
/** Modelines are looked for in the first and last five lines, within this many characters. */
const MODELINE_WINDOW = 1_000;

const EMACS = /-\*-(.*?)-\*-/;
const VIM = /(?:^|[ \t])(?:vi|vim|Vim|ex):(?:[^\n]*?[ \t:])?(?:ft|filetype|syntax)[ \t]*=[ \t]*([\w+#.-]+)/m;

function head(text: string, lines: number, cap: number): string {
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

function isXmlLike(l: LanguageInfo): boolean {
  return l.name === 'XML' || l.group === 'XML';
}

function isJsonLike(l: LanguageInfo): boolean {
  return l.name === 'JSON' || l.group === 'JSON';
}

function firstNonSpace(text: string): number {
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 0xfeff) break;
    i++;
  }
  return i;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * Language detection after GitHub Linguist's strategy order: modeline, exact file name,
 * shebang, extension (longest compound extension first), then content rules for what is still
 * ambiguous, then a fixed preference order. Each step narrows the candidates the previous left,
 * as Linguist does. All name lookups are Map lookups; regular expressions run only on content
 * of files that are still ambiguous (and for modelines, only when a marker is present).
 */
export class LanguageDetector {
  constructor(
    private readonly table: LanguageTable = languageTable(),
    private readonly useContent = true,
  ) {}

  detect(path: string, content?: string | null): Detection {
    const text = this.useContent && typeof content === 'string' ? content : undefined;
    if (text !== undefined && text.length > 0) {
      const m = this.modeline(text);
      if (m) return { language: m, strategy: 'modeline', candidates: [m.name] };
    }
    const base = basenameOf(path);
    let cands: readonly LanguageInfo[] | undefined;

    const step = (found: readonly LanguageInfo[] | undefined, strategy: Strategy): Detection | undefined => {
      if (!found || found.length === 0) return undefined;
      const narrowed = cands ? found.filter((l) => cands!.includes(l)) : found;
      if (narrowed.length === 1) return { language: narrowed[0], strategy, candidates: narrowed.map((l) => l.name) };
      if (narrowed.length > 1) cands = narrowed;
      return undefined;
    };

    let done = step(this.table.byFilename.get(base), 'filename');
    if (done) return done;
    if (text !== undefined && text.startsWith('#!')) {
      done = step(this.interpreter(text), 'shebang');
      if (done) return done;
    }
    let ext: string | undefined;
    for (const e of extensionsOf(base)) {
      const list = this.table.byExtension.get(e);
      if (list) {
        ext = e;
        done = step(list, 'extension');
        if (done) return done;
        break;
      }
    }
    if (!cands) return UNKNOWN;
    let left: readonly LanguageInfo[] = cands;
    const names = left.map((l) => l.name);
    if (text !== undefined) {
      const window = text.length > HEURISTIC_WINDOW ? text.slice(0, HEURISTIC_WINDOW) : text;
      // Generic content rules: XML and JSON announce themselves in their first character.
      const start = firstNonSpace(window);
      if (left.some(isXmlLike)) {
        const xml = window.startsWith('<?xml', start) || window.startsWith('<!DOCTYPE', start) || (window.charCodeAt(start) === 60 && isLetter(window.charCodeAt(start + 1)));
        const picked = pick(left, isXmlLike, xml);
        if (picked.decided) return { language: picked.decided, strategy: 'content', candidates: names };
        left = picked.left;
      }
      if (left.some(isJsonLike)) {
        const c = window.charCodeAt(start);
        const picked = pick(left, isJsonLike, c === 123 || c === 91);
        if (picked.decided) return { language: picked.decided, strategy: 'content', candidates: names };
        left = picked.left;
      }
      if (left.length === 1) return { language: left[0], strategy: 'content', candidates: names };
      const rules = ext !== undefined ? RULES.get(ext) : undefined;
      if (rules) {
        const name = applyRules(
          rules,
          window,
          left.map((l) => l.name),
        );
        if (name !== undefined) return { language: this.table.byName.get(name)!, strategy: 'heuristic', candidates: names };
      }
    }
    return { language: left[0], strategy: 'preference', candidates: names };
  }

  /** Emacs (`-*- mode: ruby -*-`, `-*- ruby -*-`) or Vim (`vim: set ft=ruby:`) modeline. */
  private modeline(text: string): LanguageInfo | undefined {
    for (const part of [head(text, 5, MODELINE_WINDOW), tail(text, 5, MODELINE_WINDOW)]) {
      if (part.includes('-*-')) {
        const m = EMACS.exec(part);
        if (m) {
          const inner = m[1].trim();
          let mode: string | undefined;
          if (inner.includes(':')) {
            for (const kv of inner.split(';')) {
              const colon = kv.indexOf(':');
              if (colon > 0 && kv.slice(0, colon).trim().toLowerCase() === 'mode') mode = kv.slice(colon + 1).trim();
            }
          } else if (inner.length > 0 && !inner.includes(' ')) {
            mode = inner;
          }
          const lang = mode ? this.table.byAlias.get(mode.toLowerCase()) : undefined;
          if (lang) return lang;
        }
      }
      if (part.includes('vi') || part.includes('ex:') || part.includes('Vim')) {
        const m = VIM.exec(part);
        const lang = m ? this.table.byAlias.get(m[1].toLowerCase()) : undefined;
        if (lang) return lang;
      }
    }
    return undefined;
  }

  /** Candidates named by the shebang's interpreter (`#!/usr/bin/env -S python3.11 -u` → python3). */
  private interpreter(text: string): readonly LanguageInfo[] | undefined {
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
    if (name === 'sh') {
      // `#!/bin/sh` + `exec scala "$0" "$@"`: the real interpreter is on a following line.
      for (const line of head(text, 5, MODELINE_WINDOW).split('\n').slice(1)) {
        const t = line.trim();
        if (t.startsWith('exec ') && t.includes('$0')) {
          name = basenameOf(
            t
              .slice(5)
              .trim()
              .split(/[ \t]+/)[0],
          );
          break;
        }
      }
    }
    if (name === 'osascript') {
      // `osascript -l JavaScript` runs JavaScript for Automation.
      const l = tokens.indexOf('-l', i);
      if (l >= 0 && tokens[l + 1]) {
        const lang = this.table.byAlias.get(tokens[l + 1].toLowerCase());
        if (lang) return [lang];
      }
    }
    if (!name) return undefined;
    const found = this.table.byInterpreter.get(name);
    if (found) return found;
    // python2.7 → python2, as Linguist strips one trailing `.digits`.
    const dot = name.lastIndexOf('.');
    if (dot > 0 && /^\d+$/.test(name.slice(dot + 1))) return this.table.byInterpreter.get(name.slice(0, dot));
    return undefined;
  }
}

function pick(list: readonly LanguageInfo[], like: (l: LanguageInfo) => boolean, yes: boolean): { decided?: LanguageInfo; left: readonly LanguageInfo[] } {
  if (yes) return { decided: list.find(like), left: list };
  const rest = list.filter((l) => !like(l));
  return { left: rest.length > 0 ? rest : list };
}
