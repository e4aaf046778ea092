#!/usr/bin/env bash
# Whole-command timings for bench/README.md. Run on a quiet machine:
#   bench/run.sh [runs=20] [apps=1000]
# Needs: dotnet, python3, /usr/bin/time. Builds Release, then measures
#   1. CLI cold start:      kindling --version (wall, peak RSS)
#   2. submit overhead:     process start -> driver-pod create request seen by the fake API server
#      submit end-to-end:   whole `kindling submit` process vs the fake (zero added latency)
#   3. tracker:             events/s, CPU per event, peak memory, 1000 live apps (driver + 2 executors each)
set -euo pipefail
RUNS=${1:-20}
APPS=${2:-1000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d)
FAKE_PID=""
cleanup() { [[ -n "$FAKE_PID" ]] && kill "$FAKE_PID" 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT

# The CLI is measured as users install it: a ReadyToRun publish (precompiled, so start-up is not spent in the JIT).
# KINDLING_BENCH_JIT=1 measures the plain Release build instead, KINDLING_BENCH_AOT=1 a Native AOT publish, and
# KINDLING_BENCH_CLI=path an already published CLI.
if [[ -n "${KINDLING_BENCH_CLI:-}" ]]; then
  CLI=$(realpath "$KINDLING_BENCH_CLI")
elif [[ "${KINDLING_BENCH_JIT:-0}" == 1 ]]; then
  dotnet build -c Release "$ROOT/src/Kindling.Cli" -v q -nologo >/dev/null
  CLI="$ROOT/src/Kindling.Cli/bin/Release/net10.0/Kindling.Cli"
elif [[ "${KINDLING_BENCH_AOT:-0}" == 1 ]]; then
  dotnet publish -c Release -r "$(dotnet --info | awk '/ RID:/ { print $2; exit }')" -p:PublishAot=true \
    -o "$TMP/cli" "$ROOT/src/Kindling.Cli" -v q -nologo >/dev/null
  CLI="$TMP/cli/Kindling.Cli"
else
  dotnet publish -c Release -r "$(dotnet --info | awk '/ RID:/ { print $2; exit }')" --self-contained false \
    -p:PublishReadyToRun=true -o "$TMP/cli" "$ROOT/src/Kindling.Cli" -v q -nologo >/dev/null
  CLI="$TMP/cli/Kindling.Cli"
fi
dotnet build -c Release "$ROOT/bench/Kindling.Bench" -v q -nologo >/dev/null
BENCH="$ROOT/bench/Kindling.Bench/bin/Release/net10.0/Kindling.Bench"

stats() { python3 -c '
import sys, statistics
xs = sorted(float(x) for x in sys.stdin.read().split())
p99 = xs[min(len(xs) - 1, round(0.99 * (len(xs) - 1)))]
print(f"n={len(xs)} median={statistics.median(xs):.1f} p99={p99:.1f} min={xs[0]:.1f} max={xs[-1]:.1f}")'; }
# Bash's own clock (no process started to read it), in milliseconds.
now_ms() { local us=${EPOCHREALTIME/./}; echo "${us:0:-3}.${us: -3}"; }

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"

echo "== 1. cold start: kindling --version"
: > "$TMP/version"
for _ in $(seq "$RUNS"); do
  /usr/bin/time -f "%e %M" -o "$TMP/t" "$CLI" --version >/dev/null
  read -r secs kb < "$TMP/t"; echo "$(python3 -c "print($secs*1000)") $kb" >> "$TMP/version"
done
echo -n "wall ms: "; cut -d' ' -f1 "$TMP/version" | stats
echo -n "peak RSS MB: "; awk '{print $2/1024}' "$TMP/version" | stats

echo "== 2. submit vs the fake API server (zero latency)"
mkfifo "$TMP/fake-in"
"$BENCH" fake --kubeconfig "$TMP/kubeconfig" < "$TMP/fake-in" > "$TMP/fake.log" &
FAKE_PID=$!
exec 3> "$TMP/fake-in"
until grep -q ready "$TMP/fake.log" 2>/dev/null; do kill -0 "$FAKE_PID" || { cat "$TMP/fake.log"; exit 1; }; sleep 0.1; done
: > "$TMP/overhead"; : > "$TMP/e2e"; : > "$TMP/rss"
for i in $(seq "$RUNS"); do
  t0=$(now_ms)
  # Submit's options come before the application: after it they are the application's own arguments (spark-submit).
  KUBECONFIG="$TMP/kubeconfig" HOME="$TMP" /usr/bin/time -f "%e %M" -o "$TMP/t" "$CLI" submit --name "bench-$i" -o json local:///opt/spark/examples/src/main/python/pi.py >/dev/null 2>&1
  t1=$(now_ms)
  sleep 0.05
  seen=$(grep pod-request "$TMP/fake.log" | tail -1 | cut -d' ' -f2)
  python3 -c "print($seen - $t0)" >> "$TMP/overhead"
  python3 -c "print($t1 - $t0)" >> "$TMP/e2e"
  awk '{print $2/1024}' "$TMP/t" >> "$TMP/rss"
done
echo -n "process start -> pod request, ms: "; stats < "$TMP/overhead"
echo -n "end to end (process), ms: "; stats < "$TMP/e2e"
echo -n "peak RSS MB: "; stats < "$TMP/rss"
exec 3>&-; wait "$FAKE_PID" || true; FAKE_PID=""

echo "== 3. tracker: $APPS live applications (driver + 2 executors each), one namespace-wide watch"
ROUNDS=${KINDLING_BENCH_ROUNDS:-10}
mkfifo "$TMP/fake2-in"
"$BENCH" fake --kubeconfig "$TMP/kubeconfig2" --apps "$APPS" --rounds "$ROUNDS" --ready-file "$TMP/go" < "$TMP/fake2-in" > "$TMP/fake2.log" &
FAKE_PID=$!
exec 4> "$TMP/fake2-in"
until grep -q ready "$TMP/fake2.log" 2>/dev/null; do kill -0 "$FAKE_PID" || { cat "$TMP/fake2.log"; exit 1; }; sleep 0.1; done
/usr/bin/time -f "%M" -o "$TMP/t" "$BENCH" track --kubeconfig "$TMP/kubeconfig2" --apps "$APPS" --expect $((APPS * ROUNDS)) --ready-file "$TMP/go"
echo "tracker peak RSS MB: $(awk '{print $1/1024}' "$TMP/t")"
exec 4>&-; wait "$FAKE_PID" || true; FAKE_PID=""
