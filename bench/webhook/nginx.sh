# SPDX-FileCopyrightText: 2026 The voicesim authors
# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by the webhook benchmarks: starts nginx (one worker on core 1, answering 200 to POST
# /hooks) in a temporary folder that goes away on exit, and sets $work and $url.
work=$(mktemp -d)
cleanup() { kill "${nginx_pid:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
port=18480
while ss -ltn | grep -q ":$port "; do port=$((port + 1)); done
sed -e "s#@DIR@#$work#g" -e "s#@PORT@#$port#g" bench/webhook/nginx.conf.in >"$work/nginx.conf"
taskset -c 1 nginx -p "$work" -c "$work/nginx.conf" &
nginx_pid=$!
url="http://127.0.0.1:$port/hooks"
for _ in $(seq 50); do curl -s -o /dev/null "$url" && break; sleep 0.1; done
