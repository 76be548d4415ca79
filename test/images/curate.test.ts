import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { parse, stringify } from 'yaml';
import { REPO_ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/fixtures.js';
import { skipWithoutShared } from '../helpers/shared.js';
import { runCli, type PoolRow } from './run.js';
import { sharedImages, startImageHost } from './server.js';

/**
 * The example pipeline, as shipped, on a pool served from loopback: every stage runs, and each
 * filter removes what it is for (a tiny image, a panorama crop, a short caption, the same bytes
 * under two URLs, a resized re-encoded copy).
 */
test('examples/metaclip-image-pool.yaml: download → filters → dedups → match → balance', async (t) => {
  if (skipWithoutShared(t)) return;
  const images = sharedImages();
  const [first, second] = [...images.keys()].filter((n) => n.endsWith('.jpg'));
  images.set('tiny.jpg', await sharp(images.get(first)!).resize(150, 150).jpeg().toBuffer());
  images.set('panorama.jpg', await sharp(images.get(first)!).resize(900, 250, { fit: 'fill' }).jpeg().toBuffer());
  images.set('flopped.jpg', await sharp(images.get(first)!).flop().jpeg().toBuffer());
  images.set('copy.jpg', await sharp(images.get(second)!).resize({ width: 480 }).jpeg({ quality: 70 }).toBuffer());
  const host = await startImageHost({ images });
  t.after(() => host.close());
  const url = (n: string) => `${host.base}/img/${encodeURIComponent(n)}`;
  const rows: PoolRow[] = [...sharedImages().keys()].map((n, i) => ({ id: `i${i}`, url: url(n), caption: `a photo of a dog number ${i}` }));
  rows.push({ id: 'tiny', url: url('tiny.jpg'), caption: 'a photo of a dog tiny' });
  rows.push({ id: 'pano', url: url('panorama.jpg'), caption: 'a photo of a dog panorama' });
  rows.push({ id: 'short', url: url(first), caption: 'dog' });
  rows.push({ id: 'zz-same', url: `${host.base}/as/image%2Fjpeg/${encodeURIComponent(first)}`, caption: 'a photo of a dog again' });
  rows.push({ id: 'zz-copy', url: url('copy.jpg'), caption: 'a photo of a dog copied' });
  rows.push({ id: 'nomatch', url: url('flopped.jpg'), caption: 'nothing in the metadata here' });

  const dir = tempDir();
  writeFileSync(path.join(dir, 'pool.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  writeFileSync(path.join(dir, 'metadata.json'), JSON.stringify(['dog', 'photo', 'cat']));
  const spec = parse(readFileSync(path.join(REPO_ROOT, 'examples', 'metaclip-image-pool.yaml'), 'utf8'));
  spec.input = { type: 'jsonl', path: 'pool.jsonl', content_field: 'caption', id_field: 'id', split_min_bytes: 1 };
  spec.execution.tasks = 2;
  const pipeline = path.join(dir, 'pipeline.yaml');
  writeFileSync(pipeline, stringify(spec));
  const run = await runCli(['run', pipeline, '--workers', '2']);
  assert.equal(run.status, 0, run.stderr);

  const stats = JSON.parse(readFileSync(path.join(dir, 'release', 'v1', 'stats.json'), 'utf8'));
  const excluded = (stage: string) => Object.entries(stats.stages as Record<string, { excluded: Record<string, number> }>).find(([k]) => k.includes(stage))![1].excluded;
  const n = rows.length;
  assert.deepEqual(excluded('download'), {});
  const filtered = excluded('image_filter');
  assert.equal(filtered.aspect_ratio, 1, 'the 900×250 panorama');
  assert.equal(filtered.caption_too_short, 1, 'the one-word caption');
  assert.ok(filtered.image_too_small >= 1, 'the 150 px image (and any real one under 200 px)');
  assert.deepEqual(excluded('dedup_exact'), { duplicate: 1 }, 'the same bytes under a second URL');
  assert.deepEqual(excluded('image_near_dedup'), { near_duplicate_image: 1 }, 'the resized, re-encoded copy');
  assert.deepEqual(excluded('metaclip_match'), { no_match: 1 });
  const balance = Object.entries(stats.stages as Record<string, { records_in: number; records_out: number }>).find(([k]) => k.includes('metaclip_balance'))![1];
  const removed = Object.values(filtered).reduce((a, b) => a + b, 0) + 3;
  assert.equal(balance.records_in, n - removed);
  assert.equal(balance.records_out, balance.records_in, 'every entry is in the tail at t = 20,000: all kept');
});
