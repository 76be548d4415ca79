import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { detectText } from '../../src/licenses/detect.js';
import { expressionKey } from '../../src/licenses/expression.js';

const require = createRequire(import.meta.url);
const spdx = require('spdx-license-list/full') as Record<string, { licenseText: string }>;

/** A paragraph that disclaims warranty or liability and asks or grants nothing. */
const isDisclaimer = (p: string) => /warrant/i.test(p) && /\bas[ -]is\b|liab|damage/i.test(p) && !/permission|redistribution|granted|hereby|permitted|must\b/i.test(p);

/** The SPDX text without its title line and with its disclaimer paragraphs replaced by `by`. */
function withoutDisclaimer(id: string, by = ''): string {
  const paragraphs = spdx[id].licenseText.replace(/^\s*[^\n]{0,80}\n[ \t]*\n/, '').split(/\n\s*\n/);
  assert.ok(paragraphs.some(isDisclaimer), id);
  return paragraphs
    .map((p) => (isDisclaimer(p) ? by : p))
    .filter(Boolean)
    .join('\n\n');
}

const OWN_DISCLAIMER = 'We give no warranty for this code, and we are not liable for whatever happens when you run it.';

test('a short licence without its disclaimer, or with one in our own words, is that licence', () => {
  for (const id of ['BSD-3-Clause', 'BSD-2-Clause', 'MIT', 'ISC', 'X11', 'Zlib', 'MIT-0']) {
    for (const by of ['', OWN_DISCLAIMER]) {
      const found = detectText(withoutDisclaimer(id, by));
      assert.equal(found?.expression, id, `${id} ${by ? 'reworded' : 'without disclaimer'}`);
      assert.equal(found?.method, 'partial', id);
    }
  }
});

test('among licences whose clauses are the same words, the family base wins', () => {
  // BSD-2-Clause's clauses are Linux-OpenIB's (with MIT's disclaimer), ISC's are pkgconf's,
  // MIT's are Xnet's: without the disclaimer the copy is the licence others are written from
  assert.match(spdx['Linux-OpenIB'].licenseText, /Redistribution and use in source and binary forms/);
  assert.equal(detectText(withoutDisclaimer('Linux-OpenIB'))?.expression, 'BSD-2-Clause');
  assert.equal(detectText(withoutDisclaimer('pkgconf', OWN_DISCLAIMER))?.expression, 'ISC');
  // MIT's clauses under an Apache-2.0 notice, as a NOTICE file bundles them
  const notice = `Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file except in compliance with the License.\n\n---\n\nCopyright Joe Bloggs.\n\n${withoutDisclaimer('MIT')}`;
  assert.equal(expressionKey(detectText(notice)?.expression ?? null), expressionKey('Apache-2.0 AND MIT'));
});

test('a clause left out or cut short is never taken for a disclaimer', () => {
  const bsd3 = withoutDisclaimer('BSD-3-Clause');
  // without its third clause, BSD-3-Clause's clauses are BSD-2-Clause's
  assert.equal(detectText(bsd3.replace(/3\. Neither[^]*$/, ''))?.expression, 'BSD-2-Clause');
  // cut inside the second clause: no BSD-1-Clause (whose one clause the copy holds in full)
  const cut = bsd3.slice(0, bsd3.indexOf('in the documentation'));
  assert.notEqual(detectText(cut)?.expression, 'BSD-1-Clause');
  // MIT without the sentence that asks for the notice is not MIT
  const mit = withoutDisclaimer('MIT').replace(/The above copyright notice[^]*$/, '');
  assert.notEqual(detectText(mit)?.expression, 'MIT');
});

test('a title naming another licence wins over the clauses of a shorter one', () => {
  // X11's text cut before its name clause holds MIT's clauses word for word
  const mitClauses = withoutDisclaimer('MIT');
  assert.equal(detectText(`X11 License\n\n${mitClauses}`)?.expression, 'X11');
  assert.equal(detectText(`MIT License\n\n${mitClauses}`)?.expression, 'MIT');
});
