// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>

namespace VoiceSim::Test {

// Starts the voicesim binary with args plus --port-file portFile and waits (on the event loop,
// so servers in the test keep answering) for its start-up banner; returns the port it listens
// on, 0 when it did not start within timeoutMs.
quint16 startVoicesim(QProcess &process, const QString &binary, const QStringList &args, const QString &portFile,
                      int timeoutMs = 15'000);

} // namespace VoiceSim::Test
