#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The voicesim authors
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing, builds and runs every test: the ci preset (-Werror), the headless
# build that proves core/ is GUI-free, and the whole suite again under ASan + UBSan.
# Usage: tools/test.sh [preset...]   (default: ci nogui asan)
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install-deps.sh build node desktop
# The independent webhook checks (tst_webhookinterop) run these npm packages; here they must run.
# Node trusts only its own CA list unless told; the system's store also holds local (corporate,
# proxy) CAs, as apt and curl use it.
if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f /etc/ssl/certs/ca-certificates.crt ]; then
    export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
fi
(cd tests/node && npm ci --no-audit --no-fund --loglevel=error)
export VOICESIM_REQUIRE_NODE=1
# The audio device suite runs against a private PulseAudio; here it must not skip.
export VOICESIM_REQUIRE_AUDIO=1
export CTEST_PARALLEL_LEVEL="${CTEST_PARALLEL_LEVEL:-$(nproc)}"
export QT_QPA_PLATFORM=offscreen
# Let ccache share objects between build folders (ci and nogui compile core/ identically).
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1

presets=("${@:-ci}")
[ $# -eq 0 ] && presets=(ci nogui asan)

for preset in "${presets[@]}"; do
    echo "== $preset: configure and build"
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset"
    if [ "$preset" = nogui ]; then
        # The proof: nothing in this build links a Qt GUI module.
        if grep -q 'Qt6::\(Gui\|Widgets\)\|libQt6\(Gui\|Widgets\)' build/nogui/build.ninja; then
            echo "test: the nogui build links Qt Gui or Widgets" >&2
            exit 1
        fi
        echo "== nogui: no Qt Gui or Widgets anywhere in the build"
    fi
    echo "== $preset: run tests"
    ctest --preset "$preset"
done
