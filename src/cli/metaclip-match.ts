import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { ThresherError } from '../core/errors.js';
import { writeFileAtomic } from '../core/fs.js';
import { writeOrWait } from '../core/streams.js';
import type { PaddingRule } from '../metaclip/automaton.js';
import { texts, type InputOpts } from './input.js';

/** `metaclip match` and `metaclip count`: one metadata, or one per language routed by a label field. */

export interface MetadataOpts {
  metadata: string[];
  languageField?: string;
  routing?: string;
  fallbackLanguage?: string;
  padding?: PaddingRule;
}

/** -m, --routing, --fallback-language, --language-field, --padding: shared by match, count, curate. */
export function withMetadata(cmd: Command, languageFieldHelp: string): Command {
  return cmd
    .option(
      '-m, --metadata <spec>',
      'MetaCLIP metadata.json (.gz accepted), or lang=file once per language (MetaCLIP 2; other=file for unrouted texts)',
      (v: string, all: string[]) => [...all, v],
      [] as string[],
    )
    .option('--language-field <name>', languageFieldHelp)
    .option('--routing <file>', 'per-language metadata: label → metadata language table (label<TAB>language, or JSON) replacing the shipped lid.176 table')
    .option('--fallback-language <lang>', 'per-language metadata: match texts whose language has no metadata against this one (not with other=file)')
    .addOption(
      new Option(
        '--padding <rule>',
        'entry padding: metaclip1 (spaces) or metaclip2 (hybrid, texts stripped as Python); default metaclip2 with per-language metadata (curate: also in image mode), else metaclip1',
      ).choices(['metaclip1', 'metaclip2']),
    );
}

/**
 * `-m metadata.json` (one file) or `-m en=en.json -m zh=zh.json` (MetaCLIP 2, one per language),
 * as paths relative to `baseDir`.
 */
export function metadataSpec(specs: string[], baseDir: string): string | Record<string, string> {
  if (specs.length === 0) throw new ThresherError("required option '-m, --metadata <spec>' not specified");
  const rel = (f: string) => path.relative(baseDir, path.resolve(f));
  const pairs = specs.map((s) => /^([^=/\\]+)=(.+)$/.exec(s));
  if (pairs.every((m) => m === null)) {
    if (specs.length > 1) throw new ThresherError('-m given twice: give one metadata file, or lang=file once per language');
    return rel(specs[0]);
  }
  const bad = specs.find((_, i) => pairs[i] === null);
  if (bad !== undefined) throw new ThresherError(`-m ${bad}: with per-language metadata every -m is lang=file`);
  const out: Record<string, string> = {};
  for (const m of pairs) {
    if (out[m![1]] !== undefined) throw new ThresherError(`-m: language ${m![1]} given twice`);
    out[m![1]] = rel(m![2]);
  }
  return out;
}

/** Options that only mean something with per-language metadata. */
export function checkPerLanguageOptions(perLanguage: boolean, o: MetadataOpts & { anchorLanguage?: string }): void {
  if (perLanguage) return;
  const flag = o.languageField ? '--language-field' : o.routing ? '--routing' : o.fallbackLanguage ? '--fallback-language' : o.anchorLanguage ? '--anchor-language' : undefined;
  if (flag) throw new ThresherError(`${flag} needs per-language metadata (-m lang=file, once per language)`);
}

interface Matching {
  entries: string[];
  languages: string[] | null;
  match(text: string | null, label: unknown): ArrayLike<number>;
  counters(): Record<string, number>;
}

