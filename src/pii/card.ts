/**
 * Payment card numbers: 13 to 19 digits, optionally grouped by single spaces or dashes, that pass
 * the Luhn check. Conservative mode also wants a known issuer prefix (Visa, Mastercard, Amex,
 * Discover, JCB, Diners, UnionPay, Maestro) with a length that issuer uses.
 */
export const CARD_CANDIDATE = /(?<![\d.,-])\d(?:[ -]?\d){11,18}(?![\d.,]\d|\d|-\d)/g;

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const ISSUERS: readonly [RegExp, number[]][] = [
  [/^4/, [13, 16, 19]],
  [/^(?:5[1-5]|2(?:2[2-9]|[3-6]\d|7[01]|720))/, [16]],
  [/^3[47]/, [15]],
  [/^(?:6011|65|64[4-9])/, [16, 19]],
  [/^(?:35(?:2[89]|[3-8]\d)|2131|1800)/, [15, 16, 19]],
  [/^3(?:0[0-5]|[689])/, [14, 16]],
  [/^62/, [16, 17, 18, 19]],
  [/^(?:5[06-9]|6\d)/, [12, 13, 14, 15, 16, 17, 18, 19]],
];

/** Whether the digits (separators removed) form a card number: Luhn, length 12–19, and in conservative mode a known issuer. */
export function isCardNumber(digits: string, requireIssuer: boolean): boolean {
  if (digits.length < 12 || digits.length > 19 || !luhnValid(digits) || /^(\d)\1+$/.test(digits)) return false;
  if (!requireIssuer) return true;
  return ISSUERS.some(([prefix, lengths]) => prefix.test(digits) && lengths.includes(digits.length));
}
