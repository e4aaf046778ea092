#!/usr/bin/env bash
# Kindling side by side with kubectl against the same fake API server, in the same run, interleaved
# (A B A B ...), so that drift in the machine's speed hits both alike. Run on a quiet machine:
#   bench/vs-kubectl.sh [runs=10] [apps=1000]
# Needs: dotnet, kubectl (1.32), python3, /usr/bin/time. KINDLING_BENCH_AOT=1 measures a Native AOT publish
# instead of the ReadyToRun one. Pairs (Kindling | kubectl doing the same API work):
#   up       `kindling up`, nothing to change       | kubectl apply --server-side of the 10 rendered objects
#   render   `kindling render`                      | kubectl create --dry-run=client -o yaml of the same objects
#   submit   `kindling submit` (pod, 2 ConfigMaps, Service) | kubectl create -f of the same objects (fresh names each run)
#   apps     `kindling apps -o json`, N apps        | kubectl get pods -l spark-app-selector -o json (3 pods per app)
set -euo pipefail
RUNS=${1:-10}
APPS=${2:-1000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$TMP"; }
trap cleanup EXIT

RID=$(dotnet --info | awk '/ RID:/ { print $2; exit }')
if [[ "${KINDLING_BENCH_AOT:-0}" == 1 ]]; then
  dotnet publish -c Release -r "$RID" -p:PublishAot=true -o "$TMP/cli" "$ROOT/src/Kindling.Cli" -v q -nologo >/dev/null
else
  dotnet publish -c Release -r "$RID" --self-contained false -p:PublishReadyToRun=true -o "$TMP/cli" "$ROOT/src/Kindling.Cli" -v q -nologo >/dev/null
fi
CLI="$TMP/cli/Kindling.Cli"
dotnet build -c Release "$ROOT/bench/Kindling.Bench" -v q -nologo >/dev/null
BENCH="$ROOT/bench/Kindling.Bench/bin/Release/net10.0/Kindling.Bench"

start_fake() { # name, extra args...
  local name=$1; shift
  mkfifo "$TMP/$name-in"
  "$BENCH" fake --kubeconfig "$TMP/$name.kubeconfig" "$@" < "$TMP/$name-in" > "$TMP/$name.log" &
  PIDS+=($!)
  exec {fd}> "$TMP/$name-in"
  until grep -q ready "$TMP/$name.log" 2>/dev/null; do sleep 0.1; done
}

# pair LABEL 'A command' 'B command': RUNS interleaved runs of each, wall ms and peak RSS, medians and ratio.
pair() {
  local label=$1 a=$2 b=$3
  : > "$TMP/a"; : > "$TMP/b"
  bash -c "$a" >/dev/null 2>&1 || true; bash -c "$b" >/dev/null 2>&1 || true   # warm-up, not counted
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$TMP/t" bash -c "$a" >/dev/null 2>&1 || true; cat "$TMP/t" >> "$TMP/a"
    /usr/bin/time -f "%e %M" -o "$TMP/t" bash -c "$b" >/dev/null 2>&1 || true; cat "$TMP/t" >> "$TMP/b"
  done
  python3 - "$label" "$TMP/a" "$TMP/b" <<'PY'
import sys, statistics
label, a, b = sys.argv[1], [l.split() for l in open(sys.argv[2])], [l.split() for l in open(sys.argv[3])]
ma = statistics.median(float(x[0]) for x in a) * 1000; mb = statistics.median(float(x[0]) for x in b) * 1000
ra = statistics.median(float(x[1]) for x in a) / 1024; rb = statistics.median(float(x[1]) for x in b) / 1024
print(f"{label:8} kindling {ma:7.0f} ms {ra:5.0f} MB | kubectl {mb:7.0f} ms {rb:5.0f} MB | ratio {ma / mb:4.2f}")
PY
}

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
echo "== $(kubectl version --client 2>/dev/null | head -1)"

# up / render: one environment, created once, then measured with nothing to change.
start_fake env --auto-ready
K="$TMP/env.kubeconfig"
mkdir "$TMP/work" && cd "$TMP/work"
"$CLI" init >/dev/null
"$CLI" render --output-dir "$TMP/work/out" >/dev/null
"$CLI" up --kubeconfig "$K" >/dev/null
pair up "cd $TMP/work && $CLI up --kubeconfig $K" \
  "kubectl --kubeconfig $K apply --server-side --force-conflicts --field-manager=kindling -f $TMP/work/out/k8s"
pair render "cd $TMP/work && $CLI render --output-dir $TMP/work/r" \
  "kubectl --kubeconfig $K create --dry-run=client -o yaml -f $TMP/work/out/k8s"

# submit: the three objects Kindling creates, as a file kubectl creates under fresh names each run.
"$CLI" submit --kubeconfig "$K" --dry-run -o yaml --name bench local:///opt/spark/examples/src/main/python/pi.py > "$TMP/submit.yaml"
python3 - "$TMP/submit.yaml" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
# Only the objects (the dry run says what it would send first); the unique id in their names becomes a
# placeholder that each kubectl run replaces, as Kindling draws a fresh one per submit.
text = text[text.index("apiVersion:"):]
open(sys.argv[1], "w").write(re.sub(r"-([0-9a-f]{16})-", "-UNIQ-", text))
PY
pair submit "cd $TMP/work && $CLI submit --kubeconfig $K --name bench local:///opt/spark/examples/src/main/python/pi.py" \
  "sed \"s/UNIQ/\$(od -An -N8 -tx1 /dev/urandom | tr -d ' \\n')/g\" $TMP/submit.yaml | kubectl --kubeconfig $K create -f -"

# apps: N applications of a driver and two executors each, with real-sized pods.
start_fake apps --apps "$APPS"
KA="$TMP/apps.kubeconfig"
pair apps "cd $TMP/work && $CLI apps --kubeconfig $KA -o json" \
  "kubectl --kubeconfig $KA -n kindling get pods -l spark-app-selector -o json"
