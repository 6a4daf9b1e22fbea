// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "simulatedchannels.h"

namespace VoiceSim {

SimulatedChannels::SimulatedChannels(Clock &clock, qint64 autoAnswerDelayMs, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_autoAnswerDelayMs(autoAnswerDelayMs)
{
}

SimulatedChannels::~SimulatedChannels()
{
    closeAll();
}

void SimulatedChannels::open(const QString &sessionUuid, bool autoAnswer)
{
    m_channels.insert(sessionUuid, Channel{});
    if (autoAnswer)
        confirmLater(sessionUuid, m_autoAnswerDelayMs, QString());
}

void SimulatedChannels::answer(const QString &sessionUuid, const QString &token)
{
    confirmLater(sessionUuid, m_answerLatencyMs, token);
}

void SimulatedChannels::confirmLater(const QString &sessionUuid, qint64 delayMs, const QString &token)
{
    auto it = m_channels.find(sessionUuid);
    if (it == m_channels.end() || !it->up)
        return; // nobody is there to answer
    auto timer = std::make_shared<TimerId>(0);
    *timer = m_clock.callAfter(delayMs, this, [this, sessionUuid, token, timer] {
        auto channel = m_channels.find(sessionUuid);
        if (channel == m_channels.end())
            return;
        channel->timers.remove(*timer);
        if (channel->up && m_listener)
            m_listener->channelAnswered(sessionUuid, token);
    });
    it->timers.insert(*timer);
}

void SimulatedChannels::drop(const QString &sessionUuid)
{
    auto it = m_channels.find(sessionUuid);
    if (it == m_channels.end())
        return;
    it->up = false;
    for (TimerId timer : std::as_const(it->timers))
        m_clock.cancel(timer);
    it->timers.clear();
}

void SimulatedChannels::close(const QString &sessionUuid)
{
    drop(sessionUuid);
    m_channels.remove(sessionUuid);
}

void SimulatedChannels::closeAll()
{
    for (auto it = m_channels.begin(); it != m_channels.end(); ++it) {
        for (TimerId timer : std::as_const(it->timers))
            m_clock.cancel(timer);
    }
    m_channels.clear();
}

} // namespace VoiceSim
