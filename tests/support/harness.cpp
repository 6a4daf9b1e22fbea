// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "harness.h"

#include "eventwait.h"
#include "mediafixtures.h"

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
    , m_media(m_clock, MediaEngine::Options{.seed = settings.seed.value_or(0)})
    , m_service(std::make_unique<VoiceSimService>(settings, m_clock, m_transportClock, m_channels, m_media))
{
    // C-CLOCK: fetches and webhook attempts under way finish before virtual time moves.
    m_clock.setSettleHook([this] {
        m_media.settle();
        m_service->settleDeliveries();
    });
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

QString Harness::answeredCall(const QJsonObject &body)
{
    QJsonObject withAnswer = body;
    withAnswer.insert(QStringLiteral("auto_answer"), true);
    const QString uuid = newCall(withAnswer);
    advance(100);
    return uuid;
}

Response Harness::pressKeys(const QString &uuid, const QString &digits, int durationMs, int gapMs)
{
    return m_api->post("/sim/v1/calls/" + uuid.toUtf8() + "/dtmf", adminHeaders(),
                       {{QStringLiteral("digits"), digits}, {QStringLiteral("duration_ms"), durationMs}, {QStringLiteral("gap_ms"), gapMs}});
}

QList<qint16> Harness::heard(const QString &uuid, qint64 fromMs, qint64 toMs)
{
    QByteArray path = "/sim/v1/calls/" + uuid.toUtf8() + "/audio?from_ms=" + QByteArray::number(fromMs);
    if (toMs >= 0)
        path += "&to_ms=" + QByteArray::number(toMs);
    const Response response = m_api->request("GET", path, adminHeaders());
    return response.status == 200 ? Audio::decode(response.body) : QList<qint16>();
}

QList<QJsonObject> Harness::eventsOf(const QString &uuid, const QString &type)
{
    QList<QJsonObject> out;
    for (const QJsonValue &event : events(uuid))
        if (event.toObject().value(QStringLiteral("event")).toString() == type)
            out.append(event.toObject());
    return out;
}

QJsonObject Harness::lastEvent(const QString &uuid, const QString &type)
{
    const QList<QJsonObject> all = eventsOf(uuid, type);
    return all.isEmpty() ? QJsonObject() : all.last();
}

bool Harness::deliveriesIdle(int timeoutMs)
{
    WebhookDispatcher &dispatcher = m_service->dispatcher();
    const auto idle = [&dispatcher] { return dispatcher.queued() == 0 && dispatcher.inFlight() == 0; };
    if (idle())
        return true;
    QEventLoop loop;
    QObject::connect(&dispatcher, &WebhookDispatcher::idle, &loop, &QEventLoop::quit);
    return runUntilQuit(loop, timeoutMs) && idle();
}

QJsonArray Harness::webhooks(const QByteArray &query)
{
    const Response response = m_api->request("GET", "/sim/v1/webhooks?" + query, adminHeaders());
    return response.json().value(QStringLiteral("webhooks")).toArray();
}

QJsonObject Harness::webhook(const QString &id)
{
    return m_api->request("GET", "/sim/v1/webhooks/" + id.toUtf8(), adminHeaders()).json();
}

} // namespace VoiceSim::Test
