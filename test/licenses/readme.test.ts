import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectFile, detectText } from '../../src/licenses/detect.js';
import { readmeLicenseText } from '../../src/licenses/readme.js';

const README = [
  '# widget',
  '',
  'A small widget.',
  '',
  '## Fonts',
  '',
  'The bundled Inter font is licensed under the SIL Open Font License 1.1.',
  '',
  '## License',
  '',
  'MIT © Jane Doe',
  '',
  '### Third-party',
  '',
  'See NOTICE.',
  '',
  '## Changelog',
  '',
  '- 1.0: licensed under the Apache License 2.0 by mistake',
  '',
].join('\n');

test('a README is read from its licence sections: a subsection stays, the next heading of its level ends it', () => {
  const section = readmeLicenseText(README);
  assert.ok(section.startsWith('## License\n\nMIT © Jane Doe'));
  assert.ok(section.includes('### Third-party'));
  assert.ok(!section.includes('Changelog') && !section.includes('Inter font'));
  // the other licences the README names are about fonts and history, not the project
  assert.equal(detectText(README)?.expression, 'OFL-1.1 AND MIT AND Apache-2.0');
  assert.equal(detectFile('README.md', README)?.expression, 'MIT');
  assert.equal(detectFile('README.md', README)?.tier, 'readme');
});

test('licence headings in every README style; a README without one is read whole', () => {
  const styles = [
    'Intro\n\nLicence\n=======\n\nISC\n\nUsage\n=====\n\nrun it under the GPL\n',
    'Intro\n\n<h2 align="center">License</h2>\n\nISC\n\n<h2>Usage</h2>\n\nGPL\n',
    '= Tool\n\n== Copyright and license\n\nISC\n\n== Usage\n\nGPL\n',
    '# Tool\n\n## Licensing\n\nISC\n\n## Usage\n\nGPL\n',
  ];
  for (const readme of styles) {
    const section = readmeLicenseText(readme);
    assert.ok(section.includes('ISC') && !section.includes('GPL'), section);
  }
  const plain = '# Tool\n\nReleased under the MIT license.\n\n## Usage\n\nnpm i tool\n';
  assert.equal(readmeLicenseText(plain), plain);
  assert.equal(detectFile('README', plain)?.expression, 'MIT');
});

test('two licence sections are both read', () => {
  const readme = '# x\n\n## License\n\nMIT\n\n## API\n\nfoo()\n\n## Copyright\n\n(c) 2020 Jane\n';
  const section = readmeLicenseText(readme);
  assert.ok(section.includes('MIT') && section.includes('(c) 2020 Jane') && !section.includes('foo()'));
});
