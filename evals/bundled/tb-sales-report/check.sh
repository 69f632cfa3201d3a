#!/bin/sh
# Resolved when report.py gives the right report on the bundled data and on data it has not seen.
set -u
fail() { echo "check failed: $*" >&2; exit 1; }
[ -f report.py ] || fail "report.py does not exist"
tmp=$(mktemp -d) || fail "no temporary directory"
trap 'rm -rf "$tmp"' EXIT

expect() { # expect NAME CSV_FILE: compares report.py's output with $tmp/NAME.expected
    python3 report.py "$2" > "$tmp/$1.actual" || fail "report.py exited with $? on $1"
    cmp -s "$tmp/$1.expected" "$tmp/$1.actual" || fail "wrong report for $1: $(cat "$tmp/$1.actual")"
}

printf 'east: 339.90\nnorth: 88.96\nsouth: 64.46\nwest: 120.00\nTOTAL: 613.32\n' > "$tmp/bundled.expected"
expect bundled data/sales.csv

printf 'date,region,product,quantity,unit_price\n2025-01-01,zeta,a,3,0.10\n2025-01-02,alpha,b,1,1.05\n2025-01-02,zeta,c,2,2.50\n' > "$tmp/other.csv"
printf 'alpha: 1.05\nzeta: 5.30\nTOTAL: 6.35\n' > "$tmp/other.expected"
expect other "$tmp/other.csv"

printf 'date,region,product,quantity,unit_price\n' > "$tmp/empty.csv"
printf 'TOTAL: 0.00\n' > "$tmp/empty.expected"
expect empty "$tmp/empty.csv"

if python3 report.py "$tmp/missing.csv" > /dev/null 2> "$tmp/err"; then fail "a missing file should exit 1"; fi
[ -s "$tmp/err" ] || fail "a missing file should print an error to stderr"
echo "resolved"
