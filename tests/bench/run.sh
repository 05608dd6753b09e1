#!/usr/bin/env bash
# goalframe's end-to-end benchmarks (BENCHMARKS.md): generates the inputs,
# builds the release binary and runs the language-server, canon-load,
# keystroke and comparison benchmarks, printing markdown tables.
#
#   bash tests/bench/run.sh            # everything (about 10 minutes)
#   bash tests/bench/run.sh gen        # only generate the inputs
#   bash tests/bench/run.sh load|lsp|lsp-views|edits|analyze|compare
#   bash tests/bench/run.sh import     # canon import/export of the 100k canon (not in `all`)
#   bash tests/bench/run.sh submit     # export and report against lint on the corpus
#   bash tests/bench/run.sh mcp        # MCP tool latency with the 100k canon
#   bash tests/bench/run.sh versus     # lint of the corpus against a build from before goal
#                                      # quality (BASE_REV=<commit> for another; not in `all`;
#                                      # ALLOCATOR=system measures this code without jemalloc,
#                                      # as the base was built: the code's own cost)
#
# Installs what it needs when missing, into .test-cache/ (gitignored):
# ripgrep from Debian (`apt-get download`, unpacked, no root needed) and
# markdownlint-cli2 from npm. Not part of `cargo test` or CI.
set -euo pipefail
cd "$(dirname "$0")/../.."

CACHE=.test-cache
B=$CACHE/bench
MDL_VERSION=0.22.1
what=${1:-all}
mkdir -p "$B"

step() { printf '\n==> %s\n' "$*" >&2; }
# label, command...: the fastest of 3 runs as a table row "| label | wall | RSS |";
# a command that fails stops the run.
best() {
  local label=$1; shift
  for _ in 1 2 3; do
    /usr/bin/time -f '%e %M' "$@" 2>&1 >/dev/null | tail -n 1
  done | sort -n | head -n 1 | awk -v l="$label" '{ printf "| %s | %.2f s | %.1f MiB |\n", l, $1, $2 / 1024 }'
}

rg_bin() {
  if command -v rg >/dev/null 2>&1; then
    command -v rg
    return
  fi
  if [ ! -x "$CACHE/ripgrep/usr/bin/rg" ]; then
    step "installing ripgrep (Debian package) into $CACHE/ripgrep"
    (cd "$CACHE" && apt-get download ripgrep >&2 && dpkg -x ripgrep_*.deb ripgrep && rm -f ripgrep_*.deb)
  fi
  echo "$PWD/$CACHE/ripgrep/usr/bin/rg"
}

mdl_bin() {
  local bin="$CACHE/markdownlint/node_modules/.bin/markdownlint-cli2"
  if [ ! -x "$bin" ]; then
    step "installing markdownlint-cli2@$MDL_VERSION (npm) into $CACHE/markdownlint"
    npm install --silent --no-audit --no-fund --prefix "$CACHE/markdownlint" "markdownlint-cli2@$MDL_VERSION" >&2
  fi
  echo "$PWD/$bin"
}

step "building (release)"
cargo build --release --locked -p goalframe -p goalframe-bench >&2
GB=target/release/goalframe-bench
GF=target/release/goalframe

# The corpus of 3,000 reviews and the 12k canon (1,000 roles × 12 levels)
# it is written against: all that the corpus-only commands need.
gen_corpus() {
  [ -d "$B/canon-12k" ] || $GB gen-canon "$B/canon-12k" --roles 1000 --levels 12
  [ -d "$B/corpus" ] || $GB gen-corpus "$B/corpus" --roles 1000 --docs 3000
}

