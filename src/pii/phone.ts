import { findPhoneNumbersInText, type CountryCode } from 'libphonenumber-js/max';

/**
 * Phone numbers through libphonenumber-js (Google's libphonenumber metadata, "max" set):
 * conservative finds numbers valid for their country, written internationally (+...) or valid
 * for `defaultCountry`; aggressive also tries the numbering plans of `AGGRESSIVE_COUNTRIES`
 * (national formats without a country code), so `07700 900123` (UK) or `0490 75 40 81`
 * (Australia) are found when the default country is the US.
 */
export const AGGRESSIVE_COUNTRIES: readonly CountryCode[] = [
  'US',
  'GB',
  'DE',
  'FR',
  'IT',
  'ES',
  'NL',
  'BE',
  'CH',
  'AT',
  'SE',
  'NO',
  'DK',
  'FI',
  'PL',
  'CZ',
  'AU',
  'NZ',
  'IN',
  'BR',
  'MX',
  'JP',
  'CN',
  'RU',
  'ZA',
  'IE',
  'PT',
  'HU',
  'IL',
  'CA',
];

export interface PhoneSpan {
  start: number;
  end: number;
}

export function findPhones(text: string, defaultCountry: CountryCode, aggressive: boolean): PhoneSpan[] {
  const out = new Map<number, PhoneSpan>();
  const countries = aggressive ? [defaultCountry, ...AGGRESSIVE_COUNTRIES.filter((c) => c !== defaultCountry)] : [defaultCountry];
  for (const country of countries) {
    for (const m of findPhoneNumbersInText(text, { defaultCountry: country })) {
      const prev = out.get(m.startsAt);
      if (!prev || prev.end < m.endsAt) out.set(m.startsAt, { start: m.startsAt, end: m.endsAt });
    }
  }
  return [...out.values()];
}
