#!/usr/bin/env bash
# Fresh-clone check: clones this repository's committed HEAD into a temporary folder with no
# ../shared beside it, runs the README's two lines there (`npm ci && npx thresher demo`, then
# `npm test`) and checks that both succeed and that the tests needing ../shared reported skips.
#
#   bash test/fresh-clone.sh        (from anywhere in the checkout; commit first: it tests HEAD)
#   KEEP=1 bash test/fresh-clone.sh (keeps the temporary folder and its logs)
#
# It takes a few minutes (npm ci, the demo, the whole suite) and is not part of `npm test`, which
# it runs. It is ../shared/tools/fresh-clone-test.sh (clone, npm ci, npm test, counts) plus the
# README's demo line and the skip check, and needs nothing from ../shared.
set -u
top=$(git -C "$(dirname "$0")" rev-parse --show-toplevel) || exit 1
d=$(mktemp -d)
[ "${KEEP:-}" = 1 ] && echo "fresh-clone: keeping $d" || trap 'rm -rf "$d"' EXIT
fail() { echo "fresh-clone: FAIL: $*"; exit 1; }
git clone -q "$top" "$d/p" && cd "$d/p" || fail "git clone $top failed"
[ -e ../shared ] && fail "unexpected ../shared next to the clone"
echo "fresh-clone: $(git log --oneline -1) in $d/p, no ../shared"
if ! (npm ci --no-audit --no-fund && npx thresher demo) >"$d/install.log" 2>&1; then
  tail -n 20 "$d/install.log"
  fail "'npm ci && npx thresher demo' failed (log above)"
fi
[ -f thresher-demo/v1/manifest.json ] || fail "the demo left no release in thresher-demo/v1"
echo "fresh-clone: npm ci && npx thresher demo: ok (release in thresher-demo/v1)"
npm test >"$d/test.log" 2>&1
rc=$?
grep -E '^# (tests|pass|fail|skipped)' "$d/test.log"
if [ $rc -ne 0 ]; then
  grep -E '^not ok|[Ee]rror' "$d/test.log" | head -n 20
  fail "npm test exited $rc"
fi
n=$(grep -cF '# SKIP skipped: ../shared/ (resolved to ' "$d/test.log")
[ "$n" -gt 0 ] || fail "npm test is green but no test reported a skip for the missing ../shared/"
echo "fresh-clone: ok: npm test green, $n tests skipped for the missing ../shared/"