gen() {
  # Canons of ~1k, ~10k and ~100k role-levels (roles × 12 levels), and the
  # 12k one the documents and the corpus are written against.
  for spec in "1k 84" "10k 834" "100k 8334"; do
    set -- $spec
    [ -d "$B/canon-$1" ] || $GB gen-canon "$B/canon-$1" --roles "$2" --levels 12
  done
  gen_corpus
  for kb in 10 100 1024 5120 10240; do
    [ -f "$B/doc-${kb}kb.md" ] || $GB gen-doc "$B/doc-${kb}kb.md" --roles 1000 --size-kb "$kb"
  done
  # The 20k canon laid out two ways, pretty-printed and minified (one line
  # per file, as `jq -c` writes it), in 8 files and in one: loading must
  # cost the same whatever the formatting.
  [ -d "$B/canon-20k" ] || $GB gen-canon "$B/canon-20k" --roles 1667 --levels 12
  [ -d "$B/c20k-1-min" ] || python3 - "$B" <<'PY'
import glob, json, os, sys
b = sys.argv[1]
levels = json.load(open(f"{b}/canon-20k/levels.json"))
roles = []
for f in sorted(glob.glob(f"{b}/canon-20k/roles/**/*.json", recursive=True)):
    roles += json.load(open(f))["roles"]
n = 8
k = (len(roles) + n - 1) // n
eight = [("levels.json", levels)] + [(f"roles-{i}.json", {"roles": roles[i * k:(i + 1) * k]}) for i in range(n)]
one = [("canon.json", {"levels": levels["levels"], "roles": roles})]
for name, files in [("8", eight), ("1", one)]:
    for style in ["pretty", "min"]:
        d = f"{b}/c20k-{name}-{style}"
        os.makedirs(d, exist_ok=True)
        for fname, obj in files:
            with open(f"{d}/{fname}", "w") as fh:
                if style == "pretty":
                    json.dump(obj, fh, indent=2, ensure_ascii=False)
                else:
                    json.dump(obj, fh, separators=(",", ":"), ensure_ascii=False)
PY
}

