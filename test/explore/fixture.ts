/**
 * One small real release for the explore tests: packages from node_modules (one bundled twice,
 * so near_dedup has clusters), an opt-out registry that removes one package, Linguist
 * languages, licences with their evidence, and a file holding a key and an email, so the
 * release has redactions. Built once per test file, in a temporary folder.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runInline } from '../../src/executors/inline.js';
import type { ReleaseResult } from '../../src/release/finalize.js';
import { writeTinyEmbedder } from '../../src/models/text/tiny.js';
import { makeCodeTree, tempDir } from '../helpers/fixtures.js';

export const OPTED_OUT = 'cli-progress';

/** A source file with secrets: the `secrets` and `pii` stages redact them. */
const CONFIG_JS = `// deployment settings
const settings = {
  region: 'eu-west-1',
  accessKeyId: 'AKIAZ3MBQJX7T4LD5KWN',
  token: "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",
  owner: 'ops-team@example.org',
};
module.exports = settings;
`;

export function fixturePipeline(dir: string, extraStages = ''): string {
  const file = path.join(dir, 'pipeline.yaml');
  writeFileSync(
    file,
    `name: explore-fixture
input:
  type: directory
  path: node_modules
stages:
  - optout: { registry: optout.yaml }
  - language: {}
  - license: {}
  - near_dedup:
      priority: [repo, path]
  - secrets: {}
  - pii: {}
${extraStages}output:
  path: out
  excluded: true
execution:
  tasks: 2
`,
  );
  return file;
}

/** Stages that give the release a vector index (semantic search), with a tiny embedder the project makes itself. */
export function semanticStages(dir: string): string {
  writeTinyEmbedder(path.join(dir, 'embedder'));
  return `  - embed: { model: embedder, device: cpu }
  - vector_index: { model: embedder, show: [path] }
`;
}

export async function makeFixtureRelease(options: { semantic?: boolean } = {}): Promise<{ dir: string; pipeline: string; release: ReleaseResult }> {
  const dir = tempDir('thresher-explore-');
  const nm = makeCodeTree(dir, ['commander', 'yaml', 'fzstd', OPTED_OUT]);
  mkdirSync(path.join(nm, 'deploy-config'), { recursive: true });
  writeFileSync(path.join(nm, 'deploy-config', 'package.json'), JSON.stringify({ name: 'deploy-config', version: '1.0.0', license: 'MIT' }));
  writeFileSync(path.join(nm, 'deploy-config', 'settings.js'), CONFIG_JS);
  writeFileSync(path.join(dir, 'optout.yaml'), `entries:\n  - package: ${OPTED_OUT}\n    date: 2024-05-01\n    reason: asked\n`);
  const pipeline = fixturePipeline(dir, options.semantic ? semanticStages(dir) : '');
  return { dir, pipeline, release: await runInline(pipeline) };
}
