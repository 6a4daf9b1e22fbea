// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "../api/adminapi.h"
#include "../api/controlapi.h"
#include "../api/platformapi.h"
#include "../api/webhooksapi.h"
#include "../config/settings.h"
#include "../engine/appregistry.h"
#include "../engine/engine.h"
#include "../engine/idgenerator.h"
#include "../engine/ratelimiter.h"
#include "../events/eventstream.h"
#include "../http/httpserver.h"
#include "../http/requestlog.h"
#include "../http/router.h"
#include "../webhooks/deliveryjournal.h"
#include "../webhooks/webhookclient.h"
#include "../webhooks/webhookdispatcher.h"

#include <QObject>
#include <QTemporaryDir>

#include <memory>

namespace VoiceSim {

// The composition root of the engine: wires clock, ids, apps, events, engine, APIs and the
// HTTP server from one Settings value. The app and the tests build voicesim through it.
class VoiceSimService final : public QObject
{
    Q_OBJECT
public:
    VoiceSimService(const Settings &settings, Clock &engineClock, Clock &transportClock,
                    ChannelPort &channels, MediaPort &media, QObject *parent = nullptr);

    // Starts listening; on failure returns false and sets errorString().
    bool start();
    QString errorString() const { return m_error; }

    quint16 port() const { return m_server.port(); }
    QString baseUrl() const;
    const QString &adminKey() const { return m_adminKey; }
    const QString &nodeHash() const { return m_node; }
    const App &defaultApp() const { return *m_apps.find(m_defaultAppId); }
    // The lines printed at start-up: API base URL, app id and key, admin key.
    QString startupBanner() const;

    Clock &clock() { return m_clock; }
    AppRegistry &apps() { return m_apps; }
    EventStream &events() { return m_events; }
    Engine &engine() { return m_engine; }
    // Where recordings are written: <data-dir>/recordings, or a temporary folder when ephemeral.
    const QString &recordingsDir() const { return m_recordingsDir; }
    WebhookDispatcher &dispatcher() { return m_dispatcher; }
    DeliveryJournal &journal() { return m_journal; }
    // Every HTTP exchange, for the timeline.
    RequestLog &requestLog() { return m_requestLog; }
    // For the virtual clock's settle hook: webhook attempts on the wire answer before time moves.
    void settleDeliveries() { m_dispatcher.settle(); }

private:
    EngineConfig engineConfig(const Settings &settings) const;
    std::optional<quint64> eventIdSeed(const Settings &settings);
    HttpResponse serveRecording(const QString &file) const;

    Settings m_settings;
    Clock &m_clock;
    IdGenerator m_ids;
    QString m_node;
    QString m_adminKey;
    QString m_defaultAppId;
    std::unique_ptr<QTemporaryDir> m_scratch; // recordings of an ephemeral run
    QString m_recordingsDir;
    QString m_journalPath; // <data-dir>/journal.sqlite; empty: in memory
    DeliveryJournal m_journal;
    bool m_journalOpen = false;
    IdGenerator m_eventIds; // apart from m_ids: see eventIdSeed()
    AppRegistry m_apps;
    EventStream m_events;
    RateLimiter m_limiter;
    Engine m_engine;
    Router m_router;
    PlatformApi m_platformApi;
    AdminApi m_adminApi;
    WebhookClient m_webhookClient;
    WebhookDispatcher m_dispatcher;
    ControlApi m_controlApi;
    WebhooksApi m_webhooksApi;
    RequestLog m_requestLog;
    HttpServer m_server;
    QString m_error;
    qsizetype m_resumed = 0;
};

} // namespace VoiceSim
