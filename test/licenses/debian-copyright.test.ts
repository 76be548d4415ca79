import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { debianCases, parseDep5, withoutPointers } from '../../bench/accuracy/_license-debian.js';
import { debianToSpdx } from '../../bench/accuracy/_license-debian-names.js';

test('Debian short licence names as SPDX: DEP-5 names, GNU versions and "+", exceptions, choices; unclear names skipped', () => {
  const cases: [string, string | null][] = [
    ['Expat', 'MIT'],
    ['BSD-3-clause', 'BSD-3-Clause'],
    ['BSD-3', 'BSD-3-Clause'],
    ['ZLIB', 'Zlib'],
    ['curl', 'curl'],
    ['OpenLDAP-2.8', 'OLDAP-2.8'],
    ['Apache-2', 'Apache-2.0'],
    ['GPL-2', 'GPL-2.0-only'],
    ['GPL-2+', 'GPL-2.0-or-later'],
    ['GPL-2.0+', 'GPL-2.0-or-later'],
    ['LGPL-2.1+', 'LGPL-2.1-or-later'],
    ['GPL3+ with Bison exception', 'GPL-3.0-or-later WITH Bison-exception-2.2'],
    ['Apache-2.0 with LLVM exception', 'Apache-2.0 WITH LLVM-exception'],
    ['GPL-1+ or Artistic', 'GPL-1.0-or-later OR Artistic-1.0-Perl'],
    ['Perl', 'Artistic-1.0-Perl OR GPL-1.0-or-later'],
    ['MPL-1.1 or GPL-2+ or LGPL-2.1+', 'MPL-1.1 OR GPL-2.0-or-later OR LGPL-2.1-or-later'],
    ['BSL-1.0 and MIT', 'BSL-1.0 AND MIT'],
    // no certain SPDX reading
    ['public-domain', null],
    ['BSD-like', null],
    ['GPL', null],
    ['Artistic', null],
    ['GPL-2+ with OpenSSL exception', null],
    ['GPL-3+ with Autoconf exception', null],
    ['GPL-2+ with Bison exception', null],
    ['MIT/X11', null],
    ['GPL-2+ and BSD-3-clause or MIT', null],
    ['GPL-4', null],
  ];
  for (const [name, expected] of cases) assert.equal(debianToSpdx(name), expected, name);
});

const COPYRIGHT = `Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: widget

Files: *
Copyright: 2020 Jane Doe
License: Widget-permissive

Files: lib/*
Copyright: 2021 John Roe
License: ISC
 Permission to use, copy, modify, and/or distribute this software for any
 purpose with or without fee is hereby granted.
 .
 THE SOFTWARE IS PROVIDED "AS IS".

License: GPL-2+
 This program is free software; you can redistribute it under the terms of
 the GNU General Public License, version 2 or any later version.
 .
 On Debian systems, the complete text of the GNU General Public License
 version 2 can be found in "/usr/share/common-licenses/GPL-2".

License: Apache-2.0
 On Debian systems, the full text is in /usr/share/common-licenses/Apache-2.0.
`;

test('DEP-5 paragraphs: continuation lines, " ." as an empty line, Debian\'s pointer sentences dropped', () => {
  const paragraphs = parseDep5(COPYRIGHT);
  assert.equal(paragraphs.length, 5);
  assert.equal(
    paragraphs[2].get('license'),
    'ISC\nPermission to use, copy, modify, and/or distribute this software for any\npurpose with or without fee is hereby granted.\n\nTHE SOFTWARE IS PROVIDED "AS IS".',
  );
  assert.equal(
    withoutPointers(paragraphs[3].get('license')!.split('\n').slice(1).join('\n')),
    'This program is free software; you can redistribute it under the terms of\nthe GNU General Public License, version 2 or any later version.',
  );
  assert.equal(withoutPointers('On Debian systems, the full text is in /usr/share/common-licenses/Apache-2.0.'), '');
});

test('the cases of a folder of copyright files: bodies with an SPDX reading, once per text, linked packages once', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'thresher-dep5-'));
  try {
    for (const pkg of ['widget', 'widget-doc']) mkdirSync(path.join(root, pkg));
    writeFileSync(path.join(root, 'widget', 'copyright'), COPYRIGHT);
    writeFileSync(path.join(root, 'widget-doc', 'copyright'), COPYRIGHT);
    symlinkSync(path.join(root, 'widget'), path.join(root, 'libwidget1'));
    mkdirSync(path.join(root, 'old'));
    writeFileSync(path.join(root, 'old', 'copyright'), 'This package was debianized by Jane Doe.\n\nLicense: GPL-2+\n');
    const { cases, stats } = debianCases(root);
    assert.deepEqual(
      cases.map((c) => [c.expected, c.kind]),
      [
        // (kinds by length: both bodies are shorter than half their SPDX texts)
        ['ISC', 'notice'],
        ['GPL-2.0-or-later', 'notice'],
      ],
    );
    assert.equal(stats.copyright_files, 2);
    assert.equal(stats.package_folders, 3);
    assert.deepEqual(stats.dropped, { pointer_only: 2, duplicate_texts: 2, texts_with_two_labels: 0, names_without_spdx_reading: 0, most_common_unread_names: [] });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
