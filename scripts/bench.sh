#!/usr/bin/env bash
# First benchmark of tsshim against the Go runc shim, on a private containerd
# (instance "bench", namespace tsshim-bench):
#   1. wall time of `ctr run --rm … true`, N paired runs interleaved (runc, tsshim, runc, …), median
#   2. RSS and PSS (from /proc/<pid>/smaps_rollup) of the shim processes per
#      running container, with 1 and with 10 `ctr run -d … sleep 1000` containers
# Prints one table. A runtime that fails shows "fail". Cleans up on every exit.
#   N=20 RUNTIMES="io.containerd.runc.v2 io.containerd.tsshim.v2" scripts/bench.sh
# SHARED=1 measures tsshim's shared mode instead: containerd (and so the shim)
# runs with TSSHIM_GROUP=namespace, and one long-running container keeps the
# namespace's shim alive during the `run --rm` loop, as a pod or any running
# workload would. The warm init process such a shim keeps counts as shim memory.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${N:-20}"
RUNTIMES="${RUNTIMES:-io.containerd.runc.v2 io.containerd.tsshim.v2}"
SHARED="${SHARED:-}"
export TSSHIM_CTD_NAME=bench${SHARED:+-shared} TSSHIM_NS=tsshim-bench
if [ -n "$SHARED" ]; then export TSSHIM_GROUP=namespace; else unset TSSHIM_GROUP; fi
IMAGE="${TSSHIM_IMAGE:-docker.io/library/busybox:tsshim}"

scripts/containerd.sh up
trap 'scripts/containerd.sh down' EXIT
eval "$(scripts/containerd.sh env)"
ADDRESS="$CONTAINERD_ADDRESS"
ctr_() { timeout -s KILL "${CTR_TIMEOUT:-60}" ctr --address "$ADDRESS" --namespace tsshim-bench "$@" </dev/null; }
short() { local r="${1#io.containerd.}"; echo "${r%.v2}"; }

median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) print "fail"; else if (NR%2) print a[(NR+1)/2]; else printf "%.1f\n", (a[NR/2]+a[NR/2+1])/2}'; }

# --- 1. ctr run --rm true, interleaved ---
tmp="$(mktemp -d /tmp/tsshim-bench.XXXXXX)"
trap 'rm -rf "$tmp"; scripts/containerd.sh down' EXIT
for rt in $RUNTIMES; do
  : >"$tmp/$(short "$rt").times"
  ctr_ run --rm --runtime "$rt" "$IMAGE" "warm-$(short "$rt")" true >/dev/null 2>&1 || true   # warm caches
done
if [ -n "$SHARED" ]; then
  ctr_ run -d --runtime io.containerd.tsshim.v2 "$IMAGE" keeper sleep 100000 >/dev/null
fi
for i in $(seq 1 "$N"); do
  for rt in $RUNTIMES; do
    s="$(short "$rt")"
    t0="$(date +%s%N)"
    if ctr_ run --rm --runtime "$rt" "$IMAGE" "run-$s-$i" true >/dev/null 2>>"$tmp/$s.err"; then
      echo $(( ($(date +%s%N) - t0) / 1000000 )) >>"$tmp/$s.times"
    else
      ctr_ task rm -f "run-$s-$i" >/dev/null 2>&1 || true
      ctr_ container rm "run-$s-$i" >/dev/null 2>&1 || true
    fi
  done
done

if [ -n "$SHARED" ]; then
  ctr_ task kill -s SIGKILL keeper >/dev/null 2>&1 || true
  CTR_TIMEOUT=20 ctr_ task rm -f keeper >/dev/null 2>&1 || true
  ctr_ container rm keeper >/dev/null 2>&1 || true
fi

# --- 2. shim memory per running container ---
# shim_mem: prints "rss_kb pss_kb" summed over the shims of this containerd.
shim_mem() {
  local f pid c rss=0 pss=0 r p
  for f in /proc/[0-9]*/cmdline; do
    pid="${f#/proc/}"; pid="${pid%/cmdline}"
    { tr '\0' ' ' <"$f"; } 2>/dev/null | grep -qF -- "-address $ADDRESS " || continue
    # tsshim's warm init processes (children of a shim) are shim memory too.
    for c in $(cat /proc/$pid/task/*/children 2>/dev/null); do
      { tr '\0' ' ' <"/proc/$c/cmdline"; } 2>/dev/null | grep -q '^tsshim-init ' || continue
      r="$(awk '/^Rss:/ {print $2}' "/proc/$c/smaps_rollup" 2>/dev/null || echo 0)"
      p="$(awk '/^Pss:/ {print $2}' "/proc/$c/smaps_rollup" 2>/dev/null || echo 0)"
      rss=$((rss + ${r:-0})); pss=$((pss + ${p:-0}))
    done
    r="$(awk '/^Rss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)"
    p="$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)"
    rss=$((rss + ${r:-0})); pss=$((pss + ${p:-0}))
  done
  echo "$rss $pss"
}

mem() {  # mem RUNTIME COUNT -> "rss_mb pss_mb" per container, or "fail fail"
  local rt="$1" n="$2" s k ok=1 rss pss
  s="$(short "$rt")"
  for k in $(seq 1 "$n"); do
    ctr_ run -d --runtime "$rt" "$IMAGE" "mem-$s-$n-$k" sleep 1000 >/dev/null 2>>"$tmp/$s.err" || { ok=0; break; }
  done
  sleep 1   # let the shims settle after start
  read -r rss pss < <(shim_mem)
  for k in $(seq 1 "$n"); do
    ctr_ task kill -s SIGKILL "mem-$s-$n-$k" >/dev/null 2>&1 || true
  done
  for k in $(seq 1 "$n"); do
    CTR_TIMEOUT=20 ctr_ task rm -f "mem-$s-$n-$k" >/dev/null 2>&1 || true
    CTR_TIMEOUT=20 ctr_ container rm "mem-$s-$n-$k" >/dev/null 2>&1 || true
  done
  if [ "$ok" = 1 ] && [ "$rss" -gt 0 ]; then
    awk -v r="$rss" -v p="$pss" -v n="$n" 'BEGIN {printf "%.1f %.1f\n", r/n/1024, p/n/1024}'
  else
    echo "fail fail"
  fi
}

declare -A result
for rt in $RUNTIMES; do
  s="$(short "$rt")"
  result[$s,run]="$(median <"$tmp/$s.times")"
  result[$s,ok]="$(wc -l <"$tmp/$s.times")/$N"
  for n in 1 10; do
    read -r result[$s,rss$n] result[$s,pss$n] < <(mem "$rt" "$n")
  done
done

echo
printf '%-44s' "tsshim bench${SHARED:+, shared mode} (N=$N, $(nproc) cores)"
for rt in $RUNTIMES; do printf '%16s' "$(short "$rt")"; done; echo
row() {
  printf '%-44s' "$1"
  for rt in $RUNTIMES; do printf '%16s' "${result[$(short "$rt"),$2]}"; done; echo
}
row "ctr run --rm true, median ms" run
row "  successful runs" ok
row "shim RSS MB per container, 1 running" rss1
row "shim PSS MB per container, 1 running" pss1
row "shim RSS MB per container, 10 running" rss10
row "shim PSS MB per container, 10 running" pss10
for rt in $RUNTIMES; do
  s="$(short "$rt")"
  if [ -s "$tmp/$s.err" ]; then echo "first errors of $s:"; sort -u "$tmp/$s.err" | head -n 3; fi
done
