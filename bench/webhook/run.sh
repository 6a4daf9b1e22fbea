#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The voicesim authors
# SPDX-License-Identifier: GPL-3.0-or-later
# The webhook client's raw rate against nginx answering 200, next to wrk -t1 -c64 POSTing the
# same request, in alternating rounds: bench/webhook/run.sh [rounds] [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-5}"
duration="${2:-5}"
tools/install-deps.sh build bench >/dev/null
cmake --preset release -DVOICESIM_BUILD_BENCH=ON >/dev/null
cmake --build --preset release --target clientbench >/dev/null

source bench/webhook/nginx.sh

printf '%-6s %14s %8s %8s %14s %8s %8s\n' round client/s p50_ms p99_ms wrk/s p99_ms ratio
for r in $(seq "$rounds"); do
    read -r c_rps _ _ c_p50 c_p99 _ < <(taskset -c 0 build/release/bench/webhook/clientbench "$url" 64 "$duration")
    taskset -c 0 wrk -t1 -c64 -d"${duration}s" --latency -s bench/webhook/post.lua "$url" >"$work/wrk.txt"
    w_rps=$(awk '/^Requests\/sec:/ {print $2}' "$work/wrk.txt")
    w_p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.txt")
    printf '%-6s %14.0f %8s %8s %14.0f %8s %7.1f%%\n' "$r" "$c_rps" "$c_p50" "$c_p99" "$w_rps" "$w_p99" "$(awk -v a="$c_rps" -v b="$w_rps" 'BEGIN {print 100 * a / b}')"
done
