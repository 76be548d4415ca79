import { createRequire } from 'node:module';

/**
 * SPDX license expressions: parsing (`spdx-expression-parse`), repair of what people write
 * (`spdx-correct`: `Apache 2` → `Apache-2.0`, `GPLv3` → `GPL-3.0-or-later`), deprecated ids
 * upgraded (`GPL-2.0` → `GPL-2.0-only`, `GPL-2.0+` → `GPL-2.0-or-later`), conjunction of the
 * licences found in several files, and the class of an expression (see classify.ts).
 */

const require = createRequire(import.meta.url);
const parseSpdx = require('spdx-expression-parse') as (s: string) => ExpressionNode;
const correctSpdx = require('spdx-correct') as (s: string, o?: { upgrade?: boolean }) => string | null;

export type ExpressionNode = { license: string; plus?: true; exception?: string } | { left: ExpressionNode; conjunction: 'and' | 'or'; right: ExpressionNode };

export /** Deprecated SPDX ids whose text is a licence plus an exception. */
const DEPRECATED_WITH_EXCEPTION: Record<string, string> = {
  'GPL-2.0-with-classpath-exception': 'GPL-2.0-only WITH Classpath-exception-2.0',
  'GPL-2.0-with-GCC-exception': 'GPL-2.0-only WITH GCC-exception-2.0',
  'GPL-2.0-with-autoconf-exception': 'GPL-2.0-only WITH Autoconf-exception-2.0',
  'GPL-2.0-with-bison-exception': 'GPL-2.0-only WITH Bison-exception-2.2',
  'GPL-2.0-with-font-exception': 'GPL-2.0-only WITH Font-exception-2.0',
  'GPL-3.0-with-GCC-exception': 'GPL-3.0-only WITH GCC-exception-3.1',
  'GPL-3.0-with-autoconf-exception': 'GPL-3.0-only WITH Autoconf-exception-3.0',
  'eCos-2.0': 'GPL-2.0-or-later WITH eCos-exception-2.0',
  wxWindows: 'LGPL-2.0-or-later WITH WxWindows-exception-3.1',
};

/** Deprecated GNU ids (and `X+`) → the id SPDX replaced them with. */
function upgradeId(id: string, plus: boolean): string {
  if (Object.hasOwn(DEPRECATED_WITH_EXCEPTION, id)) return DEPRECATED_WITH_EXCEPTION[id];
  const gnu = /^(A?GPL|LGPL|GFDL)-(\d\.\d)(\+|-only|-or-later)?$/.exec(id);
  if (gnu) return `${gnu[1]}-${gnu[2]}${plus || gnu[3] === '+' || gnu[3] === '-or-later' ? '-or-later' : '-only'}`;
  return plus ? `${id}+` : id;
}

function render(node: ExpressionNode, parent?: 'and' | 'or'): string {
  if ('license' in node) {
    const id = upgradeId(node.license, node.plus === true);
    if (node.exception) return `${id} WITH ${node.exception}`;
    return parent && id.includes(' WITH ') ? `(${id})` : id;
  }
  const s = `${render(node.left, node.conjunction)} ${node.conjunction.toUpperCase()} ${render(node.right, node.conjunction)}`;
  return parent && parent !== node.conjunction ? `(${s})` : s;
}

function tryParse(s: string): ExpressionNode | null {
  try {
    return parseSpdx(s);
  } catch {
    return null;
  }
}

/** Words people use for "no licence granted": never read as a licence (spdx-correct makes `UNLICENSED` the Unlicense). */
let knownIds: Map<string, string> | undefined;

/** SPDX licence and exception ids by lowercase: `Linux-Openib` → `Linux-OpenIB`. */
export function knownId(token: string): string | undefined {
  if (!knownIds) {
    const ids = [...(require('spdx-license-ids') as string[]), ...(require('spdx-license-ids/deprecated.json') as string[]), ...(require('spdx-exceptions') as string[])];
    knownIds = new Map(ids.map((id) => [id.toLowerCase(), id]));
  }
  return knownIds.get(token.toLowerCase());
}

/**
 * Repairs an expression of known ids token by token, keeping its operators: ids in the wrong
 * case, and ids written side by side (`GPL-2.0+ BSD-2-Clause`), which U-Boot's licence rules
 * (Licenses/README, the convention that wrote them) define as a choice: the file "may be used
 * under the terms of any of these licenses".
 */
