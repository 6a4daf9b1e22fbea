// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace VoiceSim {

// Why one URL of a fetch could not be played (C-PLAYBACK's playback.file_not_found).
struct MediaFailure
{
    QString url;
    QString reason;
};

using MediaRequest = quint64;

// What the engine hears back from the media side.
class MediaListener
{
public:
    virtual ~MediaListener() = default;
    // Every URL of a fetch is fetched and decoded (failures empty, durationMs the total length),
    // or at least one failed (failures lists each failing URL in request order).
    virtual void mediaReady(MediaRequest request, qint64 durationMs, const QList<MediaFailure> &failures) = 0;
    // A call's playback reached its natural end.
    virtual void playbackFinished(const QString &sessionUuid, MediaRequest request, qint64 positionMs) = 0;
    // A room's playback reached its natural end.
    virtual void roomPlaybackFinished(const QString &roomId, MediaRequest request) = 0;
    // The platform side received a key press from the caller: out of band, or detected in the
    // caller's audio (C-DTMF modes); durationMs is how long the key was held.
    virtual void dtmfReceived(const QString &sessionUuid, QChar digit, int durationMs) = 0;
    // A key went down (reported before its dtmfReceived, which waits for the press to end):
    // what barge-in reacts to. In-band, once the tone has been heard for about 20 ms.
    virtual void dtmfStarted(const QString &sessionUuid) = 0;
};

// The engine's seam to media (issue #3): per call, what the caller hears (playback, silence,
// the conference mix) and says (speech, key tones), recording, rooms, and the caller's own
// actions. The simulator's MediaEngine implements it on real PCM; core's unit tests use a fake.
// Every method is a no-op for an unknown call or room.
class MediaPort
{
public:
    virtual ~MediaPort() = default;
    virtual void setListener(MediaListener *listener) = 0;

    virtual void openCall(const QString &sessionUuid, DtmfMode mode) = 0;
    virtual void closeCall(const QString &sessionUuid) = 0;
    virtual void closeAll() = 0;

    // Fetches and decodes urls (http, https, or file for the caller's own audio); mediaReady
    // follows, never from inside this call. Fetched media is kept until discarded (or, once
    // played on a call, until the call closes), so it can be played again.
    virtual void fetch(MediaRequest request, const QStringList &urls) = 0;
    // Cancels a fetch under way (no mediaReady follows) or drops media that will not be played.
    virtual void discard(MediaRequest request) = 0;

    // The call's downstream player: plays a ready request from offsetMs, replacing whatever
    // played; playbackFinished follows at its end. speak() takes the media; play() does not.
    virtual void play(const QString &sessionUuid, MediaRequest request, qint64 offsetMs) = 0;
    virtual void playSilence(const QString &sessionUuid) = 0;
    // Stops the player; the position reached, in ms.
    virtual qint64 stopPlayback(const QString &sessionUuid) = 0;
    virtual void setPaused(const QString &sessionUuid, bool paused) = 0;
    // A position past the end finishes the playback at the next frame.
    virtual void seek(const QString &sessionUuid, qint64 positionMs) = 0;
    virtual qint64 playbackPosition(const QString &sessionUuid) const = 0;

    // Records what the caller says mixed with what it hears (C-RECORD) into a WAV file.
    virtual bool startRecording(const QString &sessionUuid, const QString &path, QString *error) = 0;
    // Ends the recording; its length in ms.
    virtual qint64 stopRecording(const QString &sessionUuid) = 0;

    virtual void openRoom(const QString &roomId) = 0;
    virtual void closeRoom(const QString &roomId) = 0;
    // A member hears the room playback and every unmuted member but itself (C-CONF).
    virtual void joinRoom(const QString &sessionUuid, const QString &roomId, bool muted) = 0;
    virtual void leaveRoom(const QString &sessionUuid) = 0;
    virtual void setMuted(const QString &sessionUuid, bool muted) = 0;
    virtual void playInRoom(const QString &roomId, MediaRequest request) = 0;
    virtual void setRoomPaused(const QString &roomId, bool paused) = 0;
    virtual void stopRoom(const QString &roomId) = 0;
    virtual void setRoomVolume(const QString &roomId, int volumeDb) = 0;

    // The caller's side: key presses one after another ('w' = a 500 ms pause), queued after
    // presses still under way; audio the caller plays into the call (a ready request).
    virtual void pressKeys(const QString &sessionUuid, const QString &digits, int durationMs, int gapMs) = 0;
    virtual void speak(const QString &sessionUuid, MediaRequest request) = 0;
    // What the caller heard between two times relative to the call's start, as a WAV file
    // (8 kHz mono 16-bit); toMs < 0 means up to now.
    virtual QByteArray heardAudio(const QString &sessionUuid, qint64 fromMs, qint64 toMs) const = 0;

    // Fault injection (control API): the share of fetches that fail on purpose.
    virtual double fetchFailureRate() const = 0;
    virtual void setFetchFailureRate(double rate) = 0;
};

} // namespace VoiceSim
