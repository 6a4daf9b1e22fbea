#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The voicesim authors
# SPDX-License-Identifier: GPL-3.0-or-later
# Accepted answer commands per second: voicesim (release build) against nginx returning a fixed
# 202, both driven by `wrk -t1 -c10` in the same run on this machine. Target (issue #2):
# voicesim >= 35 % of nginx's rate with p99 <= 2 ms.
# Usage: bench/answer/run.sh [seconds]   (default 10)
set -euo pipefail
cd "$(dirname "$0")/../.."
duration="${1:-10}"

tools/install-deps.sh build bench
cmake --preset release >/dev/null
cmake --build --preset release >/dev/null

work=$(mktemp -d)
cleanup() { kill "${vs_pid:-}" "${nginx_pid:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

api_key=bench-key
admin_key=bench-admin
build/release/app/voicesim --headless --ephemeral --listen 127.0.0.1:0 --port-file "$work/port" \
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
nginx -p "$work" -c "$work/nginx.conf" &
nginx_pid=$!
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$nginx_port/" && break; sleep 0.1; done

export VOICESIM_APP_ID=demo-app VOICESIM_API_KEY="$api_key"
measure() { # name url -> "rps p99_ms"
    wrk -t1 -c10 -d"${duration}s" --latency -s bench/answer/answer.lua "$2" >"$work/$1.txt"
    local rps p99
    rps=$(awk '/^Requests\/sec:/ {print $2}' "$work/$1.txt")
    p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}' "$work/$1.txt")
    non2xx=$(awk '/Non-2xx/ {print $NF}' "$work/$1.txt")
    echo "$rps $p99 ${non2xx:-0}"
}

# Warm up both, then measure: voicesim, nginx, voicesim again (the machine is noisy).
wrk -t1 -c10 -d2s -s bench/answer/answer.lua "$target" >/dev/null
wrk -t1 -c10 -d2s -s bench/answer/answer.lua "http://127.0.0.1:$nginx_port/" >/dev/null
read -r vs1 vs1_p99 vs1_bad < <(measure voicesim1 "$target")
read -r ng ng_p99 ng_bad < <(measure nginx "http://127.0.0.1:$nginx_port/")
read -r vs2 vs2_p99 vs2_bad < <(measure voicesim2 "$target")
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$vs_pid/status")

printf '%-22s %12s %10s %8s\n' "server" "requests/s" "p99 ms" "non-2xx"
printf '%-22s %12s %10s %8s\n' "voicesim (run 1)" "$vs1" "$vs1_p99" "$vs1_bad"
printf '%-22s %12s %10s %8s\n' "nginx fixed 202" "$ng" "$ng_p99" "$ng_bad"
printf '%-22s %12s %10s %8s\n' "voicesim (run 2)" "$vs2" "$vs2_p99" "$vs2_bad"
awk -v a="$vs1" -v b="$vs2" -v n="$ng" 'BEGIN { m = (a + b) / 2; printf "voicesim / nginx: %.1f %% (target >= 35 %%)\n", 100 * m / n }'
echo "voicesim RSS after the runs: $((rss_kb / 1024)) MiB"
