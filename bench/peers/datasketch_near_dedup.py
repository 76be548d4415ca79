#!/usr/bin/env python3
"""datasketch peer of thresher's near_dedup, on the same files with the same shingles.

Usage (datasketch on PYTHONPATH, e.g. ../shared/peers/datasketch):
  datasketch_near_dedup.py signatures ROOT MAX_BYTES NUM_PERM NGRAM
  datasketch_near_dedup.py dedup ROOT MAX_BYTES NUM_PERM NGRAM THRESHOLD OUT.jsonl

Files as thresher's directory reader takes them: a walk that skips .git and does not follow
links, regular files of at most MAX_BYTES, no NUL byte in the first 8192 bytes, strict UTF-8.
Shingles as near_dedup's default: lowercase, split on runs of non-word characters (Python's
Unicode \\W), n consecutive words joined by a space, distinct. One MinHash permutation set is
made once and shared (datasketch's cheapest use). `signatures` times shingling + MinHash only;
`dedup` runs the usual datasketch script: for each file in walk order, query MinHashLSH,
insert, union-find the candidates; keep the smallest path of each cluster; write the removed
files as JSONL {path, kept}. Prints one JSON line of counts and timings.
"""
import json
import os
import re
import resource
import stat
import sys
import time

from datasketch import MinHash, MinHashLSH

SEPARATORS = re.compile(r"\W+")


def files(root, max_bytes):
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d != ".git")
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            if not stat.S_ISREG(st.st_mode) or st.st_size > max_bytes:
                continue
            with open(path, "rb") as f:
                data = f.read()
            if b"\0" in data[:8192]:
                continue
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                continue
            yield os.path.relpath(path, root), text, len(data)


def shingles(text, n):
    words = [w for w in SEPARATORS.split(text.lower()) if w]
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


def signatures(root, max_bytes, num_perm, n):
    perm = MinHash(num_perm=num_perm, seed=1).permutations
    t0 = time.perf_counter()
    c0 = time.process_time()
    seconds = cpu = 0.0
    count = 0
    mb = 0
    for _, text, size in files(root, max_bytes):
        s0, p0 = time.perf_counter(), time.process_time()
        grams = shingles(text, n)
        if grams:
            m = MinHash(num_perm=num_perm, permutations=perm)
            m.update_batch([g.encode("utf-8") for g in grams])
            count += 1
        seconds += time.perf_counter() - s0
        cpu += time.process_time() - p0
        mb += size
    return {"files": count, "mb": mb / 1e6, "signature_seconds": seconds, "signature_cpu_s": cpu, "seconds": time.perf_counter() - t0, "cpu_s": time.process_time() - c0}


def dedup(root, max_bytes, num_perm, n, threshold, out):
    t0 = time.perf_counter()
    c0 = time.process_time()
    perm = MinHash(num_perm=num_perm, seed=1).permutations
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    parent = {}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    files_in = too_short = 0
    for path, text, _ in files(root, max_bytes):
        files_in += 1
        grams = shingles(text, n)
        if not grams:
            too_short += 1
            continue
        m = MinHash(num_perm=num_perm, permutations=perm)
        m.update_batch([g.encode("utf-8") for g in grams])
        parent[path] = path
        for other in lsh.query(m):
            a, b = find(path), find(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
        lsh.insert(path, m)
    clusters = {}
    for path in parent:
        clusters.setdefault(find(path), []).append(path)
    removed = 0
    with open(out, "w") as f:
        for members in clusters.values():
            if len(members) < 2:
                continue
            kept = min(members)
            for p in members:
                if p != kept:
                    removed += 1
                    f.write(json.dumps({"path": p, "kept": kept}) + "\n")
    return {
        "files_in": files_in,
        "too_short": too_short,
        "clusters": sum(1 for m in clusters.values() if len(m) > 1),
        "removed": removed,
        "bands_rows": [lsh.b, lsh.r],
        "seconds": time.perf_counter() - t0,
        "cpu_s": time.process_time() - c0,
    }


def main():
    mode, root, max_bytes, num_perm, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    if mode == "signatures":
        result = signatures(root, max_bytes, num_perm, n)
    else:
        result = dedup(root, max_bytes, num_perm, n, float(sys.argv[6]), sys.argv[7])
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


main()