function repairTokens(s: string): ExpressionNode | null {
  const tokens = s
    .replace(/([()])/g, ' $1 ')
    .split(/\s+/)
    .filter(Boolean);
  const out: string[] = [];
  for (const t of tokens) {
    const op = /^(and|or|with)$/i.test(t) ? t.toUpperCase() : undefined;
    const prev = out[out.length - 1];
    const prevIsId = prev !== undefined && !/^(AND|OR|WITH|\()$/.test(prev);
    if (!op && t !== ')' && prevIsId && prev !== ')') out.push('OR');
    else if (!op && t === '(' && prev === ')') out.push('AND');
    if (op || t === '(' || t === ')') out.push(op ?? t);
    else {
      const plus = t.endsWith('+') && !knownId(t) ? '+' : '';
      const bare = plus ? t.slice(0, -1) : t;
      const id = knownId(bare);
      if (!id) return null; // free text: left to spdx-correct as a whole
      out.push(id + plus);
    }
  }
  return tryParse(out.join(' '));
}

const NOT_A_LICENSE = /^(?:unlicen[cs]ed|proprietary|none|see license in .*|see licen[cs]e.*|other|custom|commercial|all rights reserved)$/i;

/** The parse tree of an expression as written or repaired, or null when it is not one. */
export function parseExpression(raw: string): ExpressionNode | null {
  const s = raw.trim().replace(/\s+/g, ' ');
  if (s === '' || NOT_A_LICENSE.test(s)) return null;
  const direct = tryParse(s) ?? repairTokens(s) ?? withNewerExceptions(s);
  if (direct) return direct;
  // a list written with another separator (`MIT/Apache-2.0`, `GPL-2 | GPL-3`, `MIT, Apache 2.0`) before
  // spdx-correct, which would keep only one of its licences
  const list = alternativesList(s);
  if (list) return list;
  const whole = correctSpdx(s, { upgrade: true });
  return whole ? tryParse(whole) : null;
}

/** A real exception id that stands in for unknown ones while parsing (see withNewerExceptions). */
const STAND_IN_EXCEPTION = 'Classpath-exception-2.0';

/**
 * SPDX adds exceptions faster than the `spdx-exceptions` package ships them, and the parser
 * rejects an expression naming one it does not know (`GPL-2.0-or-later WITH
 * RRDtool-FLOSS-exception-2.0`); spdx-correct then rewrites the whole thing into another licence.
 * Whatever follows WITH is an exception, so an id-shaped token there is kept as written.
 */
function withNewerExceptions(s: string): ExpressionNode | null {
  if (s.includes(STAND_IN_EXCEPTION)) return null;
  const unknown: string[] = [];
  const replaced = s.replace(/\bWITH\s+([A-Za-z0-9][A-Za-z0-9.+-]*)(?=\s|\)|$)/gi, (whole: string, id: string) => {
    if (knownId(id)) return whole;
    unknown.push(id);
    return `WITH ${STAND_IN_EXCEPTION}`;
  });
  if (unknown.length === 0) return null;
  const node = tryParse(replaced) ?? repairTokens(replaced);
  if (!node) return null;
  // the parse tree keeps the text's order, so the stand-ins come back in the order they went in
  const restore = (n: ExpressionNode): ExpressionNode =>
    'license' in n ? (n.exception === STAND_IN_EXCEPTION ? { ...n, exception: unknown.shift() } : n) : { ...n, left: restore(n.left), right: restore(n.right) };
  return restore(node);
}

function alternativesList(s: string): ExpressionNode | null {
  const parts = s.split(/\s*(?:\bor\b|\/|\||,)\s*/i).filter(Boolean);
  if (parts.length < 2) return null;
  const fixed = parts.map((p) => {
    const corrected = tryParse(p) ? p : correctSpdx(p, { upgrade: true });
    return corrected ? tryParse(corrected) : null;
  });
  if (fixed.some((p) => p === null)) return null;
  return fixed.reduce((left, right) => ({ left: left!, conjunction: 'or', right: right! }))!;
}

/** A canonical SPDX expression (deprecated ids upgraded), or null when `raw` is not one. */
export function normalizeExpression(raw: string): string | null {
  const node = parseExpression(raw);
  return node ? render(node) : null;
}

/** Canonical rendering of a parse tree. */
export function renderExpression(node: ExpressionNode): string {
  return render(node);
}

/** Each licence id (with its exception) of an expression. */
export function licensesOf(node: ExpressionNode): string[] {
  if ('license' in node) return [render(node)];
  return [...licensesOf(node.left), ...licensesOf(node.right)];
}

/** All of several expressions apply: `A AND B`, each distinct one once, alternatives parenthesised. */
export function conjunction(expressions: string[]): string | null {
  const distinct = [...new Set(expressions)];
  if (distinct.length === 0) return null;
  if (distinct.length === 1) return distinct[0];
  return distinct.map((e) => (/ OR /.test(e) && !/^\(.*\)$/.test(e) ? `(${e})` : e)).join(' AND ');
}

function flatten(node: ExpressionNode, op: 'and' | 'or', out: ExpressionNode[]): void {
  if (!('license' in node) && node.conjunction === op) {
    flatten(node.left, op, out);
    flatten(node.right, op, out);
  } else out.push(node);
}

function canonical(node: ExpressionNode): string {
  if ('license' in node) return render(node);
  const operands: ExpressionNode[] = [];
  flatten(node, node.conjunction, operands);
  const parts = [...new Set(operands.map((o) => ('license' in o ? canonical(o) : `(${canonical(o)})`)))].sort();
  return parts.length === 1 ? parts[0] : parts.join(` ${node.conjunction.toUpperCase()} `);
}

/** A comparison key: two expressions that differ only in operand order or repeats get the same key. */
export function expressionKey(expression: string | null): string | null {
  if (expression === null) return null;
  const node = parseExpression(expression);
  return node ? canonical(node) : expression;
}
