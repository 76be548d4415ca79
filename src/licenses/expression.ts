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

/** Deprecated GNU ids (and `X+`) → the id SPDX replaced them with. */
function upgradeId(id: string, plus: boolean): string {
  const gnu = /^(A?GPL|LGPL|GFDL)-(\d\.\d)(\+|-only|-or-later)?$/.exec(id);
  if (gnu) return `${gnu[1]}-${gnu[2]}${plus || gnu[3] === '+' || gnu[3] === '-or-later' ? '-or-later' : '-only'}`;
  return plus ? `${id}+` : id;
}

function render(node: ExpressionNode, parent?: 'and' | 'or'): string {
  if ('license' in node) {
    const id = upgradeId(node.license, node.plus === true);
    return node.exception ? `${id} WITH ${node.exception}` : id;
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
const NOT_A_LICENSE = /^(?:unlicen[cs]ed|proprietary|none|see license in .*|see licen[cs]e.*|other|custom|commercial|all rights reserved)$/i;

/** The parse tree of an expression as written or repaired, or null when it is not one. */
export function parseExpression(raw: string): ExpressionNode | null {
  const s = raw.trim().replace(/\s+/g, ' ');
  if (s === '' || NOT_A_LICENSE.test(s)) return null;
  const direct = tryParse(s);
  if (direct) return direct;
  const whole = correctSpdx(s, { upgrade: true });
  if (whole) return tryParse(whole);
  // a list written with another separator: `MIT/Apache-2.0`, `GPL-2 | GPL-3`, `MIT, Apache 2.0`
  const parts = s.split(/\s*(?:\bor\b|\/|\||,)\s*/i).filter(Boolean);
  if (parts.length < 2) return null;
  const fixed = parts.map((p) => tryParse(p) ?? (correctSpdx(p, { upgrade: true }) ? tryParse(correctSpdx(p, { upgrade: true })!) : null));
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
