#!/usr/bin/env bash
# The tracker alone, over HTTPS and HTTP/2 to the fake API server in its own process (see bench/README.md,
# "Tracker"). Run on a quiet machine:
#   bench/track.sh [apps=1000] [rounds=10] [warmup-events=3000]
# Each round changes every application's first executor once (Pending <-> Running), so every event is a real
# state change the tracker must derive and report. Prints CPU per event overall, for the warm-up events alone,
# for the steady state after them, and per round. KINDLING_TRACK_WRAP="perf record -g -o t.data" (for example)
# runs the tracker under a profiler; DOTNET_PerfMapEnabled=1 gives perf the JIT's symbols.
set -euo pipefail
APPS=${1:-1000}
ROUNDS=${2:-10}
WARMUP=${3:-3000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d)
FAKE_PID=""
cleanup() { [[ -n "$FAKE_PID" ]] && kill "$FAKE_PID" 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT

dotnet build -c Release "$ROOT/bench/Kindling.Bench" -v q -nologo >/dev/null
BENCH="$ROOT/bench/Kindling.Bench/bin/Release/net10.0/Kindling.Bench"

mkfifo "$TMP/fake-in"
"$BENCH" fake --kubeconfig "$TMP/kubeconfig" --apps "$APPS" --rounds "$ROUNDS" --ready-file "$TMP/go" < "$TMP/fake-in" > "$TMP/fake.log" &
FAKE_PID=$!
exec 4> "$TMP/fake-in"
until grep -q ready "$TMP/fake.log" 2>/dev/null; do kill -0 "$FAKE_PID" || { cat "$TMP/fake.log"; exit 1; }; sleep 0.1; done
grep pod-bytes "$TMP/fake.log" || true
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
# shellcheck disable=SC2086
${KINDLING_TRACK_WRAP:-} /usr/bin/time -f "tracker peak RSS KB: %M" "$BENCH" track --kubeconfig "$TMP/kubeconfig" --apps "$APPS" \
  --expect $((APPS * ROUNDS)) --warmup "$WARMUP" --ready-file "$TMP/go"
exec 4>&-; wait "$FAKE_PID" || true; FAKE_PID=""
