#!/bin/bash
# Resolved when report.py gives the right report on the bundled data and on data it has not seen.
set -u
fail() { echo "check failed: $*" >&2; exit 1; }
[ -f report.py ] || fail "report.py does not exist"
expected=$'east: 339.90\nnorth: 88.96\nsouth: 64.46\nwest: 120.00\nTOTAL: 613.32'
actual=$(python3 report.py data/sales.csv) || fail "report.py exited with $? on data/sales.csv"
[ "$actual" = "$expected" ] || fail "wrong report for data/sales.csv:"$'\n'"$actual"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf 'date,region,product,quantity,unit_price\n2025-01-01,zeta,a,3,0.10\n2025-01-02,alpha,b,1,1.05\n2025-01-02,zeta,c,2,2.50\n' > "$tmp/other.csv"
actual=$(python3 report.py "$tmp/other.csv") || fail "report.py failed on other data"
[ "$actual" = $'alpha: 1.05\nzeta: 5.30\nTOTAL: 6.35' ] || fail "wrong report for other data:"$'\n'"$actual"
printf 'date,region,product,quantity,unit_price\n' > "$tmp/empty.csv"
actual=$(python3 report.py "$tmp/empty.csv") || fail "report.py failed on a file without rows"
[ "$actual" = "TOTAL: 0.00" ] || fail "wrong report for a file without rows: $actual"
if python3 report.py "$tmp/missing.csv" > /dev/null 2> "$tmp/err"; then fail "a missing file should exit 1"; fi
[ -s "$tmp/err" ] || fail "a missing file should print an error to stderr"
echo "resolved"
