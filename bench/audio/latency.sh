#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The voicesim authors
# SPDX-License-Identifier: GPL-3.0-or-later
# Audio latency on virtual PulseAudio devices (issue #5: ≤ 100 ms from microphone to recording
# and from playback start to speaker). Runs the two measuring cases of tst_audiodevices N times
# against a private PulseAudio and prints median and maximum of each figure. Each figure is an
# upper bound: the speaker's includes the loopback capture, the microphone's the feeding stream.
# Usage: bench/audio/latency.sh [runs=20] [build dir=build/dev]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-20}
build=${2:-build/dev}
dir=$(mktemp -d)
trap 'tests/audio/pulse-fixture.sh stop "$dir"; rm -rf "$dir"' EXIT
tests/audio/pulse-fixture.sh start "$dir" >/dev/null
export VOICESIM_PULSE_DIR="$dir" PULSE_SERVER="unix:$dir/pulse.sock" HOME="$dir/home" XDG_RUNTIME_DIR="$dir/runtime"
export QT_QPA_PLATFORM=offscreen
for _ in $(seq "$runs"); do
    "$build/tests/tst_audiodevices" playbackReachesTheSpeaker microphoneLatencyToTheCall 2>&1 | grep -o 'latency: .*'
done | awk '
    function ms(   x) { match($0, /[0-9]+ ms/); return substr($0, RSTART, RLENGTH - 3) + 0 }
    /playback start/ { s[n1++] = ms() }
    /microphone/     { m[n2++] = ms() }
    function report(name, a, n,   i, j, t) {
        for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
        printf "%-34s runs %d  median %d ms  max %d ms\n", name, n, a[int((n - 1) / 2)], a[n - 1]
    }
    END { report("playback start -> speaker", s, n1); report("microphone -> call/recording", m, n2) }'
