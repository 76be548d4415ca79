import { createRequire } from 'node:module';
import { parseExpression, type ExpressionNode } from './expression.js';

/**
 * The Stack v2's licence classes. `permissive`: the expression can be satisfied with permissive
 * licences only: an `OR` needs one permissive side (`MIT OR GPL-3.0-only` is permissive), an
 * `AND` needs both (`MIT AND GPL-2.0-only` is not), `X WITH exception` is X's class.
 * `no_license`: nothing found. `non_permissive`: everything else, including ids that are not on
 * the permissive list (copyleft, proprietary, unknown `LicenseRef-`s).
 *
 * The permissive list is every licence the Blue Oak Council rates (`@blueoak/list`: Model, Gold,
 * Silver, Bronze and Lead; the council lists permissive licences only, Lead marks the badly
 * drafted ones such as WTFPL), plus PERMISSIVE_EXTRA: public-domain dedications and permissive
 * licences the council has not rated, as ScanCode's Permissive and Public Domain categories
 * have them.
 */

export type LicenseClass = 'permissive' | 'no_license' | 'non_permissive';
export const LICENSE_CLASSES: readonly LicenseClass[] = ['permissive', 'no_license', 'non_permissive'];

const PERMISSIVE_EXTRA = [
  'CC-BY-1.0',
  'CC-BY-2.0',
  'CC-BY-2.5',
  'CC-BY-3.0',
  'CC-BY-4.0',
  'CC-PDDC',
  'PDDL-1.0',
  'SAX-PD',
  'SAX-PD-2.0',
  'NIST-PD',
  'NCBI-PD',
  'ANTLR-PD',
  'ANTLR-PD-fallback',
  'Unicode-3.0',
  'LZMA-SDK-9.22',
  'MIT-Modern-Variant',
  'Python-2.0.1',
  'OFL-1.1',
  'LicenseRef-Public-Domain',
];

const require = createRequire(import.meta.url);
let permissive: Set<string> | undefined;

/** Whether an SPDX id is on the permissive list. */
export function isPermissiveId(id: string): boolean {
  if (!permissive) {
    const ratings = require('@blueoak/list') as { licenses: { id: string }[] }[];
    permissive = new Set([...ratings.flatMap((r) => r.licenses.map((l) => l.id)), ...PERMISSIVE_EXTRA]);
  }
  return permissive.has(id);
}

function permissiveNode(node: ExpressionNode): boolean {
  if ('license' in node) return isPermissiveId(node.license);
  return node.conjunction === 'or' ? permissiveNode(node.left) || permissiveNode(node.right) : permissiveNode(node.left) && permissiveNode(node.right);
}

/** The class of a (normalised) expression; null or unparsable → no_license / non_permissive. */
export function classifyExpression(expression: string | null): LicenseClass {
  if (expression === null) return 'no_license';
  const node = parseExpression(expression);
  return node && permissiveNode(node) ? 'permissive' : 'non_permissive';
}
