#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The voicesim authors
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing, builds voicesim (release) and starts it. Extra arguments go to
# voicesim, e.g. tools/run.sh --headless --clock virtual. Without a display it runs headless.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install-deps.sh build
cmake --preset release >/dev/null
cmake --build --preset release

args=("$@")
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [[ " ${args[*]} " != *" --headless "* ]]; then
    echo "run: no display found, starting headless (pass --headless yourself to silence this)" >&2
    args=(--headless "${args[@]}")
fi
exec build/release/app/voicesim "${args[@]}"
