#!/usr/bin/env python3
"""Peer for bench/metaclip/match.ts: MetaCLIP's own Aho-Corasick matcher.

Does what facebookresearch/MetaCLIP `metaclip/substr_matching.py` does with pyahocorasick:
entries padded with a space on both sides, the reference `spacing`, `automaton.iter` over
the spaced text and a Python set of entry ids per text.

usage: peer_pyahocorasick.py METADATA.json TEXTS.jsonl [REPEATS] [CHECK_OUT.jsonl]
  METADATA.json  JSON list of strings (entry id = index)
  TEXTS.jsonl    one JSON string per line
Prints one JSON object: build time, texts/s (best of REPEATS timed passes), matches.
With CHECK_OUT the sorted id lists are written one JSON list a line, for an exactness check.
"""
import json
import resource
import sys
import time

import ahocorasick


def spacing(text):
    puncts_to_wrap = [",", ".", ";", ":", "?", "!", "`"]
    chars_to_space = ["\t", "\n", "\r"]
    spaced_text = f" {text} "
    for punct_to_wrap in puncts_to_wrap:
        spaced_text = spaced_text.replace(punct_to_wrap, f" {punct_to_wrap} ")
    for char_to_space in chars_to_space:
        spaced_text = spaced_text.replace(char_to_space, " ")
    return spaced_text


def current_rss_mib():
    """Resident set size now (Linux /proc), else the peak from getrusage."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * resource.getpagesize() / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    metadata_path, texts_path = sys.argv[1], sys.argv[2]
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    check_out = sys.argv[4] if len(sys.argv) > 4 else None

    with open(metadata_path) as f:
        metadata = json.load(f)
    with open(texts_path) as f:
        texts = [json.loads(line) for line in f]

    rss0 = current_rss_mib()
    t0 = time.perf_counter()
    automaton = ahocorasick.Automaton()
    for idx, entry in enumerate(metadata):
        automaton.add_word(f" {entry} ", (idx, entry))
    automaton.make_automaton()
    build_s = time.perf_counter() - t0
    rss1 = current_rss_mib()

    def run():
        total = 0
        for text in texts:
            matched = set()
            for _, (entry_id, _) in automaton.iter(spacing(text)):
                matched.add(entry_id)
            total += len(matched)
        return total

    run()  # warm-up
    best = float("inf")
    total_matches = 0
    for _ in range(repeats):
        t0 = time.perf_counter()
        total_matches = run()
        best = min(best, time.perf_counter() - t0)

    if check_out:
        with open(check_out, "w") as f:
            for text in texts:
                ids = sorted({e for _, (e, _) in automaton.iter(spacing(text))})
                f.write(json.dumps(ids) + "\n")

    print(json.dumps({
        "impl": f"pyahocorasick (python {sys.version.split()[0]})",
        "entries": len(metadata),
        "texts": len(texts),
        "build_s": build_s,
        "build_rss_delta_mib": rss1 - rss0,
        "best_pass_s": best,
        "texts_per_s": len(texts) / best,
        "total_matches": total_matches,
    }))


if __name__ == "__main__":
    main()
