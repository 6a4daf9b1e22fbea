#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The voicesim authors
# SPDX-License-Identifier: GPL-3.0-or-later
# Webhook delivery end to end (issue #4): events published → journaled → signed → posted one at
# a time per session (1,000 sessions) → 2xx back, against nginx answering 200; in alternating
# rounds with wrk -t1 -c64 POSTing the same body to the same nginx. Then the latency from
# publication to the 2xx at light load. Usage: bench/webhook/delivery.sh [rounds] [events]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-5}"
events="${2:-200000}"
tools/install-deps.sh build bench >/dev/null
cmake --preset release -DVOICESIM_BUILD_BENCH=ON >/dev/null
cmake --build --preset release --target deliverybench >/dev/null

source bench/webhook/nginx.sh
bench=build/release/bench/webhook/deliverybench

# voicesim runs its journal writer on a thread of its own: "2 cores" lets it use both (nginx
# shares core 1), "core 0" pins everything to one core like wrk's single thread.
printf '%-6s %12s %12s %12s %8s %8s\n' round "2 cores/s" "core 0/s" wrk/s ratio ratio0
for r in $(seq "$rounds"); do
    read -r both _ < <("$bench" throughput "$url" 1000 "$events" 64 2>/dev/null)
    read -r pinned _ < <(taskset -c 0 "$bench" throughput "$url" 1000 "$events" 64 2>/dev/null)
    taskset -c 0 wrk -t1 -c64 -d5s -s bench/webhook/post.lua "$url" >"$work/wrk.txt"
    w_rps=$(awk '/^Requests\/sec:/ {print $2}' "$work/wrk.txt")
    printf '%-6s %12.0f %12.0f %12.0f %7.1f%% %7.1f%%\n' "$r" "$both" "$pinned" "$w_rps" \
        "$(awk -v a="$both" -v b="$w_rps" 'BEGIN {print 100 * a / b}')" "$(awk -v a="$pinned" -v b="$w_rps" 'BEGIN {print 100 * a / b}')"
done
echo
printf '%-18s %8s %8s %8s %8s\n' "light load" p50_ms p99_ms max_ms n
for rate in 100 200 500; do
    read -r p50 p99 max n < <("$bench" latency "$url" "$rate" 5 2>/dev/null)
    printf '%-18s %8s %8s %8s %8s\n' "$rate events/s" "$p50" "$p99" "$max" "$n"
done
