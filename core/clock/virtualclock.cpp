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
    for (;;) {
        // Everything due now, then the work under way (fetches, webhook attempts) settles, which
        // may make more due now; only then does time move to the next deadline (C-CLOCK).
        do {
            runDue(m_now);
            if (m_settle)
                m_settle();
        } while (nextDeadline() >= 0 && nextDeadline() <= m_now);
        const qint64 next = nextDeadline();
        if (next < 0 || next > target)
            break;
        m_now = next;
    }
    m_now = target;
    m_advancing = false;
    rearm();
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
