// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "operation.h"
#include "../clock/clock.h"

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>

#include <deque>

namespace VoiceSim {

enum class CallState { Ringing, Answered, Ended };
enum class DtmfMode { Rfc4733, Inband };

QString callStateName(CallState state);
QString dtmfModeName(DtmfMode mode);
bool parseDtmfMode(const QString &name, DtmfMode *mode);

// The platform's view of a call's player (C-PLAYBACK, C-TRANSPORT, C-SILENCE).
struct PlaybackState
{
    enum class Phase { Idle, Fetching, Playing, Silence };
    Phase phase = Phase::Idle;
    bool paused = false;
    quint64 request = 0; // the media request being fetched or played
    Operation op;        // the playback/start that started it
    QStringList urls;
    qint64 offsetMs = 0;
    qint64 durationMs = 0;
    TimerId resultTimer = 0; // the deferred command.result's timeout
    bool resultSent = false;
};

// A play_and_get_digits under way (C-DIGITS).
struct DigitCollection
{
    enum class Phase { Idle, Fetching, Prompting, Waiting };
    Phase phase = Phase::Idle;
    Operation op;
    quint64 request = 0;
    QStringList urls;
    int minDigits = 1;
    int maxDigits = 128;
    qint64 timeoutMs = 5000;
    qint64 interDigitTimeoutMs = 3000;
    QString terminators;
    int maxTries = 1;
    int tryNumber = 0;
    QString digits;
    TimerId timer = 0;
    TimerId resultTimer = 0;
    bool resultSent = false;
};

// A recording under way (C-RECORD).
struct RecordingState
{
    bool active = false;
    QString id;
    QString commandUid; // of record/start: recording.completed carries it
    QString path;
};

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

    PlaybackState playback;
    DigitCollection collect;
    RecordingState recording;
    QString speakError; // why the caller's last speak could not be played, if it could not
    QString roomId; // empty when in no conference
    bool muted = true;
    qint64 joinedMs = -1;

    // C-ORPHAN: a caller listening, recording, collecting or in a room is not idle.
    bool hasMediaActivity() const
    {
        return playback.phase != PlaybackState::Phase::Idle || collect.phase != DigitCollection::Phase::Idle
            || recording.active || !roomId.isEmpty();
    }
};

} // namespace VoiceSim
