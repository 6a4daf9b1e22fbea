// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "virtualclock.h"

#include <QMetaObject>

namespace VoiceSim {

VirtualClock::VirtualClock(qint64 startEpochMs, QObject *parent)
    : Clock(startEpochMs, parent)
{
}

void VirtualClock::advance(qint64 ms)
{
    const qint64 target = m_now + std::max<qint64>(0, ms);
    m_advancing = true;
    if (m_settle)
        m_settle();
    runDue(target, [this](qint64 deadline) { m_now = std::max(m_now, deadline); });
    m_now = target;
    m_advancing = false;
    Q_EMIT advanced(m_now);
}

void VirtualClock::runPending()
{
    m_postPending = false;
    runDue(m_now);
}

void VirtualClock::rearm()
{
    // Inside advance() the loop picks new timers up itself; otherwise a timer due now runs
    // from the event loop, never re-entrantly from the code that scheduled it.
    if (m_advancing || m_postPending)
        return;
    const qint64 deadline = nextDeadline();
    if (deadline < 0 || deadline > m_now)
        return;
    m_postPending = true;
    QMetaObject::invokeMethod(this, &VirtualClock::runPending, Qt::QueuedConnection);
}

} // namespace VoiceSim