async function openMatching(o: MetadataOpts): Promise<Matching> {
  const [{ metadataLayout, layoutEntries, cachedMatcher }, { languageRouting }] = await Promise.all([import('../stages/metaclip/matcher-cache.js'), import('../stages/metaclip/routing.js')]);
  const cwd = process.cwd();
  const spec = metadataSpec(o.metadata, cwd);
  const perLanguage = typeof spec === 'object';
  checkPerLanguageOptions(perLanguage, o);
  if (perLanguage && !o.languageField)
    throw new ThresherError('per-language metadata: give --language-field (the field with each text’s language label; `metaclip curate` can identify it with lang_id)');
  const layout = metadataLayout(spec, cwd);
  const padding = o.padding ?? (perLanguage ? 'metaclip2' : 'metaclip1');
  const matchers = layout.files.map((f) => cachedMatcher(f, padding));
  const routing = layout.languages ? languageRouting(layout.languages, o.routing, o.fallbackLanguage, cwd) : undefined;
  return {
    entries: layoutEntries(layout),
    languages: layout.languages,
    match(text, label) {
      const k = routing ? routing.metadataOf(typeof label === 'string' ? label : undefined) : 0;
      let ids: ArrayLike<number> = [];
      if (k >= 0 && text !== null) {
        const view = matchers[k].matchView(text);
        const offset = layout.offsets[k];
        ids = offset === 0 ? view : Array.from(view, (e) => e + offset);
      }
      routing?.count(k, ids.length > 0);
      return ids;
    },
    counters: () => routing?.counters() ?? {},
  };
}

function perLanguageLine(counters: Record<string, number>): string {
  const parts = Object.entries(counters)
    .filter(([k]) => k.startsWith('metaclip:texts:'))
    .map(([k, v]) => `${k.slice('metaclip:texts:'.length)} ${v} (${counters[`metaclip:matched_texts:${k.slice('metaclip:texts:'.length)}`] ?? 0} matched)`);
  return parts.length ? `\nper language: ${parts.join(', ')}` : '';
}

export function matchCommand(withInput: (c: Command) => Command): Command {
  return withMetadata(
    withInput(new Command('match').description('write each text\'s matched entry ids as JSONL {"id","matches"} (with per-language metadata also "language")')),
    'per-language metadata: the field holding each text’s language label',
  )
    .option('-o, --out <file>', 'output JSONL (default: stdout)')
    .action(async (o: InputOpts & MetadataOpts & { out?: string }) => {
      const m = await openMatching(o);
      const out: NodeJS.WritableStream = o.out ? createWriteStream(o.out) : process.stdout;
      for await (const { id, text, language } of texts({ ...o, extraField: o.languageField })) {
        const ids = Array.from(m.match(text, language));
        const lang = m.languages ? `,"language":${JSON.stringify(language ?? null)}` : '';
        await writeOrWait(out, `{"id":${JSON.stringify(id)}${lang},"matches":[${ids.join(',')}]}\n`);
      }
      if (o.out) await new Promise<void>((r) => out.end(() => r()));
      const line = perLanguageLine(m.counters());
      if (line) process.stderr.write(line.trimStart() + '\n');
    });
}

export function countCommand(withInput: (c: Command) => Command): Command {
  return withMetadata(
    withInput(new Command('count').description("count[e] = number of texts matching entry e, in MetaCLIP's entry_counts format (lang:entry keys per language)")),
    'per-language metadata: the field holding each text’s language label',
  )
    .requiredOption('-o, --out <file>', 'entry_counts.json to write')
    .action(async (o: InputOpts & MetadataOpts & { out: string }) => {
      const m = await openMatching(o);
      const counts = new Uint32Array(m.entries.length);
      let n = 0;
      let matched = 0;
      for await (const { text, language } of texts({ ...o, extraField: o.languageField })) {
        n++;
        const ids = m.match(text, language);
        if (ids.length) matched++;
        for (let i = 0; i < ids.length; i++) counts[ids[i]]++;
      }
      const obj: Record<string, number> = {};
      counts.forEach((c, e) => c > 0 && (obj[m.entries[e]] = c));
      writeFileAtomic(path.resolve(o.out), JSON.stringify(obj));
      console.log(`${n} texts, ${matched} matched (${((100 * matched) / Math.max(n, 1)).toFixed(1)}%), ${Object.keys(obj).length} entries seen → ${o.out}${perLanguageLine(m.counters())}`);
    });
}
