#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The voicesim authors
# SPDX-License-Identifier: GPL-3.0-or-later
# Accepted answer commands per second: voicesim (release build) against nginx returning a fixed
# 202, both driven by `wrk -t1 -c10` in the same run on this machine. Target (issue #2):
# voicesim >= 35 % of nginx's rate with p99 <= 2 ms.
# Usage: bench/answer/run.sh [rounds] [seconds per run]   (default 7 rounds of 5 s)
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-7}"
duration="${2:-5}"

tools/install-deps.sh build bench
cmake --preset release >/dev/null
cmake --build --preset release >/dev/null

work=$(mktemp -d)
cleanup() { kill "${vs_pid:-}" "${nginx_pid:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

api_key=bench-key
admin_key=bench-admin
# Servers on core 1, wrk on core 0: the two never compete for one core, the same for both servers.
taskset -c 1 build/release/app/voicesim --headless --ephemeral --listen 127.0.0.1:0 --port-file "$work/port" \
    --api-key "$api_key" --admin-key "$admin_key" >"$work/voicesim.log" 2>&1 &
vs_pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port")
base="http://127.0.0.1:$port"

# Lift the global limit so wrk measures the server, not the 10,000/s window.
curl -sf -X POST -H "X-Admin-API-Key: $admin_key" -H 'Content-Type: application/json' \
    -d '{"rate_limit": 1000000000}' "$base/admin/apps/demo-app" >/dev/null
uuid=$(curl -sf -X POST -H "X-Admin-API-Key: $admin_key" -H 'Content-Type: application/json' \
    -d '{"auto_answer": true}' "$base/sim/v1/calls" | sed -E 's/.*"session_uuid":"([^"]+)".*/\1/')
target="$base/api/v1/sessions/$uuid/commands/answer"
[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'X-App-ID: demo-app' -H "X-API-Key: $api_key" -H 'Content-Type: application/json' -d '{}' "$target")" = 202 ]

nginx_port=$((port + 1))
while ss -ltn | grep -q ":$nginx_port "; do nginx_port=$((nginx_port + 1)); done
sed -e "s#@DIR@#$work#g" -e "s#@PORT@#$nginx_port#g" bench/answer/nginx.conf.in >"$work/nginx.conf"
taskset -c 1 nginx -p "$work" -c "$work/nginx.conf" &
nginx_pid=$!
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$nginx_port/" && break; sleep 0.1; done

export VOICESIM_APP_ID=demo-app VOICESIM_API_KEY="$api_key"
measure() { # name url -> "rps p99_ms"
    taskset -c 0 wrk -t1 -c10 -d"${duration}s" --latency -s bench/answer/answer.lua "$2" >"$work/$1.txt"
    local rps p99
    rps=$(awk '/^Requests\/sec:/ {print $2}' "$work/$1.txt")
    p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}' "$work/$1.txt")
    local non2xx
    non2xx=$(awk '/Non-2xx/ {print $NF}' "$work/$1.txt")
    echo "$rps $p99 ${non2xx:-0}"
}

# Warm up both, then alternate short rounds: on a noisy machine, neighbours in time see the same
# noise, so each round's ratio is fair and the medians say more than one long run.
wrk -t1 -c10 -d2s -s bench/answer/answer.lua "$target" >/dev/null
wrk -t1 -c10 -d2s -s bench/answer/answer.lua "http://127.0.0.1:$nginx_port/" >/dev/null
printf '%-7s %14s %9s %14s %9s %8s\n' round "voicesim r/s" "p99 ms" "nginx r/s" "p99 ms" ratio
: >"$work/rounds"
for round in $(seq "$rounds"); do
    read -r vs vs_p99 vs_bad < <(measure "voicesim$round" "$target")
    read -r ng ng_p99 ng_bad < <(measure "nginx$round" "http://127.0.0.1:$nginx_port/")
    [ "$vs_bad" = 0 ] && [ "$ng_bad" = 0 ] || { echo "bench: non-2xx answers ($vs_bad, $ng_bad)" >&2; exit 1; }
    ratio=$(awk -v a="$vs" -v b="$ng" 'BEGIN { printf "%.1f", 100 * a / b }')
    printf '%-7s %14s %9s %14s %9s %7s%%\n' "$round" "$vs" "$vs_p99" "$ng" "$ng_p99" "$ratio"
    echo "$vs $vs_p99 $ng $ng_p99 $ratio" >>"$work/rounds"
done
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
printf '%-7s %14s %9s %14s %9s %7s%%\n' median \
    "$(cut -d' ' -f1 "$work/rounds" | median)" "$(cut -d' ' -f2 "$work/rounds" | median)" \
    "$(cut -d' ' -f3 "$work/rounds" | median)" "$(cut -d' ' -f4 "$work/rounds" | median)" \
    "$(cut -d' ' -f5 "$work/rounds" | median)"
echo "target: ratio >= 35 %, voicesim p99 <= 2 ms"
echo "voicesim RSS after the runs: $(( $(awk '/VmRSS/ {print $2}' "/proc/$vs_pid/status") / 1024 )) MiB"
