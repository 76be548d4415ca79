import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { runInline } from '../../src/executors/inline.js';
import { runUserQuery } from '../../src/explore/query.js';
import { openRelease } from '../../src/explore/release.js';
import { startExplorer } from '../../src/serve/server.js';
import { verifyRelease } from '../../src/release/verify.js';
import { fixturePipeline, makeFixtureRelease, OPTED_OUT, semanticStages } from '../explore/fixture.js';
import { artifact, launchOrSkip } from './browser.js';

async function sql(release: string, query: string) {
  const r = await openRelease(release);
  try {
    return (await runUserQuery(r.connection, query)).rows;
  } finally {
    r.close();
  }
}

/** The ids in the records table, once the answer to the request the action makes is in. */
async function tableIds(page: Page, action: () => Promise<unknown>): Promise<string[]> {
  const answered = page.waitForResponse((res) => res.url().includes('/api/records'));
  await action();
  await answered;
  await page.waitForSelector('#results');
  return page.$$eval('#results tbody tr', (rows) => rows.map((r) => r.getAttribute('data-id') ?? ''));
}

test('explorer in chromium: browse, filter, search, record, cluster, semantic search, opt-out, and a review that makes the next release', async (t) => {
  const browser = await launchOrSkip(t);
  if (!browser) return;
  const fixture = await makeFixtureRelease({ semantic: true });
  const release = fixture.release.dir;
  const reviewFile = path.join(fixture.dir, 'review.json');
  const explorer = await startExplorer(release, { port: 0, reviewFile, labelColumn: 'language' });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    // loads: the first page of records
    const first = await tableIds(page, () => page.goto(explorer.url));
    assert.equal(first.length, 50);
    assert.equal(await page.textContent('#total'), `${fixture.release.manifest.counts.output_records} records`);
    await page.screenshot({ path: artifact('explorer-records.png') });

    // a filter returns exactly the rows SQL gives
    const ts = (await sql(release, "SELECT id FROM records WHERE language = 'TypeScript' ORDER BY id")).map((r) => String(r.id));
    await page.selectOption('#filter-column', 'language');
    await page.selectOption('#filter-op', '=');
    await page.fill('#filter-value', 'TypeScript');
    const filtered = await tableIds(page, () => page.click('#add-filter'));
    assert.equal(await page.textContent('#total'), `${ts.length} records`);
    assert.equal(filtered.length, Math.min(ts.length, 50));
    for (const id of filtered) assert.ok(ts.includes(id), id);

    // text search within the filter: every word, case-insensitive
    const expected = (await sql(release, "SELECT id FROM records WHERE language = 'TypeScript' AND contains(lower(content), 'option') AND contains(lower(content), 'parse')")).map((r) => String(r.id));
    assert.ok(expected.length > 0);
    await page.fill('#text', 'Option PARSE');
    const searched = await tableIds(page, () => page.click('#run'));
    assert.deepEqual([...searched].sort(), [...expected].sort());

    // one record: its redactions marked in the content, its licence evidence
    await page.goto(`${explorer.url}#/record/${encodeURIComponent('deploy-config/settings.js')}`);
    await page.waitForSelector('#record-content');
    assert.deepEqual(await page.$$eval('#record-content .redaction', (s) => s.map((x) => x.textContent)), ['<KEY>', '<KEY>']);
    assert.match((await page.textContent('#license-evidence')) ?? '', /deploy-config\/package\.json\s*manifest/);
    await page.screenshot({ path: artifact('explorer-record.png'), fullPage: true });

    // a near-duplicate cluster side by side: the kept copy with its content, the removed ones named
    const [c] = await sql(release, 'SELECT id, cluster_size FROM near_dup_clusters WHERE kept ORDER BY cluster_size DESC, id LIMIT 1');
    await page.goto(`${explorer.url}#/cluster/${encodeURIComponent(String(c.id))}`);
    await page.waitForSelector('#cluster .member');
    assert.equal(await page.locator('#cluster .member').count(), Math.min(Number(c.cluster_size), 50));
    assert.equal(await page.locator('#cluster .member.kept pre').count(), 1);
    assert.match((await page.textContent('#cluster')) ?? '', /near_duplicate/);
    await page.screenshot({ path: artifact('explorer-cluster.png'), fullPage: true });

    // semantic search: a record's own text finds it first
    const [settings] = await sql(release, "SELECT content FROM records WHERE id = 'deploy-config/settings.js'");
    await page.goto(`${explorer.url}#/semantic`);
    await page.fill('#semantic-q', String(settings.content));
    await page.click('#semantic-run');
    await page.waitForSelector('#semantic-table tbody tr');
    assert.equal(await page.getAttribute('#semantic-table tbody tr:first-child', 'data-id'), 'deploy-config/settings.js');

    // the opt-out check: the package that opted out is not in, and its removals are listed
    await page.goto(`${explorer.url}#/optout`);
    await page.fill('#optout-name', OPTED_OUT);
    await page.click('#optout-run');
    await page.waitForSelector('#optout-verdict');
    assert.equal(await page.textContent('#optout-verdict'), `nothing of ${OPTED_OUT} is in this release`);

    // review: reject two, correct one label, accept one
    await page.goto(`${explorer.url}#/review`);
    await page.waitForSelector('#review-items .review-item');
    const items = page.locator('#review-items .review-item');
    const ids = await items.evaluateAll((els) => els.slice(0, 4).map((e) => e.getAttribute('data-id') ?? ''));
    const decide = async (i: number, button: string) => {
      const done = page.waitForResponse((res) => res.url().includes('/api/review/decision') && res.ok());
      await items.nth(i).locator(button).click();
      await done;
    };
    await decide(0, 'button.reject');
    await decide(1, 'button.reject');
    await items.nth(2).locator('input.label').fill('Reviewed');
    await decide(2, 'button.reject');
    await decide(3, 'button.accept');
    assert.match((await page.textContent('#review-summary')) ?? '', /^4 decided: 1 accepted, 2 rejected, 1 relabelled/);
    await page.screenshot({ path: artifact('explorer-review.png'), fullPage: false });
    assert.deepEqual(errors, []);

    // the next run applies the review file
    fixturePipeline(fixture.dir, `${semanticStages(fixture.dir)}  - review: { file: review.json }\n`);
    const next = await runInline(fixture.pipeline);
    assert.equal(path.basename(next.dir), 'v2');
    assert.equal(next.manifest.counts.excluded.review_rejected, 2);
    const v2 = await sql(next.dir, `SELECT id, language FROM records WHERE id IN ('${ids.join("','")}') ORDER BY id`);
    assert.deepEqual(
      v2.map((r) => r.id),
      [ids[2], ids[3]].sort(),
    );
    assert.equal(v2.find((r) => r.id === ids[2])?.language, 'Reviewed');
    assert.deepEqual((await verifyRelease(next.dir, { warn: () => undefined })).problems, []);
  } finally {
    await explorer.close();
    await browser.close();
  }
});