case "$what" in
  gen) step "generating inputs into $B"; gen ;;
  load)
    gen
    $GB load --bin $GF "$B/canon-1k" "$B/canon-10k" "$B/canon-100k"
    $GB load --bin $GF "$B/c20k-8-pretty" "$B/c20k-8-min" "$B/c20k-1-pretty" "$B/c20k-1-min"
    ;;
  lsp)
    gen
    $GB lsp --bin $GF --canon "$B/canon-1k" --canon "$B/canon-10k" --canon "$B/canon-100k" \
      --doc "$B/doc-5120kb.md" --doc-canon "$B/canon-12k" --samples 500
    $GB lsp-views --bin $GF --doc "$B/doc-5120kb.md" --doc-canon "$B/canon-12k" --corpus "$B/corpus" --samples 300
    $GB lsp-reload --bin $GF --canon "$B/canon-100k"
    ;;
  lsp-views)
    gen
    $GB lsp-views --bin $GF --doc "$B/doc-5120kb.md" --doc-canon "$B/canon-12k" --corpus "$B/corpus" --samples 300
    ;;
  edits)
    gen
    echo "### Keystroke + re-analysis in process (\`Session\`), 1000 random keystrokes per document"
    echo
    for kb in 10 100 1024 5120 10240; do
      printf -- '- %s KB: ' "$kb"
      $GB edits "$B/doc-${kb}kb.md" --canon "$B/canon-12k" --samples 1000 2>/dev/null
    done
    echo
    ;;
  analyze)
    gen
    echo "### Full analysis of the corpus in process, one thread"
    echo
    $GB analyze "$B/corpus" --canon "$B/canon-12k" --runs 5
    echo
    ;;
  compare)
    gen
    $GB compare --bin $GF --corpus "$B/corpus" --canon "$B/canon-12k" --rg "$(rg_bin)" --markdownlint "$(mdl_bin)"
    ;;
  import)
    # The 100k canon as one table (about 900,000 rows), exported by
    # `canon export` and imported back; `canon check` of the canon
    # written is the reference for memory. Best of 3 (wall, peak RSS).
    [ -d "$B/canon-100k" ] || $GB gen-canon "$B/canon-100k" --roles 8334 --levels 12
    T=$B/table
    mkdir -p "$T"
    [ -f "$T/canon-100k.csv" ] || $GF canon export --canon "$B/canon-100k" --format csv --output "$T/canon-100k.csv"
    [ -f "$T/canon-100k.xlsx" ] || $GF canon export --canon "$B/canon-100k" --format xlsx --output "$T/canon-100k.xlsx"
    echo "### Canon from a spreadsheet (100,008 role-levels, best of 3)"
    echo
    echo "rows: $(($(wc -l < "$T/canon-100k.csv") - 1)); CSV $(du -m "$T/canon-100k.csv" | cut -f1) MB, xlsx $(du -m "$T/canon-100k.xlsx" | cut -f1) MB"
    echo
    echo "| command | wall | peak RSS |"
    echo "| --- | --- | --- |"
    best "\`canon import\` .csv" $GF canon import "$T/canon-100k.csv" --out "$T/from-csv" --force
    best "\`canon import\` .xlsx" $GF canon import "$T/canon-100k.xlsx" --out "$T/from-xlsx" --force
    best "\`canon check\` of the canon written" $GF canon check --canon "$T/from-csv"
    best "\`canon export\` .csv" $GF canon export --canon "$T/from-csv" --format csv --output "$T/again.csv"
    best "\`canon export\` .xlsx" $GF canon export --canon "$T/from-csv" --format xlsx --output "$T/again.xlsx"
    cmp "$T/from-csv/levels.json" "$T/from-xlsx/levels.json" && diff -rq "$T/from-csv" "$T/from-xlsx" >/dev/null &&
      echo && echo "(the canons written from the CSV and the xlsx file are identical)"
    echo
    ;;
  submit)
    # `export` and `report` against `lint` on the corpus: each reads every
    # document as lint does; best of 3 (wall, peak RSS).
    gen_corpus
    out=$(mktemp -d)
    echo "### Export and report on the corpus (3,000 files, 331.6 MB, best of 3)"
    echo
    echo "| command | wall | peak RSS |"
    echo "| --- | --- | --- |"
    # lint exits 1 on the corpus's findings: a result, not a failure.
    best "\`lint --format json\`" sh -c "$GF lint --canon $B/canon-12k --format json --allow-skipped $B/corpus > $out/lint.json; [ \$? -le 1 ]"
    best "\`export --allow-incomplete\` (json)" sh -c "$GF export --canon $B/canon-12k --allow-incomplete --allow-skipped $B/corpus > $out/goals.json 2>/dev/null"
    best "\`export --allow-incomplete --format csv --output\`" $GF export --canon "$B/canon-12k" --allow-incomplete --allow-skipped --format csv --output "$out/goals.csv" "$B/corpus"
    best "\`report --format json\`" sh -c "$GF report --canon $B/canon-12k --format json --allow-skipped $B/corpus > $out/report.json"
    best "\`report --format html\`" sh -c "$GF report --canon $B/canon-12k --format html --allow-skipped $B/corpus > $out/report.html"
    echo
    echo "goals exported: $(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['goals']))" "$out/goals.json"), CSV rows (one per measure): $(python3 -c "import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline='', encoding='utf-8-sig'))) - 1)" "$out/goals.csv")"
    rm -rf "$out"
    echo
    ;;
  mcp)
    # `goalframe mcp` with the 100k canon: tool latency over stdio, and
    # lint_document/export_goals on a 1 MB document (written against the
    # 12k canon, so the 100k one knows few of its roles: the worst case).
    [ -d "$B/canon-100k" ] || $GB gen-canon "$B/canon-100k" --roles 8334 --levels 12
    [ -f "$B/doc-1024kb.md" ] || $GB gen-doc "$B/doc-1024kb.md" --roles 1000 --size-kb 1024
    echo "### MCP tools over stdio (100,008 role-levels)"
    echo
    python3 tests/bench/mcp.py "$GF" "$B/canon-100k" "$B/doc-1024kb.md" 300
    echo
    ;;
  versus)
    # `lint` of the corpus by this build and by a build of BASE_REV (by
    # default the last commit before goal quality, the change that may
    # cost at most 20 %), built once from `git archive` into the cache.
    gen_corpus
    rev=$(git rev-parse --short "${BASE_REV:-f669561}")
    base=$CACHE/base-$rev
    if [ ! -x "$base/target/release/goalframe" ]; then
      step "building goalframe at $rev into $base"
      rm -rf "$base" && mkdir -p "$base"
      git archive "$rev" | tar -x -C "$base"
      cargo build --release --locked -p goalframe --manifest-path "$base/Cargo.toml" >&2
    fi
    measured=$GF
    if [ "${ALLOCATOR:-jemalloc}" = system ]; then
      step "building this code without jemalloc into $CACHE/system-alloc"
      # The default features but jemalloc, read from server/Cargo.toml.
      features=$(python3 -c 'import sys, tomllib
default = tomllib.load(open(sys.argv[1], "rb"))["features"]["default"]
print(",".join(f for f in default if f != "jemalloc"))' server/Cargo.toml)
      cargo build --release --locked -p goalframe --no-default-features \
        --features "$features" --target-dir "$CACHE/system-alloc" >&2
      measured=$CACHE/system-alloc/release/goalframe
    fi
    $GB versus --bin "$measured" --base "$base/target/release/goalframe" --corpus "$B/corpus" --canon "$B/canon-12k" --runs 30
    ;;
  all)
    for w in load lsp edits analyze compare submit mcp; do bash "$0" "$w"; done
    ;;
  *) echo "usage: $0 [all|gen|load|lsp|lsp-views|edits|analyze|compare|import|submit|mcp|versus]" >&2; exit 2 ;;
esac
