// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

namespace VoiceSim {

// A POST as a curl command line that sends the same bytes again (POSIX shell quoting):
// headerLines are "Name: value" lines as the delivery log keeps them.
QString curlCommand(const QString &url, const QByteArray &headerLines, const QByteArray &body);

} // namespace VoiceSim
