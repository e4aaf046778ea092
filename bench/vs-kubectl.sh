#!/usr/bin/env bash
# Kindling side by side with kubectl against the same fake API server, in the same run, interleaved
# (A B A B ...), so that drift in the machine's speed hits both alike. Run on a quiet machine:
#   bench/vs-kubectl.sh [runs=10] [apps=1000]
# Needs: dotnet, kubectl (1.32), python3, /usr/bin/time. KINDLING_BENCH_AOT=1 measures a Native AOT publish
# instead of the ReadyToRun one; KINDLING_BENCH_CLI=path measures an already published CLI (no publish step).
# kubectl runs with --validate=false: the fake serves no OpenAPI document, and a real server validates
# server-side anyway. Pairs (Kindling | kubectl doing the same API work):
#   up       `kindling up`, nothing to change       | kubectl apply --server-side of the 11 rendered objects, nothing to
#            change (a copy in namespace kindling-kubectl, so that neither run changes what the other applied)
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
if [[ -n "${KINDLING_BENCH_CLI:-}" ]]; then
  CLI=$(realpath "$KINDLING_BENCH_CLI")
elif [[ "${KINDLING_BENCH_AOT:-0}" == 1 ]]; then
  dotnet publish -c Release -r "$RID" -p:PublishAot=true -o "$TMP/cli" "$ROOT/src/Kindling.Cli" -v q -nologo >/dev/null
  CLI="$TMP/cli/Kindling.Cli"
else
  dotnet publish -c Release -r "$RID" --self-contained false -p:PublishReadyToRun=true -o "$TMP/cli" "$ROOT/src/Kindling.Cli" -v q -nologo >/dev/null
  CLI="$TMP/cli/Kindling.Cli"
fi
dotnet build -c Release "$ROOT/bench/Kindling.Bench" -v q -nologo >/dev/null
BENCH="$ROOT/bench/Kindling.Bench/bin/Release/net10.0/Kindling.Bench"

start_fake() { # name, extra args...
  local name=$1; shift
  mkfifo "$TMP/$name-in"
  "$BENCH" fake --kubeconfig "$TMP/$name.kubeconfig" "$@" < "$TMP/$name-in" > "$TMP/$name.log" &
  PIDS+=($!)
  # Held open for the rest of the script: the fake stops when its stdin closes.
  exec {fd}> "$TMP/$name-in"
  until grep -q ready "$TMP/$name.log" 2>/dev/null; do kill -0 "${PIDS[-1]}" || { cat "$TMP/$name.log"; exit 1; }; sleep 0.1; done
}

# pair LABEL 'A command' 'B command': RUNS interleaved runs of each, wall ms and peak RSS, medians and ratio.
# A run that fails stops the script with its output: a failed command is fast and would look like a win.
pair() {
  local label=$1 a=$2 b=$3
  : > "$TMP/a"; : > "$TMP/b"
  run_one "$a" /dev/null; run_one "$b" /dev/null   # warm-up, not counted
  for _ in $(seq "$RUNS"); do
    run_one "$a" "$TMP/a"; run_one "$b" "$TMP/b"
  done
  python3 - "$label" "$TMP/a" "$TMP/b" <<'PY'
import sys, statistics
label, a, b = sys.argv[1], [l.split() for l in open(sys.argv[2])], [l.split() for l in open(sys.argv[3])]
ma = statistics.median(float(x[0]) for x in a) * 1000; mb = statistics.median(float(x[0]) for x in b) * 1000
ra = statistics.median(float(x[1]) for x in a) / 1024; rb = statistics.median(float(x[1]) for x in b) / 1024
print(f"{label:8} kindling {ma:7.0f} ms {ra:5.0f} MB | kubectl {mb:7.0f} ms {rb:5.0f} MB | ratio {ma / mb:4.2f}")
PY
}

# run_one COMMAND FILE: times COMMAND as one process tree (wall seconds, peak RSS KB of the largest process) into FILE.
run_one() {
  if ! /usr/bin/time -f "%e %M" -o "$TMP/t" bash -c "$1" >"$TMP/out" 2>&1; then
    echo "FAILED: $1" >&2; tail -20 "$TMP/out" >&2; exit 1
  fi
  cat "$TMP/t" >> "$2"
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
# kubectl's copy: the same objects in their own namespace, created once so that every measured apply is a no-op.
cp -r "$TMP/work/out/k8s" "$TMP/kubectl-k8s"
sed -i -e 's/^\(  *namespace:\) kindling$/\1 kindling-kubectl/' "$TMP/kubectl-k8s/"*.yaml
sed -i -e 's/^\(  name:\) kindling$/\1 kindling-kubectl/' "$TMP/kubectl-k8s/"*-namespace-*.yaml
kubectl --kubeconfig "$K" apply --server-side --validate=false --field-manager=kubectl-bench -f "$TMP/kubectl-k8s" >/dev/null
pair up "cd $TMP/work && $CLI up --kubeconfig $K" \
  "kubectl --kubeconfig $K apply --server-side --validate=false --field-manager=kubectl-bench -f $TMP/kubectl-k8s"
pair render "cd $TMP/work && $CLI render --output-dir $TMP/work/r" \
  "kubectl --kubeconfig $K create --dry-run=client --validate=false -o yaml -f $TMP/work/out/k8s"

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
  "sed \"s/UNIQ/\$(od -An -N8 -tx1 /dev/urandom | tr -d ' \\n')/g\" $TMP/submit.yaml | kubectl --kubeconfig $K create --validate=false -f -"

# apps: N applications of a driver and two executors each, with real-sized pods.
start_fake apps --apps "$APPS"
KA="$TMP/apps.kubeconfig"
pair apps "cd $TMP/work && $CLI apps --kubeconfig $KA -o json" \
  "kubectl --kubeconfig $KA -n kindling get pods -l spark-app-selector -o json"
