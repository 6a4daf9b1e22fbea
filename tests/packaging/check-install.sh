#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The voicesim authors
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the build into a scratch prefix and checks the desktop integration there: the
# binary, the launcher entry, the AppStream metainfo and the icon, with the freedesktop
# validators (desktop-file-utils, appstream; tools/install-deps.sh desktop).
set -euo pipefail
build=$1
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
id=org.voicesim.voicesim
for file in bin/voicesim share/applications/$id.desktop share/metainfo/$id.metainfo.xml \
            share/icons/hicolor/scalable/apps/$id.svg; do
    [ -f "$prefix/$file" ] || { echo "check-install: $file is not installed" >&2; exit 1; }
done
grep -q "^Icon=$id\$" "$prefix/share/applications/$id.desktop" || { echo "check-install: the entry names another icon" >&2; exit 1; }
grep -q "<launchable type=\"desktop-id\">$id.desktop</launchable>" "$prefix/share/metainfo/$id.metainfo.xml" \
    || { echo "check-install: the metainfo launches another entry" >&2; exit 1; }
grep -q "<svg" "$prefix/share/icons/hicolor/scalable/apps/$id.svg" || { echo "check-install: the icon is not SVG" >&2; exit 1; }
desktop-file-validate "$prefix/share/applications/$id.desktop"
appstreamcli validate --no-net --pedantic "$prefix/share/metainfo/$id.metainfo.xml"
echo "check-install: binary, entry, metainfo and icon installed and valid"
