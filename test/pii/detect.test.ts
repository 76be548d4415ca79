import assert from 'node:assert/strict';
import { test } from 'node:test';
import { luhnValid } from '../../src/pii/card.js';
import { findPii, PiiDetector } from '../../src/pii/detect.js';
import { candidates, IPV4_CANDIDATE, IPV4_REPLACEMENTS, IPV6_CANDIDATE, IPV6_REPLACEMENTS, ipReplacement } from '../../src/pii/ip.js';
import { RuleBasedNameDetector } from '../../src/pii/names.js';
import { redact } from '../../src/redact/redact.js';

const all = new PiiDetector({ sensitivity: { PHONE: 'conservative', CREDIT_CARD: 'conservative', NAME: 'conservative' } });

test('emails become <EMAIL>; example and stand-in addresses are kept', () => {
  const text = 'Mail Jane.Roe@corp-mail.de or user@example.com, noreply@github.com';
  assert.equal(redact(text, findPii(text)).text, 'Mail <EMAIL> or user@example.com, noreply@github.com');
  assert.equal(new PiiDetector({ sensitivity: { EMAIL: 'aggressive' } }).find(text).length, 3);
});

test('public IPs get one of the fixed private addresses of their family, the same one each time', () => {
  const text = 'a 133.133.133.133 b 133.133.133.133 c 41.173.96.26 d 2a03:2880:f12f:83:face:b00c:0:25de';
  const r = redact(text, findPii(text));
  const [a, b, c] = r.text.match(/\d+\.\d+\.\d+\.\d+/g)!;
  assert.equal(a, b);
  assert.ok(IPV4_REPLACEMENTS.includes(a as (typeof IPV4_REPLACEMENTS)[number]));
  assert.ok(IPV4_REPLACEMENTS.includes(c as (typeof IPV4_REPLACEMENTS)[number]));
  assert.ok(IPV6_REPLACEMENTS.some((v6) => r.text.endsWith(v6)));
  assert.equal(ipReplacement('133.133.133.133'), a);
});

test('private, reserved, documentation, DNS, invalid and version-like addresses are kept', () => {
  for (const t of [
    '10.0.0.1',
    '127.0.0.1',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '8.8.8.8',
    '1.1.1.1',
    '192.0.2.10',
    '256.256.256.256',
    '1.2.3.04',
    '1.2.3.4.5.6',
    'version 1.2.3.4',
    '::1',
    'fe80::1',
    '2001:db8::1',
    'std::vector',
    '12:30:45',
  ]) {
    assert.deepEqual(findPii(t), [], t);
  }
});

test('card numbers need the Luhn check and a known issuer (conservative)', () => {
  assert.ok(luhnValid('4454794511390933'));
  assert.ok(!luhnValid('4454794511390934'));
  const types = (t: string) => all.find(t).map((s) => s.type);
  assert.deepEqual(types('card 4454 7945 1139 0933 ok'), ['CREDIT_CARD']);
  assert.deepEqual(types('id 4454794511390934'), []);
  assert.deepEqual(types('call +1 650-253-0000 today'), ['PHONE']);
});

test('rule-based names: after titles and in author fields', () => {
  const names = new RuleBasedNameDetector().detect('Dr. Ada Lovelace wrote it.\nauthor: Grace Hopper\nThe Apache Foundation');
  assert.deepEqual(
    names.map((n) => n.label),
    ['PERSON', 'PERSON'],
  );
  const text = 'Dr. Ada Lovelace wrote it.';
  assert.equal(redact(text, all.find(text)).text, 'Dr. <NAME> wrote it.');
});

test('literal-first address patterns find what the start-anchored ones found', () => {
  const OLD = {
    email: /(?<![\w.%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-]|\.[A-Za-z0-9])/g,
    ipv4: /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.]|\.\d)/g,
    ipv6: /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:])/g,
  };
  const text = [
    'mail a.b-c@mail.example.org, x@y.co or ab@cd.ef@gh.ij; _x@host.com .y@z.com a@b',
    'ips 10.0.0.1 203.0.113.7.5 1.2.3.4.x 300.1.1.1 v1.2.3.4 12.34.56.78',
    'runs 1.2.3.4.5.6.7.8 11.22.33.44.55 1.2.3.4,5.6.7.8 1234.5.6.7.8 9.8.7.6 1.2.3.4-5.6.7.8 0.0.0.0.1 1.1.1.1a 2.2.2.2.',
    'v6 2001:db8::1 fe80::1%eth0 ::1 std::vector a::b::c ::ffff:192.0.2.1 1:2:3:4:5:6:7:8',
  ].join('\n');
  const spans = (re: RegExp) => [...text.matchAll(re)].map((m) => [m.index, m.index + m[0].length]);
  const fresh = (re: RegExp) => new RegExp(re.source, re.flags);
  assert.deepEqual(
    [...candidates(text, fresh(IPV4_CANDIDATE))].map(([s, e]) => [s, e]),
    spans(OLD.ipv4),
  );
  assert.deepEqual(
    [...candidates(text, fresh(IPV6_CANDIDATE))].map(([s, e]) => [s, e]),
    spans(OLD.ipv6),
  );
  const emails = findPii(text, { sensitivity: { EMAIL: 'aggressive', IP_ADDRESS: 'off' } }).map((s) => [s.start, s.end]);
  assert.deepEqual(emails, spans(OLD.email));
});
