// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QEventLoop>
#include <QTimer>

namespace VoiceSim::Test {

// Runs loop until something quits it — a signal wait, never a poll or a sleep; false when
// timeoutMs of wall time passed first (a guard against a hung test, not a timing).
inline bool runUntilQuit(QEventLoop &loop, int timeoutMs = 5000)
{
    bool expired = false;
    QTimer guard;
    guard.setSingleShot(true);
    QObject::connect(&guard, &QTimer::timeout, &loop, [&expired, &loop] {
        expired = true;
        loop.quit();
    });
    guard.start(timeoutMs);
    loop.exec();
    return !expired;
}

} // namespace VoiceSim::Test
