#!/usr/bin/env bash
# bench.sh: time fieldscreen's real commands on synthetic data and print a
# markdown table of figure, target, measured, met.
#
#   bash scripts/bench.sh           # full sizes: 100,000 interviews; 1,000,000 for memory
#   bash scripts/bench.sh --quick   # 10,000 (memory: 100,000), to try it fast
#   BENCH_ONLY=bundle bash scripts/bench.sh   # only some figures: a comma list of
#       version, list, score, from, memory, export, import, save; "bundle" is
#       from,export,import (the handover bundle figures; export also times verify)
#
# Every store command includes unlocking the store (argon2id, ~0.2-0.3 s);
# the table says so. Data goes to a temporary folder, removed at the end
# (set KEEP=1 to keep it). Uses hyperfine when present, else bash timing
# and /usr/bin/time for peak memory (max RSS of the real binary).
set -euo pipefail

n=100000
quick=0
runs=1 # runs of each slow figure (their median is reported); full-size runs take minutes each
if [[ "${1:-}" == "--quick" ]]; then
	n=10000
	quick=1
	runs=3
fi
n=${BENCH_N:-$n} # override the size, e.g. BENCH_N=1000 to test this script
memrounds=10 # the memory figure scores the bundle this many times over: n*10 interviews

root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fieldscreen-bench.XXXXXX")
if [[ "${KEEP:-}" != "1" ]]; then
	trap 'rm -rf "$tmp"' EXIT
fi
bin="$tmp/fieldscreen"
export FIELDSCREEN_DB="$tmp/store/interviews.db"
export FIELDSCREEN_PASSPHRASE_FILE="$tmp/pass"
unset FIELDSCREEN_PASSPHRASE FIELDSCREEN_IDENTITY
printf 'benchmark passphrase\n' >"$tmp/pass"
chmod 600 "$tmp/pass"

log() { printf '%s\n' "$*" >&2; }

