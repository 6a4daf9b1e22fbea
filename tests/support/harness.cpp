// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "harness.h"

namespace VoiceSim::Test {

Settings Harness::defaultSettings()
{
    Settings settings;
    settings.headless = true;
    settings.port = 0;
    settings.seed = 42;
    settings.clockMode = Clock::Mode::Virtual;
    settings.apiKey = QString::fromLatin1(kApiKey);
    settings.adminKey = QString::fromLatin1(kAdminKey);
    settings.node = QStringLiteral("acW68");
    settings.ephemeral = true;
    return settings;
}

Harness::Harness(Settings settings)
    : m_clock(virtualClockStartMs(settings))
    , m_transportClock(virtualClockStartMs(settings))
    , m_channels(m_clock, settings.autoAnswerDelayMs)
    , m_service(std::make_unique<VoiceSimService>(settings, m_clock, m_transportClock, m_channels))
{
    if (!m_service->start())
        qFatal("harness cannot start: %s", qPrintable(m_service->errorString()));
    m_api = std::make_unique<ApiClient>(m_service->port());
}

Harness::~Harness()
{
    m_service.reset();
}

ApiClient::Headers Harness::appHeaders(const QByteArray &appId, const QByteArray &key)
{
    return {{"X-App-ID", appId}, {"X-API-Key", key}};
}

ApiClient::Headers Harness::adminHeaders()
{
    return {{"X-Admin-API-Key", kAdminKey}};
}

Response Harness::createCall(const QJsonObject &body)
{
    return m_api->post("/sim/v1/calls", adminHeaders(), body);
}

QString Harness::newCall(const QJsonObject &body)
{
    return createCall(body).json().value(QStringLiteral("session_uuid")).toString();
}

Response Harness::command(const QString &uuid, const QByteArray &command, const QJsonObject &body,
                          const ApiClient::Headers &headers)
{
    return m_api->post("/api/v1/sessions/" + uuid.toUtf8() + "/commands/" + command, headers, body);
}

Response Harness::advance(qint64 ms)
{
    return m_api->post("/sim/v1/clock/advance", adminHeaders(), {{QStringLiteral("ms"), ms}});
}

QJsonArray Harness::events(const QString &uuid, qint64 after)
{
    const Response response = m_api->request(
        "GET", "/sim/v1/events?session_uuid=" + uuid.toUtf8() + "&after=" + QByteArray::number(after), adminHeaders());
    return response.json().value(QStringLiteral("events")).toArray();
}

QStringList Harness::eventTypes(const QString &uuid)
{
    QStringList types;
    for (const QJsonValue &event : events(uuid))
        types.append(event.toObject().value(QStringLiteral("event")).toString());
    return types;
}

Response Harness::createApp(const QByteArray &appId, const QJsonObject &body)
{
    return m_api->post("/admin/apps/" + appId, adminHeaders(), body);
}

} // namespace VoiceSim::Test
