import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/fixtures.js';
import { hostileRelease } from './hostile.js';

test('ids, details and column values from the data are escaped in report.html and its plots', () => {
  const html = readFileSync(path.join(hostileRelease(tempDir()), 'report.html'), 'utf8');
  for (const raw of ['<script', '<img', '<svg onload', 'onmouseover="']) assert.ok(!html.includes(raw), `report.html contains ${raw} unescaped`);
  // the removed copy's id, and the kept copy's id as the removal's detail, shown as text
  assert.ok(html.includes('&lt;script&gt;alert(2)&lt;/script&gt;'));
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
  assert.ok(html.includes('q&quot;&#39; onmouseover=&quot;alert(4)'));
  // the hostile language is a label in the languages plot, escaped by vega
  assert.ok(html.includes('&lt;svg onload=alert(3)&gt;'));
});
