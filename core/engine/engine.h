// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apiresult.h"
#include "channelport.h"
#include "cooldowns.h"
#include "engineconfig.h"
#include "session.h"

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
// validation, uid replay and cooldowns, and the orphan janitor. Single-threaded; every wait is
// a timer on the injected clock.
class Engine final : public QObject, private ChannelListener
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
           ChannelPort &channels, EngineConfig config = {}, QObject *parent = nullptr);
    ~Engine() override;

    const EngineConfig &config() const { return m_config; }
    Cooldowns &cooldowns() { return m_cooldowns; }
    ChannelPort &channels() { return m_channels; }

    // Control API: a call arrives from the simulated network (C-INBOUND).
    ApiResult createInboundCall(const InboundCall &call);
    ApiResult callerHangup(const QString &uuid, const QString &q850Cause);
    ApiResult dropChannel(const QString &uuid);
    // Ends every call and forgets every session, publishing nothing (POST /sim/v1/reset).
    void reset();

    const Session *session(const QString &uuid) const;
    QList<const Session *> sessions() const; // in creation order

    // Platform API, in the order of C-ORDER-CHECKS.
    static bool isKnownCommand(const QString &command);
    // 404 for a missing or ended session, 403 for another app's.
    std::optional<ApiResult> checkAccess(const QString &appId, const QString &uuid) const;
    ApiResult execute(const QString &appId, const QString &uuid, const QString &command,
                      const QJsonObject &body);

    // A Q.850 cause name as the hangup command takes it: ^[A-Z_]{1,64}$.
    static bool isValidCause(const QJsonValue &cause);
    // C-HANGUP: Q.850 cause name → sanitized hangup_cause.
    static QString hangupCauseFor(const QString &q850Cause);

private:
    struct Accepted
    {
        QString command;
        QString commandUid;
        QString operationId;
    };

    Session *liveSession(const QString &uuid);
    // The session a caller-side action applies to; else nullptr and the refusal (404, 409).
    Session *callerSide(const QString &uuid, ApiResult *refusal);
    void channelAnswered(const QString &sessionUuid, const QString &token) override;

    void publish(Session &session, const QString &type, const EventData &data);
    void publishResult(Session &session, const Accepted &op, bool success, const QString &error = {});
    void touch(Session &session);
    qint64 orphanDeadline(const Session &session) const;
    void armOrphanTimer(Session &session);
    void onOrphanTimer(const QString &uuid);
    void endSession(Session &session, const QString &q850Cause, const QString &hangupCause);
    void retire(const QString &uuid);

    RateGroup groupOf(const QString &command) const;
    std::optional<ApiResult> validate(const QString &command, const QJsonObject &body) const;
    void run(Session &session, const Accepted &op, const QJsonObject &body);
    void runAnswer(Session &session, const Accepted &op);
    void runDisconnect(Session &session, const Accepted &op);

    Clock &m_clock;
    IdGenerator &m_ids;
    AppRegistry &m_apps;
    EventStream &m_events;
    ChannelPort &m_channels;
    EngineConfig m_config;
    Cooldowns m_cooldowns;

    std::unordered_map<QString, std::unique_ptr<Session>> m_sessions;
    quint64 m_nextSerial = 1;
    std::deque<QString> m_endedOrder;
};

} // namespace VoiceSim
