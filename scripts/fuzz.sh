#!/usr/bin/env bash
# make fuzz: builds the libFuzzer target in Fuzz/ (AddressSanitizer + coverage over all of
# Folio's readers) and runs it for FUZZ_SECONDS (default 120) from a seed corpus made of the
# examples. Crashes land in Fuzz/regressions/, which the test suite replays.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-120}
rt=$(ls /opt/swift/usr/lib/clang/*/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a 2>/dev/null | head -1)
[ -n "$rt" ] || rt=$(find / -name 'libclang_rt.fuzzer_no_main-x86_64.a' 2>/dev/null | head -1)
[ -n "$rt" ] || { echo "fuzz: libFuzzer's runtime (libclang_rt.fuzzer_no_main) not found in the Swift toolchain" >&2; exit 1; }
(cd Fuzz && swift build -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp \
  -Xlinker "$rt" -Xlinker -lstdc++ 2>&1 | grep -E "error|Build complete" || true)
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
# Seeds: the first byte picks the reader (0 Markdown, 1 web archive, 2 template, 3 punctuation,
# 4 image probe, 5 encoding detection).
i=0
for f in examples/sample-issue/*.md examples/archive/*.md; do { printf '\x00'; cat "$f"; } > "$corpus/md-$i"; i=$((i+1)); done
for f in examples/archive/*.txt; do { printf '\x01'; cat "$f"; } > "$corpus/txt-$i"; i=$((i+1)); done
for f in layouts/*.yaml; do { printf '\x02'; cat "$f"; } > "$corpus/yaml-$i"; i=$((i+1)); done
for f in examples/*/images/* Tests/EndToEndTests/Fixtures/*.jpg; do { printf '\x04'; head -c 6000 "$f"; } > "$corpus/img-$i"; i=$((i+1)); done
{ printf '\x04'; printf '<svg xmlns="http://www.w3.org/2000/svg" width="20mm" viewBox="0 0 200 100"><rect width="9" height="9"/></svg>'; } > "$corpus/img-svg"
for f in examples/archive/*.txt; do { printf '\x05'; cat "$f"; } > "$corpus/enc-$i"; i=$((i+1)); done
for enc in GB18030 BIG5 UTF-16; do { printf '\x05'; iconv -c -f UTF-8 -t "$enc" examples/archive/2024-10-08-minzu-xuexiao.txt 2>/dev/null || true; } > "$corpus/enc-$enc"; done
cp Fuzz/regressions/* "$corpus/" 2>/dev/null || true
mkdir -p Fuzz/regressions
# Compiled regular expressions kept in statics are process-lifetime allocations, not leaks.
LSAN_OPTIONS=suppressions=$PWD/scripts/lsan.supp Fuzz/.build/debug/FolioFuzz "$corpus" -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=4096 \
  -artifact_prefix=Fuzz/regressions/ -print_final_stats=1 2>&1 | grep -E "^#[0-9]+ +(DONE|INITED)|stat::number_of_executed_units|ERROR|SUMMARY" || true
echo "fuzz: ran $seconds s; crashes, if any, are in Fuzz/regressions/"
