// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "voicesimservice.h"

#include "../clock/virtualclock.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QJsonObject>

namespace VoiceSim {

namespace {

// Ids and keys are drawn in a fixed order, so a seed reproduces all of them (C-IDS).
QString orGenerate(const QString &given, const std::function<QString()> &make)
{
    return given.isEmpty() ? make() : given;
}

} // namespace

namespace {

QString recordingsFolder(const Settings &settings, std::unique_ptr<QTemporaryDir> &scratch)
{
    if (settings.ephemeral || settings.dataDir.isEmpty()) {
        scratch = std::make_unique<QTemporaryDir>();
        return scratch->isValid() ? scratch->path() : QString();
    }
    const QString dir = settings.dataDir + QStringLiteral("/recordings");
    return QDir().mkpath(dir) ? dir : QString();
}

} // namespace

VoiceSimService::VoiceSimService(const Settings &settings, Clock &engineClock, Clock &transportClock,
                                 ChannelPort &channels, MediaPort &media, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_clock(engineClock)
    , m_ids(settings.seed)
    , m_node(orGenerate(settings.node, [this] { return m_ids.alphanumeric(5); }))
    , m_adminKey(orGenerate(settings.adminKey, [this]() -> QString { return QStringLiteral("adm_") + m_ids.alphanumeric(32); }))
    , m_defaultAppId(settings.appId)
    , m_recordingsDir(recordingsFolder(settings, m_scratch))
    , m_journalPath(settings.ephemeral || settings.dataDir.isEmpty() ? QString() : settings.dataDir + QStringLiteral("/journal.sqlite"))
    , m_journal(m_journalPath)
    , m_eventIds(eventIdSeed(settings))
    , m_apps(settings.appId)
    // Time-ordered webhook-ids keep the journal's index on them cheap to grow.
    , m_events(engineClock, [this]() -> QString { return QStringLiteral("evt_") + m_eventIds.uuid7(m_clock.epochMs()); },
               settings.eventBuffer)
    , m_limiter(engineClock)
    , m_engine(engineClock, m_ids, m_apps, m_events, channels, media, engineConfig(settings))
    , m_platformApi(m_apps, m_limiter, m_engine)
    , m_adminApi(m_apps, m_ids)
    , m_webhookClient(engineClock)
    , m_dispatcher(engineClock, m_journal, m_webhookClient, m_apps, settings.webhooks, settings.seed)
    , m_controlApi(m_engine, m_events, m_apps, m_limiter, m_dispatcher, engineClock, qobject_cast<VirtualClock *>(&engineClock),
                   settings.mediaDir)
    , m_webhooksApi(m_journal, m_dispatcher)
    , m_requestLog(m_router, engineClock)
    , m_server(m_requestLog, transportClock)
{
    App &app = m_apps.upsert(settings.appId);
    app.apiKey = orGenerate(settings.apiKey, [this]() -> QString { return QStringLiteral("key_") + m_ids.alphanumeric(32); });
    app.webhookUrl = settings.webhookUrl;
    app.webhookSecret = orGenerate(settings.webhookSecret, [this]() -> QString { return QStringLiteral("whsec_") + m_ids.secret(24); });
    app.envelope = settings.envelope;
    // Every event goes to the journal, and from there to the app's webhook URL (C-DURABLE).
    connect(&m_events, &EventStream::published, &m_dispatcher, &WebhookDispatcher::submit);
    channels.setAnswerLatencyMs(settings.answerLatencyMs);

    m_router.addRoute(QByteArrayLiteral("GET"), QStringLiteral("/health"), [this](const HttpRequest &, const PathParams &) {
        // C-HEALTH: no auth, no rate limit.
        return HttpResponse::json(200, {{QStringLiteral("status"), QStringLiteral("ok")},
                                        {QStringLiteral("version"), QStringLiteral(VOICESIM_VERSION)},
                                        {QStringLiteral("uptime_s"), m_clock.nowMs() / 1000}});
    });
    // C-RECORD: served by voicesim itself; the unguessable name is the only key.
    m_router.addRoute(QByteArrayLiteral("GET"), QStringLiteral("/recordings/{file}"), [this](const HttpRequest &, const PathParams &p) {
        return serveRecording(p.value(QStringLiteral("file")));
    });
    m_router.addGuard(QByteArrayLiteral("/admin/"), AdminApi::adminKeyGuard(m_adminKey));
    m_router.addGuard(QByteArrayLiteral("/sim/v1/"), AdminApi::adminKeyGuard(m_adminKey));
    m_platformApi.registerRoutes(m_router);
    m_adminApi.registerRoutes(m_router);
    m_controlApi.registerRoutes(m_router);
    m_webhooksApi.registerRoutes(m_router);
}

std::optional<quint64> VoiceSimService::eventIdSeed(const Settings &settings)
{
    // Opened here, before the event stream exists, because event ids depend on what it holds.
    m_journalOpen = m_journal.open();
    if (!m_journalOpen || !settings.seed)
        return settings.seed ? std::optional<quint64>(*settings.seed) : std::nullopt;
    // C-IDS: a seed repeats every id of a run; but a data dir that already holds a journal must
    // not get the webhook-ids of the last run again (receivers deduplicate by them), so the
    // event ids also follow how far the journal has come.
    return *settings.seed ^ (quint64(m_journal.lastRow()) * 0x9e37'79b9'7f4a'7c15ULL);
}

EngineConfig VoiceSimService::engineConfig(const Settings &settings) const
{
    EngineConfig config = settings.engine;
    config.nodeHash = m_node;
    config.recordingsDir = m_recordingsDir;
    return config;
}

HttpResponse VoiceSimService::serveRecording(const QString &file) const
{
    static const QRegularExpression name(QStringLiteral("^[A-Za-z0-9]{32}\\.wav$"));
    QFile recording(QDir(m_recordingsDir).filePath(file));
    if (m_recordingsDir.isEmpty() || !name.match(file).hasMatch() || !recording.open(QIODevice::ReadOnly))
        return HttpResponse::error(404, QStringLiteral("Recording not found"));
    HttpResponse response;
    response.body = recording.readAll();
    return response.withHeader(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("audio/wav"));
}

bool VoiceSimService::start()
{
    if (!m_journalOpen) {
        m_error = m_journal.errorString();
        return false;
    }
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
    m_engine.setPublicBaseUrl(baseUrl());
    // C-DURABLE: what a crash or kill left undelivered goes out again, in journal order.
    m_resumed = m_dispatcher.resume();
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
        + QStringLiteral("  Journal:        ") + (m_journalPath.isEmpty() ? QStringLiteral("(in memory)") : m_journalPath)
        + (m_resumed > 0 ? QStringLiteral(" (resuming ") + QString::number(m_resumed) + QStringLiteral(" undelivered)") : QString()) + QLatin1Char('\n')
        + QStringLiteral("  Clock:          ") + (m_clock.mode() == Clock::Mode::Virtual ? QStringLiteral("virtual") : QStringLiteral("real")) + QLatin1Char('\n');
}

} // namespace VoiceSim
