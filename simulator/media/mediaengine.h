// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "audiodecoder.h"
#include "audioendpoint.h"
#include "dtmfgenerator.h"

#include <clock/clock.h>
#include <engine/mediaport.h>

#include <QHash>
#include <QObject>
#include <QThreadPool>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <random>

namespace VoiceSim {

class DtmfDetector;
class MediaFetcher;
class WavRecorder;

// The media engine (issue #3): every call's audio as 20 ms frames of 8 kHz mono PCM, processed
// on the engine's clock, so virtual time runs a ten-minute call in milliseconds and real time
// can feed audio devices. Per frame: the caller's upstream (speech, key tones), then each
// room's mix, then the caller's downstream (playback or silence plus the room), recording,
// the "caller hears" history and in-band DTMF detection.
class MediaEngine final : public QObject, public MediaPort
{
    Q_OBJECT
public:
    static constexpr int kRate = 8000;
    static constexpr int kFrameMs = 20;
    static constexpr int kFrameSamples = kRate * kFrameMs / 1000;

    struct Options
    {
        qint64 fetchTimeoutMs = 10'000;          // C-PLAYBACK
        qint64 maxFetchBytes = 50LL * 1024 * 1024; // C-PLAYBACK
        int historySeconds = 300; // per call, for GET /sim/v1/calls/{uuid}/audio
        double keyLevelDbfs = -10.0; // each tone of a key press
        quint64 seed = 0;            // fault injection draws
    };
    struct Stats
    {
        quint64 frames = 0;      // engine frames processed
        quint64 callFrames = 0;  // frames processed per call, summed
        quint64 lateFrames = 0;  // frames that ran behind their time (real clock)
        quint64 skippedFrames = 0; // frames dropped to catch up after a stall
    };

    MediaEngine(Clock &clock, Options options, QObject *parent = nullptr);
    ~MediaEngine() override;

    // Waits (in a local event loop) until every fetch under way has finished: the virtual
    // clock's settle hook (C-CLOCK).
    void settle();
    const Stats &stats() const { return m_stats; }
    int callCount() const { return int(m_calls.size()); }

    // Attaches a live caller (microphone and speaker) to one call; nullptr detaches. An
    // endpoint is dropped with its call.
    void setEndpoint(const QString &sessionUuid, AudioEndpoint *endpoint);
    // Whether the caller said something above -40 dBFS in the last 300 ms (conference view).
    bool isTalking(const QString &sessionUuid) const;

    void setListener(MediaListener *listener) override { m_listener = listener; }
    void openCall(const QString &sessionUuid, DtmfMode mode) override;
    void closeCall(const QString &sessionUuid) override;
    void closeAll() override;
    void fetch(MediaRequest request, const QStringList &urls) override;
    void discard(MediaRequest request) override;
    void play(const QString &sessionUuid, MediaRequest request, qint64 offsetMs) override;
    void playSilence(const QString &sessionUuid) override;
    qint64 stopPlayback(const QString &sessionUuid) override;
    void setPaused(const QString &sessionUuid, bool paused) override;
    void seek(const QString &sessionUuid, qint64 positionMs) override;
    qint64 playbackPosition(const QString &sessionUuid) const override;
    bool startRecording(const QString &sessionUuid, const QString &path, QString *error) override;
    qint64 stopRecording(const QString &sessionUuid) override;
    void openRoom(const QString &roomId) override;
    void closeRoom(const QString &roomId) override;
    void joinRoom(const QString &sessionUuid, const QString &roomId, bool muted) override;
    void leaveRoom(const QString &sessionUuid) override;
    void setMuted(const QString &sessionUuid, bool muted) override;
    void playInRoom(const QString &roomId, MediaRequest request) override;
    void setRoomPaused(const QString &roomId, bool paused) override;
    void stopRoom(const QString &roomId) override;
    void setRoomVolume(const QString &roomId, int volumeDb) override;
    void pressKeys(const QString &sessionUuid, const QString &digits, int durationMs, int gapMs) override;
    void speak(const QString &sessionUuid, MediaRequest request) override;
    QByteArray heardAudio(const QString &sessionUuid, qint64 fromMs, qint64 toMs) const override;
    double fetchFailureRate() const override { return m_fetchFailureRate; }
    void setFetchFailureRate(double rate) override { m_fetchFailureRate = rate; }

Q_SIGNALS:
    void fetchesSettled();

private:
    struct Player
    {
        QList<qint16> samples;
        qint64 position = 0; // in samples
        MediaRequest request = 0;
        bool active = false;
        bool paused = false;
        bool silence = false;
        bool ended = false; // reached the end in the last frame; reported at the next
    };
    struct KeyPress
    {
        qint64 startSample = 0; // on the engine's sample axis
        QChar key;
        int durationMs = 0;
        QList<qint16> tone;
        bool down = false; // key-down reported
    };
    struct Call;
    struct Room;
    struct Fetch;

    Call *call(const QString &uuid) const;
    Room *room(const QString &roomId) const;
    QList<qint16> takeReady(MediaRequest request);
    void completeFetch(MediaRequest request);
    void finishDecode(MediaRequest request, const std::shared_ptr<Fetch> &fetch, const QList<AudioDecoder::Result> &decoded);
    void ensureTicking();
    void onTick();
    void processFrame();
    // Adds the player's next frame to mix; marks its end.
    static void render(Player &player, qint32 *mix, float gain);
    void notifyLater(std::function<void()> fn) { m_notifications.push_back(std::move(fn)); }

    Clock &m_clock;
    Options m_options;
    MediaListener *m_listener = nullptr;
    AudioDecoder m_decoder;
    DtmfGenerator m_keys;
    MediaFetcher *m_fetcher;
    std::mt19937_64 m_random;
    double m_fetchFailureRate = 0.0;

    std::map<QString, std::unique_ptr<Call>> m_calls; // ordered: frames and events repeat exactly
    static constexpr size_t kClosedCallsKept = 32;
    std::deque<std::pair<QString, std::unique_ptr<Call>>> m_closed; // for heardAudio after hangup
    std::map<QString, std::unique_ptr<Room>> m_rooms;
    QHash<MediaRequest, std::shared_ptr<Fetch>> m_fetching;
    QHash<MediaRequest, QList<qint16>> m_ready;

    QThreadPool m_pool; // decoding
    int m_decoding = 0;

    bool m_ticking = false;
    TimerId m_tickTimer = 0;
    qint64 m_nextFrameMs = 0;   // engine time of the next frame to process
    qint64 m_frameIndex = 0;    // frames processed since start; sample axis = index * 160
    std::vector<std::function<void()>> m_notifications;
    Stats m_stats;
};

} // namespace VoiceSim
