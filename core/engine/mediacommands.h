// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engineconfig.h"
#include "sessionhost.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>

namespace VoiceSim {

class Clock;
class IdGenerator;

// The playback family, play_and_get_digits and recording (C-PLAYBACK, C-TRANSPORT, C-SILENCE,
// C-DIGITS, C-RECORD): the platform's state per session and the events it publishes, on top of
// the media port. Commands arrive validated, accepted and on an answered call.
class MediaCommands
{
public:
    MediaCommands(SessionHost &host, Clock &clock, MediaPort &media, IdGenerator &ids,
                  const EngineConfig &config, QObject *context);

    static bool handles(const QString &command);
    void run(Session &session, const Operation &op, const QJsonObject &body);

    // Media events; false when the request is not one of ours.
    bool mediaReady(MediaRequest request, qint64 durationMs, const QList<MediaFailure> &failures);
    void playbackFinished(Session &session, MediaRequest request, qint64 positionMs);
    void digitReceived(Session &session, QChar digit);
    void keyDown(Session &session); // barge-in
    // The call is ending: stop playback, fail a collection and complete a recording, publishing
    // their events before call.hangup.
    void endSession(Session &session);
    void cancelAll(Session &session); // reset: stop everything, publish nothing

    QString recordingUrl(const QString &id) const;

private:
    void startPlayback(Session &session, const Operation &op, const QJsonObject &body);
    void stopPlayback(Session &session, const Operation &op);
    void transport(Session &session, const Operation &op, const QJsonObject &body);
    void startSilence(Session &session, const Operation &op);
    // Ends what the player does now: playback.stopped with reason for a playback, a failed
    // result for a fetch that never played, nothing for silence.
    void endPlayer(Session &session, const QString &reason);
    void publishStopped(Session &session, qint64 positionMs, const QString &reason);
    void settleResult(Session &session, PlaybackState &state, bool success, const QString &error = {});

    void startCollect(Session &session, const Operation &op, const QJsonObject &body);
    void startTry(Session &session);
    void promptEnded(Session &session);
    void armCollectTimer(Session &session, qint64 ms);
    void onCollectTimer(const QString &uuid);
    void failedTry(Session &session, const QString &status, const QString &terminator);
    // Ends the collection with digits.collected; one whose prompt was still being fetched never
    // collected, so it only gets its failed result, with unfetchedError.
    void finishCollect(Session &session, const QString &status, const QString &terminator,
                       const QString &unfetchedError = {});

    void startRecording(Session &session, const Operation &op);
    void stopRecording(Session &session, const Operation *op);

    SessionHost &m_host;
    Clock &m_clock;
    MediaPort &m_media;
    IdGenerator &m_ids;
    const EngineConfig &m_config;
    QObject *m_context;
    QHash<MediaRequest, QString> m_requests; // fetch → session
};

} // namespace VoiceSim
