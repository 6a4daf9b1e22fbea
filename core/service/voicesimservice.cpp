// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "voicesimservice.h"

#include "../clock/virtualclock.h"

#include <QFile>
#include <QJsonObject>

namespace VoiceSim {

namespace {

// Ids and keys are drawn in a fixed order, so a seed reproduces all of them (C-IDS).
QString orGenerate(const QString &given, const std::function<QString()> &make)
{
    return given.isEmpty() ? make() : given;
}

} // namespace

VoiceSimService::VoiceSimService(const Settings &settings, Clock &engineClock, Clock &transportClock,
                                 ChannelPort &channels, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_clock(engineClock)
    , m_ids(settings.seed)
    , m_node(orGenerate(settings.node, [this] { return m_ids.alphanumeric(5); }))
    , m_adminKey(orGenerate(settings.adminKey, [this]() -> QString { return QStringLiteral("adm_") + m_ids.alphanumeric(32); }))
    , m_defaultAppId(settings.appId)
    , m_apps(settings.appId)
    , m_events(engineClock, [this]() -> QString { return QStringLiteral("evt_") + m_ids.uuid4(); }, settings.eventBuffer)
    , m_limiter(engineClock)
    , m_engine(engineClock, m_ids, m_apps, m_events, channels, engineConfig(settings, m_node))
    , m_platformApi(m_apps, m_limiter, m_engine)
    , m_adminApi(m_apps, m_ids)
    , m_controlApi(m_engine, m_events, m_apps, m_limiter, engineClock, qobject_cast<VirtualClock *>(&engineClock))
    , m_server(m_router, transportClock)
{
    App &app = m_apps.upsert(settings.appId);
    app.apiKey = orGenerate(settings.apiKey, [this]() -> QString { return QStringLiteral("key_") + m_ids.alphanumeric(32); });
    app.webhookUrl = settings.webhookUrl;
    app.webhookSecret = orGenerate(settings.webhookSecret, [this]() -> QString { return QStringLiteral("whsec_") + m_ids.secret(24); });
    channels.setAnswerLatencyMs(settings.answerLatencyMs);

    m_router.addRoute(QByteArrayLiteral("GET"), QStringLiteral("/health"), [this](const HttpRequest &, const PathParams &) {
        // C-HEALTH: no auth, no rate limit.
        return HttpResponse::json(200, {{QStringLiteral("status"), QStringLiteral("ok")},
                                        {QStringLiteral("version"), QStringLiteral(VOICESIM_VERSION)},
                                        {QStringLiteral("uptime_s"), m_clock.nowMs() / 1000}});
    });
    m_router.addGuard(QByteArrayLiteral("/admin/"), AdminApi::adminKeyGuard(m_adminKey));
    m_router.addGuard(QByteArrayLiteral("/sim/v1/"), AdminApi::adminKeyGuard(m_adminKey));
    m_platformApi.registerRoutes(m_router);
    m_adminApi.registerRoutes(m_router);
    m_controlApi.registerRoutes(m_router);
}

EngineConfig VoiceSimService::engineConfig(const Settings &settings, const QString &node)
{
    EngineConfig config = settings.engine;
    config.nodeHash = node;
    return config;
}

bool VoiceSimService::start()
{
    if (!m_server.listen(m_settings.listenAddress, m_settings.port)) {
        m_error = QStringLiteral("cannot listen on ") + m_settings.listenAddress.toString() + QLatin1Char(':')
            + QString::number(m_settings.port) + QStringLiteral(": ") + m_server.errorString();
        return false;
    }
    if (!m_settings.portFile.isEmpty()) {
        QFile file(m_settings.portFile);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            m_error = QStringLiteral("cannot write port file ") + m_settings.portFile + QStringLiteral(": ") + file.errorString();
            return false;
        }
        file.write(QByteArray::number(port()) + '\n');
    }
    return true;
}

QString VoiceSimService::baseUrl() const
{
    const QHostAddress address = m_server.address();
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
        ? QLatin1Char('[') + address.toString() + QLatin1Char(']')
        : address.toString();
    return QStringLiteral("http://") + host + QLatin1Char(':') + QString::number(port());
}

QString VoiceSimService::startupBanner() const
{
    const App &app = defaultApp();
    return QStringLiteral("voicesim " VOICESIM_VERSION " listening\n")
        + QStringLiteral("  API base URL:   ") + baseUrl() + QStringLiteral("/api/v1\n")
        + QStringLiteral("  App id:         ") + app.id + QLatin1Char('\n')
        + QStringLiteral("  API key:        ") + app.apiKey + QLatin1Char('\n')
        + QStringLiteral("  Admin key:      ") + m_adminKey + QLatin1Char('\n')
        + QStringLiteral("  Webhook URL:    ") + (app.webhookUrl.isEmpty() ? QStringLiteral("(none)") : app.webhookUrl) + QLatin1Char('\n')
        + QStringLiteral("  Webhook secret: ") + app.webhookSecret + QLatin1Char('\n')
        + QStringLiteral("  Clock:          ") + (m_clock.mode() == Clock::Mode::Virtual ? QStringLiteral("virtual") : QStringLiteral("real")) + QLatin1Char('\n');
}

} // namespace VoiceSim
