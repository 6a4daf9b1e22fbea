// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "rawclient.h"

#include <channel/simulatedchannels.h>
#include <media/mediaengine.h>
#include <clock/virtualclock.h>
#include <config/settings.h>
#include <service/voicesimservice.h>

#include <QJsonArray>

#include <memory>

namespace VoiceSim::Test {

// The fields of one event as the events API returns it (the default envelope's "data").
inline QJsonObject eventData(const QJsonObject &event)
{
    return event.value(QStringLiteral("data")).toObject();
}

// A whole voicesim on 127.0.0.1:0 with a virtual engine clock and a virtual transport clock,
// fixed keys and a seed: what the API suites test against.
class Harness
{
public:
    static constexpr const char *kAppId = "demo-app";
    static constexpr const char *kApiKey = "test-api-key";
    static constexpr const char *kAdminKey = "test-admin-key";

    explicit Harness(Settings settings = defaultSettings());
    ~Harness();

    static Settings defaultSettings();

    quint16 port() const { return m_service->port(); }
    VirtualClock &clock() { return m_clock; }
    VirtualClock &transportClock() { return m_transportClock; }
    MediaEngine &media() { return m_media; }
    VoiceSimService &service() { return *m_service; }
    ApiClient &api() { return *m_api; }

    // Headers for the platform API as the default app (or another app and key).
    static ApiClient::Headers appHeaders(const QByteArray &appId = kAppId, const QByteArray &key = kApiKey);
    static ApiClient::Headers adminHeaders();

    // Control API helpers; each asserts nothing, the tests do.
    Response createCall(const QJsonObject &body = {});
    QString newCall(const QJsonObject &body = {}); // session_uuid, or empty on failure
    Response command(const QString &uuid, const QByteArray &command, const QJsonObject &body = {},
                     const ApiClient::Headers &headers = appHeaders());
    Response advance(qint64 ms);
    QJsonArray events(const QString &uuid, qint64 after = 0);
    // The event types of a session, in sequence order.
    QStringList eventTypes(const QString &uuid);
    Response createApp(const QByteArray &appId, const QJsonObject &body);

    // A call answered by the network, with call.new and call.answered published.
    QString answeredCall(const QJsonObject &body = {});
    // Caller-side actions and the "caller hears" tap.
    Response pressKeys(const QString &uuid, const QString &digits, int durationMs = 100, int gapMs = 100);
    QList<qint16> heard(const QString &uuid, qint64 fromMs = 0, qint64 toMs = -1);
    // The events of a session of one type, in order.
    QList<QJsonObject> eventsOf(const QString &uuid, const QString &type);
    // The last event of a type (empty when there is none).
    QJsonObject lastEvent(const QString &uuid, const QString &type);
    // Waits (wall time, bounded) until no webhook is queued or on the wire.
    bool deliveriesIdle(int timeoutMs = 5000);
    // The delivery log (/sim/v1/webhooks), with a query such as "session_uuid=...".
    QJsonArray webhooks(const QByteArray &query = {});
    QJsonObject webhook(const QString &id);

private:
    VirtualClock m_clock;
    VirtualClock m_transportClock;
    SimulatedChannels m_channels;
    MediaEngine m_media;
    std::unique_ptr<VoiceSimService> m_service;
    std::unique_ptr<ApiClient> m_api;
};

} // namespace VoiceSim::Test
