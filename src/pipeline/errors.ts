import type { z } from 'zod';
import { LineCounter, type Document } from 'yaml';

export type PathSegment = string | number;

/** `stages[2].dedup_exact.priority` */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out || '(top level)';
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  return `${typeof value} ${String(value)}`;
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let cur: unknown = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

/**
 * Turns zod issues into lines a user can act on: where (file:line:col and the path inside the
 * document), what was expected, what was found.
 */
export function describeIssues(file: string, issues: readonly z.core.$ZodIssue[], data: unknown, locate: (path: readonly PathSegment[]) => string, prefix: readonly PathSegment[] = []): string[] {
  return issues.map((issue) => {
    const path = [...prefix, ...(issue.path as PathSegment[])];
    const where = `${file}${locate(path)}: ${formatPath(path)}`;
    if (issue.code === 'unrecognized_keys') {
      return `${where}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    }
    const found = valueAt(data, issue.path as PathSegment[]);
    if (issue.code === 'invalid_type') {
      return `${where}: expected ${issue.expected}, found ${found === undefined ? 'nothing' : typeName(found)}`;
    }
    return `${where}: ${issue.message}${found !== undefined && typeof found !== 'object' ? ` (found ${typeName(found)})` : ''}`;
  });
}

/** Maps a path inside a YAML/JSON document to `:line:col` of the node (or its nearest parent). */
export function yamlLocator(doc: Document, lineCounter: LineCounter): (path: readonly PathSegment[]) => string {
  return (path) => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node && node.range) {
        const pos = lineCounter.linePos(node.range[0]);
        return `:${pos.line}:${pos.col}`;
      }
    }
    return '';
  };
}
