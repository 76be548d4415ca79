/**
 * Content rules for extensions that several languages claim. They follow the idea of Linguist's
 * heuristics.yml (rules tried in order, the first whose pattern matches decides) but are our
 * own, smaller set: the popular languages only. A rule only decides among the candidates the
 * file name left; when no rule matches, the caller falls back to the preference order.
 */

export interface Rule {
  language: string;
  /** Matches when any of these matches (absent: always). */
  any?: readonly RegExp[];
  /** ...and all of these match. */
  all?: readonly RegExp[];
  /** ...and none of these matches. */
  none?: readonly RegExp[];
}

const OBJC = /^\s*(?:@(?:interface|implementation|protocol|class|property|end|selector|synthesize)\b|#import\s+["<])/m;
const CPP = [
  /^\s*template\s*</m,
  /^[ \t]*(?:class|(?:using[ \t]+)?namespace)\s+\w+/m,
  /^[ \t]*(?:public|private|protected)\s*:\s*$/m,
  /\bstd::\w+/,
  /^\s*#\s*include\s*<(?:string|vector|map|set|list|array|memory|iostream|sstream|fstream|algorithm|utility|functional|cstdint|cstddef|cstdio|cstdlib|cstring|unordered_map|unordered_set|type_traits|tuple|optional)>/m,
  /__cplusplus\s*>|\bconstexpr\b|\bnullptr\b|^\s*(?:try|catch\s*\()/m,
];
const PERL = [/\buse\s+(?:strict|warnings|v?5)\b/, /^\s*package\s+\w+(?:::\w+)*\s*[;{]/m, /^\s*sub\s+\w+/m, /^\s*my\s+[$@%]/m];
const RAKU = [/^\s*(?:use\s+v6\b|unit\s+(?:module|class|grammar)\b|my\s+class\b|grammar\s+\w+)/m];
const GLSL = [/^\s*#version\s+\d/m, /\bgl_[A-Z]\w*/, /^\s*(?:uniform|varying|attribute|precision)\s+\w/m];
const M68K = [/^\s*move(?:\.[bwl])\s/im, /^\s*(?:movem|moveq|dbra|btst)\b/im];
const ASM = [/^\s*;/m, /^\s*(?:mov|push|pop|nop|jmp|call|ret|db|dw|dd|equ|section|bits)\b/im];

export const RULES: ReadonlyMap<string, readonly Rule[]> = new Map<string, Rule[]>([
  ['.h', [{ language: 'Objective-C', any: [OBJC] }, { language: 'C++', any: CPP }, { language: 'C' }]],
  [
    '.m',
    [
      { language: 'Objective-C', any: [OBJC] },
      { language: 'Mercury', any: [/:-\s*module\b/] },
      { language: 'MATLAB', any: [/^\s*%/m, /^\s*function\b[^\n]*=/m] },
      { language: 'Wolfram Language', all: [/^\s*\(\*/m, /\*\)\s*$/m], none: [/[;{}]\s*$/m] },
    ],
  ],
  [
    '.pl',
    [
      { language: 'Raku', any: RAKU },
      { language: 'Perl', any: PERL },
      { language: 'Prolog', any: [/^[^#\n]*:-/m] },
    ],
  ],
  [
    '.pm',
    [
      { language: 'Raku', any: RAKU },
      { language: 'Perl', any: PERL },
      { language: 'X PixMap', any: [/\/\*\s*XPM\s*\*\//] },
    ],
  ],
  [
    '.t',
    [
      { language: 'Raku', any: RAKU },
      { language: 'Perl', any: PERL },
      { language: 'Turing', any: [/^\s*%[ \t]/m, /^\s*var\s+\w+\s*:/m] },
      { language: 'Terra', any: [/\bterra\s+\w+\s*\(/] },
    ],
  ],
  ['.al', [{ language: 'AL', any: [/^\s*(?:codeunit|page|table|report|xmlport|query|enum)(?:extension)?\s+\d+\s/im] }, { language: 'Perl' }]],
  [
    '.inc',
    [
      { language: 'PHP', any: [/^\s*<\?(?:php\b|=|\s)/m] },
      { language: 'HTML', any: [/^\s*<(?:!DOCTYPE|!--|\/?[A-Za-z][\w-]*[\s>/])/] },
      { language: 'Motorola 68K Assembly', any: M68K },
      { language: 'Assembly', any: ASM },
      { language: 'POV-Ray SDL', any: [/^\s*#(?:declare|local|macro|while)\s/m] },
      { language: 'Pascal', any: [/^\s*(?:unit|uses|procedure)\s+\w+/im, /^\s*end\.\s*$/im] },
      { language: 'SQL', any: [/^\s*(?:SELECT\s|INSERT\s+INTO|DELETE\s+FROM|CREATE\s+(?:TABLE|INDEX|VIEW)|DROP\s+TABLE|ALTER\s+TABLE)/im] },
      { language: 'C++', any: [/^\s*#\s*(?:include|define|ifn?def|if|pragma)\b/m, /^\s*\/\//m] },
    ],
  ],
  ['.es', [{ language: 'Erlang', any: [/^\s*(?:%%|-module\s*\(|main\s*\([^)]*\)\s*->)/m] }, { language: 'JavaScript' }]],
  ['.cs', [{ language: 'Smalltalk', any: [/![\w\s]+methodsFor: /] }, { language: 'C#' }]],
  ['.fs', [{ language: 'Forth', any: [/^: \S/m] }, { language: 'GLSL', any: GLSL }, { language: 'Filterscript', any: [/#pragma\s+(?:rs|version)\b/] }, { language: 'F#' }]],
  ['.frag', [{ language: 'GLSL', any: GLSL }, { language: 'JavaScript' }]],
  ['.gs', [{ language: 'GLSL', any: GLSL }, { language: 'Gosu', any: [/^uses\s+(?:java|gw)\./m] }, { language: 'Genie', any: [/^\[indent=\d+\]/m] }, { language: 'JavaScript' }]],
  ['.rs', [{ language: 'RenderScript', any: [/#pragma\s+(?:rs|version)\b/] }, { language: 'Rust' }]],
  [
    '.re',
    [
      { language: 'C++', any: [/^\s*#\s*(?:include|define|ifn?def|if|pragma)\b/m, /^\s*template\s*</m] },
      { language: 'Reason', any: [/^\s*module\s+type\s/m, /^\s*(?:open|include)\s+\w+\s*;\s*$/m, /^\s*let\s+\w+\s*=/m] },
    ],
  ],
  ['.r', [{ language: 'Rebol', any: [/\bREBOL\s*\[/i] }, { language: 'Rez', any: [/#include\s+"(?:Types|Carbon\/Carbon)\.r"/] }, { language: 'R' }]],
  [
    '.d',
    [
      { language: 'D', any: [/^\s*module\s+[\w.]+\s*;/m, /^\s*import\s+[\w.]+\s*[;:,]/m, /\bunittest\s*\{/] },
      { language: 'DTrace', any: [/^(?:\w*:\w*:\w*:\w*|BEGIN|END)\s*$/m, /^#pragma\s+D\s/m] },
      { language: 'Makefile', any: [/:\s.*\\\r?$/m, /^[\w./\\-]+\.\w+\s*:(?:\s|$)/m] },
    ],
  ],
  [
    '.spec',
    [
      { language: 'RPM Spec', any: [/^(?:Name|Version|Release|Summary|BuildRequires):\s/m, /^%(?:description|prep|build|install|files)\b/m] },
      { language: 'Ruby', any: [/Gem::Specification/, /\bdo\s*(?:\|[^|]*\|)?\s*$/m, /^\s*(?:require|describe)\s/m] },
      { language: 'Python', any: [/^\s*(?:import|from)\s+\w/m, /\bAnalysis\s*\(/] },
    ],
  ],
  ['.cgi', [{ language: 'PHP', any: [/^\s*<\?php\b/] }]],
  ['.fcgi', [{ language: 'PHP', any: [/^\s*<\?php\b/] }]],
  ['.trigger', [{ language: 'Apex', any: [/^\s*trigger\s+\w+\s+on\s+\w+/im] }, { language: 'Shell' }]],
  ['.ex', [{ language: 'Euphoria', any: [/^\s*include\s+std\//m], none: [/\bdefmodule\b/] }, { language: 'Elixir' }]],
  [
    '.ml',
    [
      { language: 'OCaml', any: [/^\s*(?:let|module|open|type)\b/m] },
      { language: 'Standard ML', any: [/^\s*(?:structure|signature|functor|fun|val)\s/m] },
    ],
  ],
  ['.md', [{ language: 'GCC Machine Description', any: [/^\s*\(define_(?:insn|expand|split|peephole|constants)\b/m] }, { language: 'Markdown' }]],
  [
    '.pp',
    [
      { language: 'Pascal', any: [/^\s*(?:unit|program|uses)\s+[\w.]+\s*[;,]/im, /^\s*end\.\s*$/im] },
      { language: 'Puppet', any: [/^\s*(?:class|define|node)\s+[\w:'"-]+.*\{/m, /^\s+[\w:]+\s+=>\s/m] },
    ],
  ],
  ['.i', [{ language: 'Motorola 68K Assembly', any: M68K }, { language: 'SWIG', any: [/^[ \t]*%[a-z_]+\b/m, /^%[{}]\s*$/m] }, { language: 'Assembly' }]],
  ['.s', [{ language: 'Unix Assembly', any: [/\bmov[lqwb]?\s+[%$]/i, /^\s*\.(?:globl|text|section|type)\b/m] }, { language: 'Motorola 68K Assembly', any: M68K }, { language: 'Assembly' }]],
  ['.asm', [{ language: 'Motorola 68K Assembly', any: M68K }, { language: 'Assembly' }]],
  ['.sc', [{ language: 'SuperCollider', any: [/\bSynthDef\b/, /^\s*~\w+\s*=/m] }, { language: 'Scala' }]],
  ['.scd', [{ language: 'SuperCollider', any: [/\bSynthDef\b/, /^\s*~\w+\s*=/m] }, { language: 'Markdown' }]],
  [
    '.bb',
    [
      { language: 'BitBake', any: [/^\s*(?:inherit|require|include)\s+\S/m, /^\s*(?:SRC_URI|LICENSE|DEPENDS|SUMMARY)\s*[?:+]?=/m] },
      { language: 'BlitzBasic', any: [/^\s*(?:End Function|Function\s+\w+)/m] },
      { language: 'Clojure' },
    ],
  ],
  [
    '.cl',
    [
      { language: 'Common Lisp', any: [/^\s*\((?:defun|defpackage|in-package|defmacro)\b/im] },
      { language: 'Cool', any: [/^class\s/m] },
      { language: 'OpenCL', any: [/\b__kernel\b|\bkernel\s+void\b/] },
    ],
  ],
  [
    '.l',
    [
      { language: 'Lex', any: [/^%%\s*$/m, /^%\{\s*$/m] },
      { language: 'Common Lisp', any: [/\(def(?:un|macro)\s/] },
      { language: 'Roff', any: [/^\.[A-Za-z]{2}(?:\s|$)/m] },
      { language: 'PicoLisp', any: [/^\((?:de|class|rel)\s/m] },
    ],
  ],
  ['.hh', [{ language: 'Hack', any: [/<\?hh/] }, { language: 'C++' }]],
  ['.php', [{ language: 'Hack', any: [/<\?hh/] }, { language: 'PHP' }]],
  ['.f', [{ language: 'Forth', any: [/^: /m] }, { language: 'Fortran' }]],
  ['.for', [{ language: 'Forth', any: [/^: /m] }, { language: 'Fortran' }]],
  [
    '.v',
    [
      { language: 'Rocq Prover', any: [/(?:^|\s)(?:Proof|Qed)\./m, /^\s*Require\s+(?:Import|Export)\s/m] },
      { language: 'Verilog', any: [/^\s*module\s+\w+/m, /^\s*`(?:timescale|define|include)\b/m, /\balways\s*@/] },
      { language: 'V', any: [/^\s*fn\s+\w+\s*\(/m] },
    ],
  ],
  [
    '.cls',
    [
      { language: 'TeX', any: [/\\(?:NeedsTeXFormat|ProvidesClass)\s*[{[]/] },
      { language: 'Visual Basic 6.0', any: [/^\s*VERSION \d\.\d+ CLASS/m] },
      { language: 'ObjectScript', any: [/^Class\s+[\w.]+/m] },
      { language: 'Apex', any: [/^\s*(?:public|private|global)\s+(?:(?:with|without|inherited)\s+sharing\s+)?(?:virtual\s+|abstract\s+)?class\b/im] },
    ],
  ],
  ['.as', [{ language: 'ActionScript', any: [/^\s*package\b/m, /^\s*import\s+flash\./m] }, { language: 'AngelScript' }]],
  ['.gd', [{ language: 'GDScript', any: [/^\s*(?:extends|func|signal|onready|class_name)\b/m] }, { language: 'GAP' }]],
]);

/** Decide by the first matching rule whose language is still a candidate; undefined: no rule matched. */
export function applyRules(rules: readonly Rule[], text: string, candidates: readonly string[]): string | undefined {
  for (const rule of rules) {
    if (!candidates.includes(rule.language)) continue;
    if (rule.any && !rule.any.some((re) => re.test(text))) continue;
    if (rule.all && !rule.all.every((re) => re.test(text))) continue;
    if (rule.none && rule.none.some((re) => re.test(text))) continue;
    return rule.language;
  }
  return undefined;
}
