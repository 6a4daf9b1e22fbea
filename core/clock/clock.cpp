// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "clock.h"

namespace VoiceSim {

Clock::Clock(qint64 startEpochMs, QObject *parent)
    : QObject(parent)
    , m_startEpochMs(startEpochMs)
{
}

Clock::~Clock() = default;

TimerId Clock::callAfter(qint64 delayMs, QObject *context, std::function<void()> fn)
{
    const TimerId id = m_nextId++;
    const qint64 deadline = nowMs() + std::max<qint64>(0, delayMs);
    const bool earliest = m_timers.empty() || deadline < m_timers.begin()->first.first;
    m_timers.emplace(Key{deadline, id}, Entry{context, std::move(fn)});
    m_index.emplace(id, deadline);
    if (earliest)
        rearm();
    return id;
}

void Clock::cancel(TimerId id)
{
    const auto it = m_index.find(id);
    if (it == m_index.end())
        return;
    m_timers.erase(Key{it->second, id});
    m_index.erase(it);
}

qint64 Clock::nextDeadline() const
{
    return m_timers.empty() ? -1 : m_timers.begin()->first.first;
}

void Clock::runDue(qint64 upTo, const std::function<void(qint64)> &beforeEach)
{
    while (!m_timers.empty() && m_timers.begin()->first.first <= upTo) {
        auto node = m_timers.extract(m_timers.begin());
        m_index.erase(node.key().second);
        if (beforeEach)
            beforeEach(node.key().first);
        Entry &entry = node.mapped();
        if (entry.context)
            entry.fn();
    }
    rearm();
}

} // namespace VoiceSim
