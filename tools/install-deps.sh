#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The voicesim authors
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the Debian 12 packages voicesim needs, and only those that are missing.
# Usage: tools/install-deps.sh [build|node|bench|desktop]...   (default: build)
set -euo pipefail

build_packages=(cmake ninja-build g++ ccache pkg-config
                qt6-base-dev libsqlite3-dev libboost1.81-dev libjemalloc-dev
                libsndfile1-dev libsamplerate0-dev
                qt6-multimedia-dev libqt6svg6 qt6-qpa-plugins
                espeak-ng ca-certificates) # espeak-ng: speech for the DTMF talk-off tests; CAs for https media
bench_packages=(wrk nginx-light curl util-linux iproute2)
# The desktop's tests: virtual sound devices (a private PulseAudio), a real X server for the
# screenshots, fonts for both, and the desktop-file and AppStream validators.
desktop_packages=(pulseaudio pulseaudio-utils xvfb xauth fonts-dejavu-core desktop-file-utils appstream)
# The webhook tests check signatures and HAR exports with independent npm packages (issue #4).
# A Node.js that is already there (e.g. from NodeSource, which bundles npm) is used as it is.
node_packages=()
command -v node >/dev/null || node_packages+=(nodejs)
command -v npm >/dev/null || node_packages+=(npm)

wanted=()
for set in "${@:-build}"; do
    case "$set" in
        build) wanted+=("${build_packages[@]}") ;;
        node) wanted+=("${node_packages[@]}") ;;
        bench) wanted+=("${bench_packages[@]}") ;;
        desktop) wanted+=("${desktop_packages[@]}") ;;
        *) echo "install-deps: unknown package set '$set' (build, node, bench, desktop)" >&2; exit 2 ;;
    esac
done

missing=()
for package in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
