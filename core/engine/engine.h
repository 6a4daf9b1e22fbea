// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apiresult.h"
#include "channelport.h"
#include "conferences.h"
#include "cooldowns.h"
#include "engineconfig.h"
#include "mediacommands.h"
#include "mediaport.h"
#include "session.h"
#include "sessionhost.h"

#include "../events/eventdata.h"

#include <QObject>

#include <deque>
#include <memory>
#include <unordered_map>

namespace VoiceSim {

class AppRegistry;
class EventStream;
class IdGenerator;

// The platform's call engine: sessions and their lifecycle, session commands with their
// validation, uid replay and cooldowns, and the orphan janitor; media commands and conferences
// are delegated to MediaCommands and Conferences. Single-threaded; every wait is a timer on the
// injected clock.
class Engine final : public QObject, private ChannelListener, private MediaListener, private SessionHost
{
    Q_OBJECT
public:
    struct InboundCall
    {
        QString callerId;
        QString did;
        bool autoAnswer = false;
        DtmfMode dtmfMode = DtmfMode::Rfc4733;
    };

    Engine(Clock &clock, IdGenerator &ids, AppRegistry &apps, EventStream &events,
           ChannelPort &channels, MediaPort &media, EngineConfig config = {}, QObject *parent = nullptr);
    ~Engine() override;

    const EngineConfig &config() const { return m_config; }
    Cooldowns &cooldowns() { return m_cooldowns; }
    ChannelPort &channels() { return m_channels; }
    MediaPort &media() { return m_media; }
    Conferences &conferences() { return m_conferences; }
    // The server's own address, for recording_url (known once it listens).
    void setPublicBaseUrl(const QString &url) { m_config.publicBaseUrl = url; }

    // Control API: a call arrives from the simulated network (C-INBOUND).
    ApiResult createInboundCall(const InboundCall &call);
    ApiResult callerHangup(const QString &uuid, const QString &q850Cause);
    ApiResult dropChannel(const QString &uuid);
    // The caller presses keys (digits validated) or plays audio into the call (a URL: http,
    // https or file).
    ApiResult pressKeys(const QString &uuid, const QString &digits, int durationMs, int gapMs);
    ApiResult speak(const QString &uuid, const QString &url);
    // What the caller heard, as WAV (times relative to call.new; toMs < 0: up to now).
    std::optional<QByteArray> heardAudio(const QString &uuid, qint64 fromMs, qint64 toMs) const;
    // Ends every call and forgets every session, publishing nothing (POST /sim/v1/reset).
    void reset();

    const Session *session(const QString &uuid) const;
    QList<const Session *> sessions() const; // in creation order

    // Platform API, in the order of C-ORDER-CHECKS.
    // 404 for a missing or ended session, 403 for another app's.
    std::optional<ApiResult> checkAccess(const QString &appId, const QString &uuid) const;
    ApiResult execute(const QString &appId, const QString &uuid, const QString &command,
                      const QJsonObject &body);

    // C-HANGUP: Q.850 cause name → sanitized hangup_cause.
    static QString hangupCauseFor(const QString &q850Cause);

private:
    using Accepted = Operation;

    // SessionHost
    Session *liveSession(const QString &uuid) override;
    void publish(Session &session, const QString &type, const EventData &data) override;
    void publishResult(Session &session, const Operation &op, bool success, const QString &error = {}) override;
    MediaRequest newMediaRequest() override { return m_nextRequest++; }
    // MediaListener
    void mediaReady(MediaRequest request, qint64 durationMs, const QList<MediaFailure> &failures) override;
    void playbackFinished(const QString &sessionUuid, MediaRequest request, qint64 positionMs) override;
    void roomPlaybackFinished(const QString &roomId, MediaRequest request) override;
    void dtmfReceived(const QString &sessionUuid, QChar digit, int durationMs) override;
    void dtmfStarted(const QString &sessionUuid) override;

    // The session a caller-side action applies to; else nullptr and the refusal (404, 409).
    Session *callerSide(const QString &uuid, ApiResult *refusal);
    // callerSide(), and the call answered with its channel up: what media actions need (409).
    Session *callerInCall(const QString &uuid, ApiResult *refusal);
    void channelAnswered(const QString &sessionUuid, const QString &token) override;

    void touch(Session &session);
    qint64 orphanDeadline(const Session &session) const;
    void armOrphanTimer(Session &session);
    void onOrphanTimer(const QString &uuid);
    void endSession(Session &session, const QString &q850Cause, const QString &hangupCause);
    void retire(const QString &uuid);

    void run(Session &session, const Accepted &op, const QJsonObject &body);
    void runAnswer(Session &session, const Accepted &op);
    void runDisconnect(Session &session, const Accepted &op);

    Clock &m_clock;
    IdGenerator &m_ids;
    AppRegistry &m_apps;
    EventStream &m_events;
    ChannelPort &m_channels;
    MediaPort &m_media;
    EngineConfig m_config;
    Cooldowns m_cooldowns;
    MediaCommands m_mediaCommands;
    Conferences m_conferences;
    MediaRequest m_nextRequest = 1;
    QHash<MediaRequest, QString> m_speech; // speak fetches → session

    std::unordered_map<QString, std::unique_ptr<Session>> m_sessions;
    quint64 m_nextSerial = 1;
    std::deque<QString> m_endedOrder;
};

} // namespace VoiceSim
