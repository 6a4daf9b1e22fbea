// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ratelimiter.h"

#include "../clock/clock.h"

namespace VoiceSim {

RateLimiter::RateLimiter(Clock &clock, qint64 windowMs)
    : m_clock(clock)
    , m_windowMs(windowMs)
{
}

qint64 RateLimiter::hit(const QString &scope, const QHostAddress &peer, int limit)
{
    const qint64 now = m_clock.nowMs();
    const qint64 window = now / m_windowMs;
    if (window != m_window) {
        m_window = window;
        m_counts.clear();
    }
    int &count = m_counts[std::make_pair(scope, peer)];
    ++count;
    if (count <= limit)
        return 0;
    return (window + 1) * m_windowMs - now;
}

} // namespace VoiceSim
