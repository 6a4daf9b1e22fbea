// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <engine/channelport.h>
#include <clock/clock.h>

#include <QHash>
#include <QObject>
#include <QSet>

namespace VoiceSim {

// The caller's side of every call: answers after the configured media latency, answers on its
// own when the network auto-answers, and goes silent when a channel is dropped.
class SimulatedChannels final : public QObject, public ChannelPort
{
    Q_OBJECT
public:
    explicit SimulatedChannels(Clock &clock, qint64 autoAnswerDelayMs = 20, QObject *parent = nullptr);
    ~SimulatedChannels() override;

    void setListener(ChannelListener *listener) override { m_listener = listener; }
    void open(const QString &sessionUuid, bool autoAnswer) override;
    void answer(const QString &sessionUuid, const QString &token) override;
    void drop(const QString &sessionUuid) override;
    void close(const QString &sessionUuid) override;
    void closeAll() override;
    qint64 answerLatencyMs() const override { return m_answerLatencyMs; }
    void setAnswerLatencyMs(qint64 ms) override { m_answerLatencyMs = ms; }

    int channelCount() const { return int(m_channels.size()); }

private:
    struct Channel
    {
        bool up = true;
        QSet<TimerId> timers;
    };
    void confirmLater(const QString &sessionUuid, qint64 delayMs, const QString &token);

    Clock &m_clock;
    ChannelListener *m_listener = nullptr;
    qint64 m_answerLatencyMs = 20;
    qint64 m_autoAnswerDelayMs;
    QHash<QString, Channel> m_channels;
};

} // namespace VoiceSim
