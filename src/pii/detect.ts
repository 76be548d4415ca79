import type { CountryCode } from 'libphonenumber-js/max';
import type { Span } from '../redact/redact.js';
import { CARD_CANDIDATE, isCardNumber } from './card.js';
import { candidates, IPV4_CANDIDATE, IPV6_CANDIDATE, ipReplacement, keepIPv4, keepIPv6, validIPv4, validIPv6 } from './ip.js';
import { RuleBasedNameDetector, type EntityDetector } from './names.js';
import { findPhones } from './phone.js';

/**
 * Personal data in a text, per type with a sensitivity:
 * - `off`: not looked for.
 * - `conservative`: only what is almost surely the type (see each finder).
 * - `aggressive`: also the likely cases, accepting more false positives.
 * Defaults follow The Stack v2: emails and IP addresses conservative, the rest off.
 */
export type Sensitivity = 'off' | 'conservative' | 'aggressive';
export const PII_TYPES = ['EMAIL', 'IP_ADDRESS', 'PHONE', 'CREDIT_CARD', 'NAME'] as const;
export type PiiType = (typeof PII_TYPES)[number];

export interface PiiOptions {
  sensitivity?: Partial<Record<PiiType, Sensitivity>>;
  /** Country whose national phone formats are read without a +code (conservative phones). */
  defaultCountry?: CountryCode;
  /** The name finder; default the rule-based one. */
  entityDetector?: EntityDetector;
}

export const DEFAULT_SENSITIVITY: Record<PiiType, Sensitivity> = { EMAIL: 'conservative', IP_ADDRESS: 'conservative', PHONE: 'off', CREDIT_CARD: 'off', NAME: 'off' };

/** An address, found at its `@` with the local part (group 1) read in a look-behind after it (see ip.ts `candidates`). */
const EMAIL = /@(?<=(?<![\w.%+-])([A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?)@)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-]|\.[A-Za-z0-9])/dg;
/** Addresses that stand for no one: example and test domains, and local parts like `user@`, `you@`, `noreply@`. */
const PLACEHOLDER_EMAIL =
  /@(?:[\w-]+\.)*(?:example|test|invalid|localhost|domain|email)\.[a-z]+$|@[\w.-]+\.(?:test|example|invalid|localhost)$|^(?:user|username|name|you|your[._-]?\w*|someone|somebody|me|foo|bar|test|email|example|john\.?doe|jane\.?doe|no-?reply|do-?not-?reply)@/i;
/** Numbers right after these words are versions, not addresses. */
const VERSION_BEFORE = /\b(?:v|version|ver\.?|release|rev)[\s:=@"']{0,3}$/i;

const REPLACEMENT: Record<Exclude<PiiType, 'IP_ADDRESS'>, string> = { EMAIL: '<EMAIL>', PHONE: '<PHONE>', CREDIT_CARD: '<CREDIT_CARD>', NAME: '<NAME>' };

export class PiiDetector {
  private readonly level: Record<PiiType, Sensitivity>;
  private readonly names: EntityDetector;

  constructor(private readonly options: PiiOptions = {}) {
    this.level = { ...DEFAULT_SENSITIVITY, ...options.sensitivity };
    this.names = options.entityDetector ?? new RuleBasedNameDetector();
  }

  find(text: string): Span[] {
    const spans: Span[] = [];
    if (this.level.EMAIL !== 'off') this.emails(text, spans);
    if (this.level.IP_ADDRESS !== 'off') this.ips(text, spans);
    const cards: Span[] = [];
    if (this.level.CREDIT_CARD !== 'off' || this.level.PHONE !== 'off') this.cards(text, cards);
    if (this.level.CREDIT_CARD !== 'off') spans.push(...cards);
    if (this.level.PHONE !== 'off') {
      // a digit run already read as a card number or an IP address is not also a phone number
      const taken = [...spans, ...cards];
      for (const p of findPhones(text, this.options.defaultCountry ?? 'US', this.level.PHONE === 'aggressive')) {
        if (!taken.some((t) => t.start < p.end && p.start < t.end)) spans.push({ ...p, type: 'PHONE', rule: 'phone', replacement: REPLACEMENT.PHONE });
      }
    }
    if (this.level.NAME !== 'off') {
      const min = this.level.NAME === 'aggressive' ? 0 : 0.5;
      for (const e of this.names.detect(text)) {
        if (e.label === 'PERSON' && e.score >= min) spans.push({ start: e.start, end: e.end, type: 'NAME', rule: 'name', replacement: REPLACEMENT.NAME });
      }
    }
    return spans;
  }

  private emails(text: string, spans: Span[]): void {
    if (!text.includes('@')) return; // a native search: the pattern's scan for `@` is slower
    for (const [start, end, address] of candidates(text, EMAIL)) {
      if (this.level.EMAIL === 'conservative' && PLACEHOLDER_EMAIL.test(address)) continue;
      spans.push({ start, end, type: 'EMAIL', rule: 'email', replacement: REPLACEMENT.EMAIL });
    }
  }

  private ips(text: string, spans: Span[]): void {
    const aggressive = this.level.IP_ADDRESS === 'aggressive';
    for (const [start, end, ip] of candidates(text, IPV4_CANDIDATE)) {
      if (!validIPv4(ip) || keepIPv4(ip)) continue;
      if (!aggressive && VERSION_BEFORE.test(text.slice(Math.max(0, start - 12), start))) continue;
      spans.push({ start, end, type: 'IP_ADDRESS', rule: 'ipv4', replacement: ipReplacement(ip) });
    }
    for (const [start, end, ip] of candidates(text, IPV6_CANDIDATE)) {
      if (!validIPv6(ip) || keepIPv6(ip)) continue;
      spans.push({ start, end, type: 'IP_ADDRESS', rule: 'ipv6', replacement: ipReplacement(ip) });
    }
  }

  private cards(text: string, spans: Span[]): void {
    const requireIssuer = this.level.CREDIT_CARD !== 'aggressive';
    for (const m of text.matchAll(CARD_CANDIDATE)) {
      const digits = m[0].replace(/[ -]/g, '');
      if (/[ -]/.test(m[0]) && !/^\d+(?:([ -])\d+)(?:\1\d+)*$/.test(m[0])) continue; // one kind of separator
      if (isCardNumber(digits, requireIssuer)) spans.push({ start: m.index, end: m.index + m[0].length, type: 'CREDIT_CARD', rule: 'credit-card', replacement: REPLACEMENT.CREDIT_CARD });
    }
  }
}

export function findPii(text: string, options?: PiiOptions): Span[] {
  return new PiiDetector(options).find(text);
}
