import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import type { RunStats } from '../../src/engine/stats.js';
import type { Manifest } from '../../src/release/manifest.js';
import { makeCodeTree, tempDir } from '../helpers/fixtures.js';
import { REPO_ROOT, thresher } from '../helpers/cli.js';
import { HOSTILE, hostileRelease } from './hostile.js';

/**
 * report.html opened by a real browser: Debian's chromium (installed by .ci/run), driven by
 * playwright-core. Without it the test skips, except in CI (CI=true), where it fails.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const missing = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} not found (Debian package chromium; or set CHROMIUM_PATH)`;
const options = { skip: missing && process.env.CI !== 'true' ? `skipped: ${missing}` : false, timeout: 240_000 };
/** Screenshots kept for a person to look at (gitignored). */
const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts');

async function launch(): Promise<Browser> {
  // --no-sandbox: CI runs as root, where chromium's sandbox refuses to start
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

test('the demo release report opens offline, without JavaScript, and shows the funnel of stats.json', options, async () => {
  if (missing) assert.fail(missing); // CI=true: fail at once, before making a release
  const dir = tempDir();
  const out = path.join(dir, 'demo');
  const demo = thresher(['demo', '-i', makeCodeTree(dir, ['commander', 'yaml']), '-o', out, '-w', '2', '-q']);
  assert.equal(demo.status, 0, demo.stderr);
  const v1 = path.join(out, 'v1');
  const stats = JSON.parse(readFileSync(path.join(v1, 'stats.json'), 'utf8')) as RunStats;
  const m = JSON.parse(readFileSync(path.join(v1, 'manifest.json'), 'utf8')) as Manifest;
  const browser = await launch();
  try {
    const page = await browser.newPage({ javaScriptEnabled: false, viewport: { width: 1000, height: 900 } });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(path.join(v1, 'report.html')).href);
    await assertVisible(page.locator('#funnel svg'), 'the funnel plot');
    await assertVisible(page.locator('#distributions svg').first(), 'a distribution plot');
    const rows = page.locator('#funnel-table tbody tr');
    assert.equal(await rows.count(), Object.keys(stats.stages).length);
    for (const s of Object.values(stats.stages)) {
      const row = page.locator(`#funnel-table tr[data-stage="${s.stage}"]`);
      await assertVisible(row, `funnel row ${s.stage}`);
      const shown = async (field: string) => Number((await row.locator(`td[data-field="${field}"]`).innerText()).replace(/,/g, ''));
      assert.equal(await shown('records_in'), s.records_in, `${s.stage} records in`);
      assert.equal(await shown('records_out'), s.records_out, `${s.stage} records out`);
      assert.equal(await shown('excluded'), s.records_in - s.records_out, `${s.stage} excluded`);
    }
    for (const [reason, n] of Object.entries(m.counts.excluded)) {
      assert.equal(Number((await page.locator(`#exclusions-table tr[data-reason="${reason}"] td[data-field="count"]`).innerText()).replace(/,/g, '')), n);
      await assertVisible(page.locator(`#examples table[data-reason="${reason}"]`), `examples of ${reason}`);
    }
    assert.deepEqual(
      requests.filter((u) => !u.startsWith('file:')),
      [],
      'the report loads nothing from a network',
    );
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-demo.png'), fullPage: true });
  } finally {
    await browser.close();
  }
});

test('hostile ids and values in the data show as text in the browser and run nothing', options, async () => {
  if (missing) assert.fail(missing);
  const v1 = hostileRelease(tempDir());
  const browser = await launch();
  try {
    // JavaScript on: an unescaped <script> or onerror= would open a dialog
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(pathToFileURL(path.join(v1, 'report.html')).href);
    await assertVisible(page.getByText(HOSTILE.removedId, { exact: true }).first(), 'the removed id as text');
    await assertVisible(page.getByText(HOSTILE.quoteId, { exact: true }).first(), 'the quoted id as text');
    await page.mouse.move(200, 200);
    assert.deepEqual(dialogs, []);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-hostile.png'), fullPage: true });
  } finally {
    await browser.close();
  }
});

async function assertVisible(locator: import('playwright-core').Locator, what: string): Promise<void> {
  assert.ok(await locator.isVisible(), `${what} is visible`);
  const box = await locator.boundingBox();
  assert.ok(box && box.width > 0 && box.height > 0, `${what} has a size`);
}
