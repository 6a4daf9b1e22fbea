// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "../clock/clock.h"

#include <QByteArray>
#include <QHash>
#include <QString>

#include <deque>

namespace VoiceSim {

enum class CallState { Ringing, Answered, Ended };
enum class DtmfMode { Rfc4733, Inband };

QString callStateName(CallState state);
QString dtmfModeName(DtmfMode mode);
bool parseDtmfMode(const QString &name, DtmfMode *mode);

// One call session as the engine keeps it.
struct Session
{
    struct RememberedCommand
    {
        QString command;
        QByteArray reply; // the serialized 202 body, replayed as it was
    };
    struct PendingAnswer
    {
        QString operationId;
        QString commandUid;
        TimerId timeout = 0;
        bool timedOut = false;
    };

    QString uuid;
    quint64 serial = 0; // creation order
    QString appId;
    QString callerId;
    QString did;
    DtmfMode dtmfMode = DtmfMode::Rfc4733;
    CallState state = CallState::Ringing;
    bool channelUp = true;
    qint64 createdMs = 0;  // engine clock
    qint64 answeredMs = -1;
    qint64 endedMs = -1;
    qint64 droppedMs = -1;
    qint64 lastActivityMs = 0;
    QString hangupCause;
    QString q850Cause;

    // C-UID: client-supplied uids for the session's lifetime (bounded, oldest forgotten first).
    QHash<QString, RememberedCommand> uids;
    std::deque<QString> uidOrder;
    QHash<QString, PendingAnswer> pendingAnswers; // by operation id
    TimerId orphanTimer = 0;
    TimerId disconnectTimer = 0;
};

} // namespace VoiceSim
