import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { tempBuildStore } from '../helpers/build-store.js';
import { matcherStoreDir, storedMatcher } from '../../src/metaclip/matcher-store.js';

test('matchers are stored by metadata bytes and padding, loaded on the next call, rebuilt when damaged', (t) => {
  tempBuildStore(t);
  const entries = ['dog', 'hot dog', '東京'];
  const bytes = Buffer.from(JSON.stringify(entries));
  let builds = 0;
  const list = () => (builds++, entries);
  const first = storedMatcher(bytes, 'metaclip1', list);
  const store = matcherStoreDir()!;
  assert.equal(readdirSync(store).length, 1);
  const again = storedMatcher(bytes, 'metaclip1', list);
  assert.equal(builds, 1, 'the second call loads the stored tables');
  assert.deepEqual(Array.from(again.match('a hot dog in 東京')), Array.from(first.match('a hot dog in 東京')));
  storedMatcher(bytes, 'metaclip2', list); // another padding: another key
  assert.equal(builds, 2);
  assert.equal(readdirSync(store).length, 2);
  for (const f of readdirSync(store)) writeFileSync(path.join(store, f), 'damaged');
  assert.deepEqual(Array.from(storedMatcher(bytes, 'metaclip1', list).match('hot dog')), [0, 1]);
  assert.equal(builds, 3, 'a damaged file is rebuilt, not trusted');
  process.env.THRESHER_CACHE_DIR = 'none';
  assert.equal(matcherStoreDir(), undefined);
  storedMatcher(bytes, 'metaclip1', list);
  assert.equal(builds, 4);
});
