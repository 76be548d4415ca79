import { parseExpression, renderExpression, type ExpressionNode } from './expression.js';

/**
 * Licence exceptions granted in a notice: "As a special exception, ..." paragraphs and exception
 * names beside a GNU or Apache grant, read from the normalised words (normalize.ts) by their
 * names and by the opening words of the SPDX exception texts. An exception attaches to the one
 * licence of the notice it can modify (`GPL-3.0-or-later WITH GCC-exception-3.1`); with none, or
 * several, it is left out rather than guessed.
 */

interface ExceptionRule {
  id: string;
  pattern: RegExp;
  /** Licences the exception is written for (id prefixes). */
  on: string[];
  /** The exception's text from its opening to its last words, where it names other licences (not a grant of them). */
  text?: RegExp;
}

const GNU = ['GPL-', 'LGPL-', 'AGPL-'];

const RULES: ExceptionRule[] = [
  { id: 'GCC-exception-3.1', pattern: /\bgcc runtime library exception\b/, on: GNU },
  { id: 'Classpath-exception-2.0', pattern: /\bclasspath exception\b|\blinking this library statically or dynamically with other modules is making a combined work based on this library\b/, on: GNU },
  // by name, or by the opening words of its text, which Debian's copyright files quote alone
  {
    id: 'LLVM-exception',
    pattern:
      /\bwith llvm exceptions?\b|\bllvm exceptions? to the apache\b|\bas an exception if as a result of your compiling your source code portions of this software are embedded into an object form\b/,
    on: ['Apache-2.0'],
    // its second paragraph speaks of "software that is licensed under the GPLv2": no grant of the GPL
    text: /\bas an exception if as a result of your compiling your source code\b.{0,1500}?\bonly with respect to the combined software\b/g,
  },
  { id: 'Texinfo-exception', pattern: /\bas a special exception when this file is read by tex when processing a texinfo source\b/, on: GNU },
  { id: 'Bison-exception-2.2', pattern: /\bas a special exception you may create a larger work that contains part or all of the bison parser skeleton\b/, on: GNU },
  { id: 'Font-exception-2.0', pattern: /\bas a special exception if you create a document which uses this font\b/, on: GNU },
  { id: 'Linux-syscall-note', pattern: /\bthis copyright does not cover user programs that use kernel services by normal system calls\b/, on: GNU },
  {
    id: 'Libtool-exception',
    pattern: /\bas a special exception to the gnu general public license if you distribute this file as part of a program or library that is built using gnu libtool\b/,
    on: GNU,
  },
  {
    id: 'Autoconf-exception-2.0',
    pattern: /\bas a special exception the free software foundation gives unlimited permission to copy distribute and modify the configure scripts that are the output of autoconf\b/,
    on: GNU,
  },
];

/** The rule of an exception id; one with no rule here (an exception found by its text, see match.ts) is for the GNU licences. */
export function exceptionRule(id: string): ExceptionRule {
  return RULES.find((r) => r.id === id) ?? { id, pattern: /(?!)/, on: GNU };
}

/** A normalised text without the exception texts that name other licences (see ExceptionRule.text). */
export function withoutExceptionTexts(text: string): string {
  if (!text.includes('as an exception')) return text;
  return RULES.reduce((t, r) => (r.text ? t.replace(r.text, ' ') : t), text).replace(/ {2,}/g, ' ');
}

/**
 * An exception found with no licence named beside it, when it is written for one licence only
 * (the LLVM exception's text quoted alone: `Apache-2.0 WITH LLVM-exception`); null otherwise.
 */
export function exceptionAlone(exceptions: ExceptionRule[]): string | null {
  const only = exceptions.filter((e) => e.on.length === 1 && /\d$/.test(e.on[0]));
  return only.length === 1 ? `${only[0].on[0]} WITH ${only[0].id}` : null;
}

/** The exceptions a normalised text grants, in rule order. */
export function findExceptions(text: string): ExceptionRule[] {
  if (!text.includes('exception') && !text.includes('system calls')) return [];
  return RULES.filter((r) => r.pattern.test(text));
}

/**
 * `expression` with each exception attached to its one licence that the exception is written
 * for (and that has none yet); the expression unchanged when that licence is not one.
 */
export function withExceptions(expression: string, exceptions: ExceptionRule[]): string {
  if (exceptions.length === 0) return expression;
  const node = parseExpression(expression);
  if (!node) return expression;
  const leaves: { license: string; exception?: string }[] = [];
  const walk = (n: ExpressionNode): void => {
    if ('license' in n) leaves.push(n);
    else {
      walk(n.left);
      walk(n.right);
    }
  };
  walk(node);
  for (const e of exceptions) {
    const targets = leaves.filter((l) => !l.exception && e.on.some((p) => l.license.startsWith(p)));
    if (new Set(targets.map((l) => l.license)).size === 1) for (const l of targets) l.exception = e.id;
  }
  return renderExpression(node);
}
