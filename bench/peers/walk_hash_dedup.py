"""Bare I/O floor for the demo benchmark, in plain single-threaded Python: walk, read, skip
binary/oversize/non-UTF-8, tag language by extension, git-blob sha1, exact dedup by hash
(first seen wins), and write the kept records as JSONL (no pyarrow here). No filters, no repo
priority: less work than the pipeline, a floor. bench/peers/same_work.py does the same work.
argv: <input dir> <out file> [ext->language JSON] [reader limit in bytes, default 10 MiB].
Prints one JSON line."""
import hashlib, json, os, resource, stat, sys, time

root, out = sys.argv[1], sys.argv[2]
ext_lang = json.load(open(sys.argv[3])) if len(sys.argv) > 3 else {}
limit = int(sys.argv[4]) if len(sys.argv) > 4 else 10 << 20
t0 = time.time()
seen, files_in, bytes_in, kept, dups = {}, 0, 0, 0, 0
paths = []
for d, dirs, files in os.walk(root):
    dirs.sort()
    for f in sorted(files):
        paths.append(os.path.join(d, f))
with open(out, "w") as w:
    for p in paths:
        st = os.lstat(p)
        if not stat.S_ISREG(st.st_mode):
            continue
        files_in += 1
        bytes_in += st.st_size
        if st.st_size > limit:  # too large: not read, as thresher's reader does
            continue
        with open(p, "rb") as f:
            b = f.read()
        if b"\0" in b[:8192]:
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
ru = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": time.time() - t0, "cpu_s": ru.ru_utime + ru.ru_stime, "files_in": files_in, "bytes_in": bytes_in, "files_out": kept,
                  "duplicates": dups, "peak_rss_mb": ru.ru_maxrss / 1024}))
