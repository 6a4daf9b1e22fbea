// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace VoiceSim {

// What the engine hears back from the simulated telephone network.
class ChannelListener
{
public:
    virtual ~ChannelListener() = default;
    // The channel is answered. token is the answer request's token, or empty for the
    // network's own automatic answer.
    virtual void channelAnswered(const QString &sessionUuid, const QString &token) = 0;
};

// The engine's seam to the caller's side of a call (the channel). The simulator implements it;
// core's unit tests use a fake.
class ChannelPort
{
public:
    virtual ~ChannelPort() = default;
    virtual void setListener(ChannelListener *listener) = 0;
    // A new inbound channel; with autoAnswer the network answers it on its own shortly after.
    virtual void open(const QString &sessionUuid, bool autoAnswer) = 0;
    // Ask the channel to answer; channelAnswered(token) follows once it is confirmed. A dropped
    // channel never confirms.
    virtual void answer(const QString &sessionUuid, const QString &token) = 0;
    // The channel vanished without a hangup (C-ORPHAN).
    virtual void drop(const QString &sessionUuid) = 0;
    // The call is over; forget the channel.
    virtual void close(const QString &sessionUuid) = 0;
    virtual void closeAll() = 0;

    // Fault injection (control API): how long the media side takes to confirm an answer.
    virtual qint64 answerLatencyMs() const = 0;
    virtual void setAnswerLatencyMs(qint64 ms) = 0;
};

} // namespace VoiceSim
