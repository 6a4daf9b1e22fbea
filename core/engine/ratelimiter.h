// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QHostAddress>
#include <QString>

#include <utility>

namespace VoiceSim {

class Clock;

// Fixed-window request counter keyed by (app, client IP) on the engine clock (C-GLOBAL-RL).
class RateLimiter
{
public:
    explicit RateLimiter(Clock &clock, qint64 windowMs = 1000);

    // Counts one request of scope (an app id) from peer; returns 0 when it is within limit,
    // else the ms until the window ends.
    qint64 hit(const QString &scope, const QHostAddress &peer, int limit);
    void clear() { m_counts.clear(); }

private:
    Clock &m_clock;
    qint64 m_windowMs;
    qint64 m_window = -1;
    QHash<std::pair<QString, QHostAddress>, int> m_counts; // only the current window: bounded
};

} // namespace VoiceSim
