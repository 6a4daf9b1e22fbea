#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The voicesim authors
# SPDX-License-Identifier: GPL-3.0-or-later
# Media engine capacity on one core: bench/media/run.sh [calls] [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
tools/install-deps.sh build >/dev/null
cmake --preset release -DVOICESIM_BUILD_BENCH=ON >/dev/null
cmake --build --preset release --target mediabench >/dev/null
taskset -c 1 build/release/bench/media/mediabench "${1:-1000}" "${2:-10}"
