#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The voicesim authors
# SPDX-License-Identifier: GPL-3.0-or-later
# A private PulseAudio with virtual devices for the audio device tests (CTest fixture).
#   pulse-fixture.sh start DIR   starts it; PULSE_SERVER=unix:DIR/pulse.sock reaches it
#   pulse-fixture.sh stop DIR    stops it
# Devices: sink vs_speaker (voicesim's output) with source vs_speaker_loop (its loopback, which
# the tests record), and sink vs_micfeed (the tests play into it) with source vs_mic
# (voicesim's microphone). Qt lists no *.monitor sources, hence the remapped ones.
# Without pulseaudio installed it starts nothing and says so; the tests then skip, unless
# VOICESIM_REQUIRE_AUDIO=1 (tools/test.sh) makes them fail.
set -euo pipefail
action=$1
dir=$(realpath -m "$2")
export HOME="$dir/home" XDG_RUNTIME_DIR="$dir/runtime" PULSE_RUNTIME_PATH="$dir/runtime/pulse"
socket="$dir/pulse.sock"

stop() {
    for pidfile in "$dir"/*.pid; do
        [ -e "$pidfile" ] || continue
        kill "$(cat "$pidfile")" 2>/dev/null || true
        rm -f "$pidfile"
    done
    rm -f "$socket"
}

case "$action" in
start)
    stop
    mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
    rm -f "$dir/unavailable"
    if ! command -v pulseaudio >/dev/null || ! command -v pacat >/dev/null; then
        echo "pulse-fixture: pulseaudio and pulseaudio-utils are not installed" | tee "$dir/unavailable"
        exit 0
    fi
    pulseaudio -n --daemonize=no --exit-idle-time=-1 --disallow-exit --use-pid-file=no \
        --log-target=file:"$dir/pulse.log" \
        -L "module-native-protocol-unix socket=$socket auth-anonymous=1" \
        -L "module-null-sink sink_name=vs_speaker rate=48000 sink_properties=device.description=voicesim-speaker" \
        -L "module-null-sink sink_name=vs_micfeed rate=48000 sink_properties=device.description=voicesim-mic-feed" \
        -L "module-remap-source source_name=vs_speaker_loop master=vs_speaker.monitor source_properties=device.description=voicesim-speaker-loopback" \
        -L "module-remap-source source_name=vs_mic master=vs_micfeed.monitor source_properties=device.description=voicesim-mic" \
        >/dev/null 2>&1 &
    echo $! >"$dir/pulseaudio.pid"
    export PULSE_SERVER="unix:$socket"
    for _ in $(seq 100); do
        pactl info >/dev/null 2>&1 && break
        sleep 0.1
    done
    if ! pactl info >/dev/null 2>&1; then
        echo "pulse-fixture: pulseaudio did not start; its log:" >&2
        cat "$dir/pulse.log" >&2 || true
        exit 1
    fi
    # An idle null sink stalls a new stream for up to ~2 s: keep both running with silence.
    for sink in vs_speaker vs_micfeed; do
        pacat --playback --raw --latency-msec=20 --device="$sink" /dev/zero >/dev/null 2>&1 &
        echo $! >"$dir/keepalive-$sink.pid"
    done
    echo "pulse-fixture: PULSE_SERVER=unix:$socket"
    ;;
stop)
    stop
    ;;
*)
    echo "usage: pulse-fixture.sh start|stop DIR" >&2
    exit 2
    ;;
esac
