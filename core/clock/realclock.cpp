// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "realclock.h"

#include <QDateTime>

#include <cmath>

namespace VoiceSim {

RealClock::RealClock(double timeScale, QObject *parent)
    : Clock(QDateTime::currentMSecsSinceEpoch(), parent)
    , m_scale(timeScale > 0 ? timeScale : 1.0)
{
    m_elapsed.start();
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        m_armedFor = -1;
        runDue(nowMs());
    });
}

qint64 RealClock::nowMs() const
{
    const qint64 elapsed = m_elapsed.elapsed();
    return m_scale == 1.0 ? elapsed : qint64(std::floor(double(elapsed) * m_scale));
}

void RealClock::rearm()
{
    const qint64 deadline = nextDeadline();
    if (deadline < 0) {
        m_timer.stop();
        m_armedFor = -1;
        return;
    }
    // Restarting a QTimer costs a timer (un)registration; when it already fires in time, the
    // next runDue() picks the new deadline up.
    if (m_armedFor >= 0 && m_armedFor <= deadline && m_timer.isActive())
        return;
    m_armedFor = deadline;
    const qint64 waitMs = std::max<qint64>(0, deadline - nowMs());
    // Round up so a timer never fires before its deadline on the scaled axis.
    m_timer.start(int(std::min<double>(std::ceil(double(waitMs) / m_scale), 24.0 * 3600 * 1000)));
}

} // namespace VoiceSim
