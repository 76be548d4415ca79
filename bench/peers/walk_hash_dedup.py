"""Peer for the demo benchmark: the same work in plain single-threaded Python, the way a
datatrove-style script would do it: walk, read, skip binary/oversize, tag language by extension,
git-blob sha1, exact dedup by hash, and write the kept records as Parquet-free JSONL (no pyarrow
here). Prints one JSON line."""
import hashlib, json, os, resource, sys, time

root, out = sys.argv[1], sys.argv[2]
ext_lang = json.load(open(sys.argv[3])) if len(sys.argv) > 3 else {}
t0 = time.time()
seen, files_in, bytes_in, kept, dups = {}, 0, 0, 0, 0
paths = []
for d, dirs, files in os.walk(root):
    dirs.sort()
    for f in sorted(files):
        paths.append(os.path.join(d, f))
with open(out, "w") as w:
    for p in paths:
        if os.path.islink(p):
            continue
        b = open(p, "rb").read()
        files_in += 1
        bytes_in += len(b)
        if len(b) > 1 << 20 or b"\0" in b[:8192]:
            continue
        try:
            text = b.decode("utf-8")
        except UnicodeDecodeError:
            continue
        h = hashlib.sha1(b"blob %d\0" % len(b) + b).hexdigest()
        lang = ext_lang.get(os.path.splitext(p)[1].lower())
        if h in seen:
            dups += 1
            continue
        seen[h] = p
        kept += 1
        w.write(json.dumps({"path": p, "language": lang, "content_id": h, "content": text}) + "\n")
print(json.dumps({"seconds": time.time() - t0, "files_in": files_in, "bytes_in": bytes_in, "files_out": kept,
                  "duplicates": dups, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
