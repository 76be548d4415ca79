"""Comparison peer for `npm run bench -- clip-tokenizer`: openai/CLIP's SimpleTokenizer algorithm
(bytes_to_unicode, basic_clean, whitespace_clean, the `regex` pattern, string BPE with an
unbounded word cache), written here to time it on the same texts as thresher's tokenizer.

usage: python3 clip_tokenizer.py BPE_GZ TEXTS_JSON PASSES
TEXTS_JSON is a JSON array of strings. Prints one JSON object: tokens, and seconds per pass for a
fresh tokenizer (cold cache, CPU seconds of this process) and for the pass after it (warm), with fix_text as the identity (the
work thresher does) and, when ftfy is installed, with ftfy.fix_text as CLIP runs it.
Exits 3 when the `regex` module is missing.
"""
import gzip
import html
import json
import re
import sys
import time

try:
    import regex
except ImportError:
    print("python `regex` module missing (apt-get install python3-regex)", file=sys.stderr)
    sys.exit(3)
try:
    import ftfy
except ImportError:
    ftfy = None


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def pairs_of(word):
    return set(zip(word[:-1], word[1:]))


class Tokenizer:
    def __init__(self, merge_lines, fix_text):
        self.fix_text = fix_text
        self.byte_encoder = bytes_to_unicode()
        merges = [tuple(m.split()) for m in merge_lines]
        vocab = list(self.byte_encoder.values())
        vocab = vocab + [v + "</w>" for v in vocab]
        vocab += ["".join(m) for m in merges]
        vocab += ["<|startoftext|>", "<|endoftext|>"]
        self.encoder = dict(zip(vocab, range(len(vocab))))
        self.bpe_ranks = dict(zip(merges, range(len(merges))))
        self.cache = {"<|startoftext|>": "<|startoftext|>", "<|endoftext|>": "<|endoftext|>"}
        self.pat = regex.compile(r"""<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+""", regex.IGNORECASE)

    def bpe(self, token):
        if token in self.cache:
            return self.cache[token]
        word = tuple(token[:-1]) + (token[-1] + "</w>",)
        pairs = pairs_of(word)
        if not pairs:
            return token + "</w>"
        while True:
            bigram = min(pairs, key=lambda p: self.bpe_ranks.get(p, float("inf")))
            if bigram not in self.bpe_ranks:
                break
            first, second = bigram
            merged = []
            i = 0
            while i < len(word):
                try:
                    j = word.index(first, i)
                except ValueError:
                    merged.extend(word[i:])
                    break
                merged.extend(word[i:j])
                i = j
                if i < len(word) - 1 and word[i + 1] == second:
                    merged.append(first + second)
                    i += 2
                else:
                    merged.append(word[i])
                    i += 1
            word = tuple(merged)
            if len(word) == 1:
                break
            pairs = pairs_of(word)
        out = " ".join(word)
        self.cache[token] = out
        return out

    def encode(self, text):
        text = html.unescape(html.unescape(self.fix_text(text))).strip()
        text = re.sub(r"\s+", " ", text).strip().lower()
        ids = []
        for token in regex.findall(self.pat, text):
            token = "".join(self.byte_encoder[b] for b in token.encode("utf-8"))
            ids.extend(self.encoder[t] for t in self.bpe(token).split(" "))
        return ids


def timed(tok, texts):
    t0 = time.process_time()
    n = 0
    for t in texts:
        n += len(tok.encode(t)) + 2  # SOT and EOT, as thresher counts them
    return n, time.process_time() - t0


def run(merge_lines, texts, passes, fix_text):
    cold, warm, tokens = [], [], 0
    for _ in range(passes):
        tok = Tokenizer(merge_lines, fix_text)
        tokens, s = timed(tok, texts)
        cold.append(s)
        warm.append(timed(tok, texts)[1])
    return {"tokens": tokens, "cold_s": cold, "warm_s": warm}


def main():
    bpe_gz, texts_json, passes = sys.argv[1], sys.argv[2], int(sys.argv[3])
    merge_lines = gzip.open(bpe_gz).read().decode("utf-8").split("\n")[1 : 49152 - 256 - 2 + 1]
    with open(texts_json, encoding="utf-8") as f:
        texts = json.load(f)
    out = {"python": sys.version.split()[0], "regex": regex.__version__, "identity": run(merge_lines, texts, passes, lambda t: t)}
    if ftfy is not None:
        out["ftfy_version"] = ftfy.__version__
        out["ftfy"] = run(merge_lines, texts, passes, ftfy.fix_text)
    print(json.dumps(out))


main()
