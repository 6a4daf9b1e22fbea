// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "clock.h"

#include <functional>

namespace VoiceSim {

// A clock that moves only when told to (C-CLOCK). Timers due "now" still run at once, from the
// event loop, so work that needs no waiting behaves as in real mode.
class VirtualClock final : public Clock
{
    Q_OBJECT
public:
    explicit VirtualClock(qint64 startEpochMs, QObject *parent = nullptr);

    Mode mode() const override { return Mode::Virtual; }
    qint64 nowMs() const override { return m_now; }

    // Runs every timer due within the next ms milliseconds, in order, then sets the time to
    // now + ms. Before each step of time the settle hook runs, so work under way finishes first.
    void advance(qint64 ms);
    // Runs the timers that are already due without moving time.
    void runPending();
    // Hook run before every step of virtual time (media fetches, webhook attempts).
    void setSettleHook(std::function<void()> hook) { m_settle = std::move(hook); }

Q_SIGNALS:
    void advanced(qint64 nowMs);

protected:
    void rearm() override;

private:
    qint64 m_now = 0;
    bool m_postPending = false;
    bool m_advancing = false;
    std::function<void()> m_settle;
};

} // namespace VoiceSim
