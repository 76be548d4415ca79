/**
 * Lemmas of one language from Open Multilingual Wordnet tab files (`wn-data-<code>.tab`:
 * `offset-pos<TAB>type<TAB>value`, `#` header lines), as MetaCLIP 2's
 * build_multilingual_wordnet.py reads them through NLTK: every lemma of every synset (not only
 * the head lemma), a row counting when its type is `lemma` or `<code>:lemma`; `_` becomes a
 * space and `+` is removed (OMW's morpheme marker in Japanese and Chinese).
 */
import { InputError } from '../../core/errors.js';
import { fileLines } from '../metadata.js';

/** The reference's `wordnet_to_wiki`: OMW language codes → Wikipedia codes (30 languages). */
export const OMW_TO_WIKI: Readonly<Record<string, string>> = {
  fin: 'fi',
  heb: 'he',
  slv: 'sl',
  ita: 'it',
  nno: 'nn',
  nob: 'no',
  als: 'als',
  pol: 'pl',
  hrv: 'hr',
  nld: 'nl',
  ron: 'ro',
  arb: 'ar',
  isl: 'is',
  swe: 'sv',
  por: 'pt',
  cmn: 'zh',
  jpn: 'ja',
  dan: 'da',
  slk: 'sk',
  lit: 'lt',
  bul: 'bg',
  eus: 'eu',
  cat: 'ca',
  glg: 'gl',
  spa: 'es',
  ell: 'el',
  zsm: 'ms',
  ind: 'id',
  fra: 'fr',
  tha: 'th',
};

/** OMW codes whose lemmas belong to `language` (a Wikipedia code, or an OMW code itself). */
function codesFor(language: string): Set<string> {
  const codes = new Set([language]);
  for (const [omw, wiki] of Object.entries(OMW_TO_WIKI)) if (wiki === language) codes.add(omw);
  return codes;
}

/**
 * The lemmas of `language` in the given OMW tab files, in file order (duplicates kept; the
 * assembly drops them). A row without a language in its type (`lemma`) takes the file's, from
 * the header's second field (`# name<TAB>jpn<TAB>url<TAB>licence`). Files with no lemma for the
 * language are an error naming the codes they hold, so a wrong file does not pass silently.
 */
export async function omwLemmas(files: readonly string[], language: string): Promise<string[]> {
  const wanted = codesFor(language);
  const out: string[] = [];
  for (const file of files) {
    let fileCode: string | undefined;
    const seen = new Set<string>();
    const before = out.length;
    for await (const [row, raw] of fileLines(file)) {
      const line = raw.trim();
      if (line === '') continue;
      if (line.startsWith('#')) {
        fileCode ??= line.split('\t')[1]?.trim() || undefined;
        continue;
      }
      const fields = line.split('\t');
      if (fields.length < 3) throw new InputError(file, 'expected "offset-pos<TAB>type<TAB>value" (Open Multilingual Wordnet tab format)', { row });
      const type = fields[1].split(':');
      if (type[type.length - 1] !== 'lemma') continue;
      const code = type.length > 1 ? type[0] : fileCode;
      if (code === undefined) throw new InputError(file, 'a "lemma" row without a language code, and no "# name<TAB>code" header', { row });
      seen.add(code);
      if (!wanted.has(code)) continue;
      out.push(fields[fields.length - 1].trim().replaceAll('_', ' ').replaceAll('+', ''));
    }
    if (out.length === before) {
      throw new InputError(file, `no lemma for language ${language} (OMW codes ${[...wanted].join(', ')}); the file has ${seen.size ? [...seen].join(', ') : 'no lemma rows'}`);
    }
  }
  return out;
}
