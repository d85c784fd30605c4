#!/usr/bin/env bash
# Runs every hostile script through the release CLI, one process each, and prints the wall
# time and peak memory (max RSS) of each run, worst first, then the worst of both.
# Usage: bash tests/hostile/measure.sh   (from the repository root; needs GNU time)
set -euo pipefail
cargo build -q --release -p rubrica --features cli
bin=target/release/rubrica
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/rubrics/hostile"
cp tests/hostile/rubric.json "$work/rubrics/hostile/rubric.json"
python3 - "$work/record.json" <<'PY'
import json, sys
r = json.load(open("examples/center-infants.json"))
r.setdefault("items", {})["hostile"] = {"own-space": {"value": "yes", "method": "observed"}}
json.dump(r, open(sys.argv[1], "w"))
PY
: > "$work/table"
for script in tests/hostile/*.rhai; do
  cp "$script" "$work/rubrics/hostile/rubric.rhai"
  name=$(basename "$script" .rhai)
  /usr/bin/time -f "%e %M" -o "$work/time" "$bin" score "$work/record.json" --rubrics "$work/rubrics" --format json >"$work/out" 2>/dev/null || true
  read -r secs kib < <(tail -n1 "$work/time")
  code=$(grep -o '"code":"R0[0-9]*"' "$work/out" | head -n1 | cut -d'"' -f4 || true)
  printf "%s %s %s %s\n" "$secs" "$kib" "$name" "${code:-compile-error}" >>"$work/table"
done
echo "seconds  peak-KiB  script  first-code"
sort -rn "$work/table" | head -n 15
echo "worst wall time: $(sort -rn "$work/table" | head -n1 | cut -d' ' -f1,3) s"
echo "worst peak memory: $(sort -k2 -rn "$work/table" | head -n1 | cut -d' ' -f2,3) KiB"
echo "scripts: $(wc -l <"$work/table")"