only=${BENCH_ONLY:-}
only=${only//bundle/from,export,import}
# want FIGURE: whether to measure it (all unless BENCH_ONLY names some).
want() { [[ -z "$only" || ",$only," == *",$1,"* ]]; }

log "building"
(cd "$root" && go build -o "$bin" ./cmd/fieldscreen)

have_hyperfine=0
command -v hyperfine >/dev/null && have_hyperfine=1
if [[ ! -x /usr/bin/time ]]; then
	log "bench.sh: /usr/bin/time is needed for peak memory (apt-get install time)"
	exit 1
fi

# secs CMD...: wall time of one run in seconds (3 decimals); output discarded.
secs() {
	local s e
	s=$(date +%s%N)
	"$@" >/dev/null 2>&1
	e=$(date +%s%N)
	awk -v d=$((e - s)) 'BEGIN{printf "%.3f", d/1e9}'
}

# best RUNS CMD...: the median of RUNS runs, in seconds.
median() {
	local runs=$1
	shift
	if ((have_hyperfine)); then
		hyperfine -N -r "$runs" --export-json "$tmp/h.json" -- "$(printf '%q ' "$@")" >/dev/null 2>&1
		awk -F: '/"median"/{gsub(/[ ,]/,"",$2); printf "%.3f", $2; exit}' "$tmp/h.json"
		return
	fi
	local i xs=()
	for ((i = 0; i < runs; i++)); do xs+=("$(secs "$@")"); done
	printf '%s\n' "${xs[@]}" | sort -n | awk '{a[NR]=$1} END{printf "%.3f", a[int((NR+1)/2)]}'
}

# maxrss CMD...: peak resident memory of the command, in MiB.
maxrss() {
	/usr/bin/time -f '%M' -o "$tmp/rss" "$@" >/dev/null 2>"$tmp/rss.err" || { cat "$tmp/rss.err" >&2; return 1; }
	awk '{printf "%.1f", $1/1024}' "$tmp/rss"
}

rows=()
# row FIGURE TARGET MEASURED MET
row() { rows+=("| $1 | $2 | $3 | $4 |"); }
le() { awk -v a="$1" -v b="$2" 'BEGIN{print (a<=b) ? "yes" : "**no**"}'; }

log "generating $n interviews into a store"
"$bin" dev generate --count "$n" >/dev/null
if want from || want memory; then
	log "generating $n interviews into a plaintext bundle"
	"$bin" dev generate --count "$n" --seed 2 --bundle "$tmp/bundle.json" >/dev/null
	per=$(awk -v s="$(wc -c <"$tmp/bundle.json")" -v n="$n" 'BEGIN{printf "%d", s/n}')
	row "bundle size per interview (plaintext JSON, \`dev generate --bundle\`)" 'report' "$per bytes" '—'
fi
human=$(printf "%'d" "$n" 2>/dev/null || echo "$n")

if want version; then
log "version"
t=$(median 20 "$bin" version)
ms=$(awk -v t="$t" 'BEGIN{printf "%.1f", t*1000}')
row '`fieldscreen version`' '≤ 10 ms' "$ms ms" "$(le "$t" 0.010)"

fi

if want list; then
log "list"
t=$(median "$runs" "$bin" list)
row "\`list\`, $human interviews *" '≤ 0.5 s' "$t s" "$(le "$t" 0.5)"

fi

if want score; then
log "score --all and its floor"
floor=$(median "$runs" "$bin" dev read)
t=$(median "$runs" "$bin" score --all --format jsonl)
ratio=$(awk -v f="$floor" -v t="$t" 'BEGIN{printf "%.2f", f/t}')
row "\`score --all\`, $human stored interviews *" '≤ 3 s' "$t s" "$(le "$t" 3)"
row "\`score --all\` throughput ÷ floor (read+decrypt+decode, \`dev read\`: $floor s) *" '≥ 0.5' "$ratio" "$(le 0.5 "$ratio")"

fi

if want from; then
log "score --from"
t=$(median "$runs" "$bin" score --from "$tmp/bundle.json" --format jsonl)
row "\`score --from\`, $human-interview plaintext bundle" '≤ 3 s' "$t s" "$(le "$t" 3)"
if command -v jq >/dev/null; then
	j=$(median "$runs" jq length "$tmp/bundle.json")
	r=$(awk -v j="$j" -v t="$t" 'BEGIN{printf "%.2f", t/j}')
	row '… ÷ `jq length` on the same file' 'report' "$r ($j s for jq)" '—'
else
	row '… ÷ `jq length` on the same file' 'report' 'jq not installed' '—'
fi

fi

if want memory; then
log "peak memory while scoring $((n * memrounds)) interviews"
from=()
for ((i = 0; i < memrounds; i++)); do from+=(--from "$tmp/bundle.json"); done
m=$(maxrss "$bin" score "${from[@]}" --format jsonl)
row "peak memory (max RSS), \`score\` of $(printf "%'d" $((n * memrounds)) 2>/dev/null || echo $((n * memrounds))) interviews (the bundle ×$memrounds, streamed)" '≤ 100 MiB' "$m MiB" "$(le "$m" 100)"
m=$(maxrss "$bin" score --all --format jsonl)
row "peak memory (max RSS), \`score --all\`, $human stored *" 'report' "$m MiB" '—'

fi

if want export || want import; then
	log "export"
	t=$(secs "$bin" export --all -o "$tmp/export.json" --purpose benchmark --plaintext)
	row "\`export --all\`, $human interviews (signed) *" '≤ 5 s' "$t s" "$(le "$t" 5)"
	"$bin" key signing >"$tmp/field.pub" 2>/dev/null
	log "verify"
	# The caseworker's first check: the signature of an encrypted bundle,
	# before decrypting it (a test key; nobody decrypts it here).
	"$bin" export --all -o "$tmp/export.age" --purpose benchmark -r age1tym9m5nw32er7r75fah03h40t9kzuapkerdsa89plju64wxxafms2836se >/dev/null 2>&1
	t=$(secs "$bin" verify "$tmp/export.age" --trust "$tmp/field.pub")
	s=$(secs sha256sum "$tmp/export.age")
	row "\`verify --trust\` (the signature), $human interviews encrypted, against sha256sum ($s s) + 0.5 s" "≤ $(awk -v s="$s" 'BEGIN{printf "%.3f", s+0.5}') s" "$t s" "$(le "$t" "$(awk -v s="$s" 'BEGIN{print s+0.5}')")"
fi

if want import; then
log "import"
export FIELDSCREEN_DB="$tmp/store2/interviews.db"
"$bin" dev generate --count 1 >/dev/null # an existing store, so import does not time its creation
t=$(secs "$bin" import "$tmp/export.json" --trust "$tmp/field.pub")
row "\`import\`, $human interviews *" '≤ 10 s' "$t s" "$(le "$t" 10)"

fi

if want save; then
log "durable answer save"
med=$(cd "$root" && go test ./internal/store -run '^$' -bench '^BenchmarkSaveAnswer$' -benchtime 300x 2>/dev/null |
	awk '/median-ms/{for(i=1;i<NF;i++) if($(i+1)=="median-ms") print $i}')
row 'one durable answer save (median; `go test -bench SaveAnswer ./internal/store`)' '≤ 5 ms' "${med:-?} ms" "$(le "${med:-999}" 5)"

fi

mode="full"
((quick)) && mode="--quick"
printf '\n%s interviews (%s), %s cores, %s, %s\n\n' "$human" "$mode" "$(nproc)" "$(go version | awk '{print $3}')" \
	"$( ((have_hyperfine)) && echo 'hyperfine medians' || echo 'medians of bash-timed runs')"
printf '| figure | target | measured | met |\n|---|---|---|---|\n'
printf '%s\n' "${rows[@]}"
printf '\n\\* includes unlocking the store: argon2id key derivation, ~0.2-0.3 s per command.\n'
