// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "rawclient.h"

#include <channel/simulatedchannels.h>
#include <clock/virtualclock.h>
#include <config/settings.h>
#include <service/voicesimservice.h>

#include <QJsonArray>

#include <memory>

namespace VoiceSim::Test {

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

private:
    VirtualClock m_clock;
    VirtualClock m_transportClock;
    SimulatedChannels m_channels;
    std::unique_ptr<VoiceSimService> m_service;
    std::unique_ptr<ApiClient> m_api;
};

} // namespace VoiceSim::Test
