#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The voicesim authors
# SPDX-License-Identifier: GPL-3.0-or-later
# Renews the README's screenshots (docs/images): the window during a live call in a
# conference, drawn by a real X server (Xvfb) from the GUI suite's scripted scenario.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh build desktop
cmake --preset dev >/dev/null
cmake --build build/dev --target tst_mainwindow
mkdir -p docs/images
xvfb-run -a -s "-screen 0 1920x1200x24" \
    env QT_QPA_PLATFORM=xcb VOICESIM_SCREENSHOT_DIR="$PWD/docs/images" \
    build/dev/tests/tst_mainwindow screenshotOfALiveCallWithAConference
ls -l docs/images
