// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QPointer>

#include <functional>
#include <map>
#include <unordered_map>

namespace VoiceSim {

using TimerId = quint64;

// The one time source of the engine (C-CLOCK): every wait goes through a Clock, so a virtual
// clock can run a 120 s timeout in microseconds.
class Clock : public QObject
{
    Q_OBJECT
public:
    enum class Mode { Real, Virtual };

    ~Clock() override;

    virtual Mode mode() const = 0;
    // Milliseconds since the clock started; monotonic.
    virtual qint64 nowMs() const = 0;
    // Wall time for payloads and logs: the start epoch plus nowMs().
    qint64 epochMs() const { return m_startEpochMs + nowMs(); }
    qint64 startEpochMs() const { return m_startEpochMs; }

    // Runs fn once, delayMs from now, unless cancelled or context is destroyed first.
    // Timers due at the same moment run in the order they were scheduled.
    TimerId callAfter(qint64 delayMs, QObject *context, std::function<void()> fn);
    void cancel(TimerId id);
    bool isPending(TimerId id) const { return m_index.contains(id); }
    int pendingCount() const { return int(m_timers.size()); }

protected:
    explicit Clock(qint64 startEpochMs, QObject *parent = nullptr);

    // The earliest pending deadline, or -1 when nothing is scheduled.
    qint64 nextDeadline() const;
    // Runs every timer due at or before upTo, in deadline order, including timers that those
    // callbacks schedule within the bound. beforeEach receives each timer's deadline first.
    void runDue(qint64 upTo, const std::function<void(qint64)> &beforeEach = {});
    // Called whenever the earliest deadline may have changed.
    virtual void rearm() = 0;

private:
    struct Entry
    {
        QPointer<QObject> context;
        std::function<void()> fn;
    };
    using Key = std::pair<qint64, TimerId>;

    qint64 m_startEpochMs;
    TimerId m_nextId = 1;
    std::map<Key, Entry> m_timers;
    std::unordered_map<TimerId, qint64> m_index;
};

} // namespace VoiceSim
