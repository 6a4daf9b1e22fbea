// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "settings.h"

#include "../engine/appregistry.h"
#include "../webhooks/webhooksigner.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>

namespace VoiceSim {

namespace {

struct OptionSpec
{
    const char *name;
    const char *valueName; // nullptr for a flag
    const char *help;
};

// One table for the command line and the settings file, so the two can never drift apart.
const OptionSpec kOptions[] = {
    {"headless", nullptr, "Run without a window (for CI and scripts); the desktop app starts otherwise."},
    {"listen", "ADDR:PORT", "Address of the API server. Default 127.0.0.1:8470; port 0 picks a free port."},
    {"port-file", "PATH", "Write the port once listening (useful with port 0)."},
    {"clock", "real|virtual", "Clock mode. virtual moves only via POST /sim/v1/clock/advance. Default real."},
    {"time-scale", "X", "Run the real clock X times faster than wall time (0 < X <= 1000). Default 1."},
    {"seed", "N", "Make ids, keys and (with the virtual clock) timestamps reproducible."},
    {"data-dir", "DIR", "Where the delivery journal and recordings live. Default: the per-user data folder."},
    {"ephemeral", nullptr, "Keep the journal in memory and recordings in a temporary folder."},
    {"app-id", "ID", "Id of the default app. Default demo-app."},
    {"api-key", "KEY", "API key of the default app. Default: generated on first start, kept in the data folder."},
    {"admin-key", "KEY", "Admin key for /admin and /sim/v1. Default: generated on first start, kept in the data folder."},
    {"webhook-url", "URL", "Webhook URL of the default app (http or https)."},
    {"webhook-secret", "whsec_...", "Webhook signing secret of the default app. Default: generated, kept like the keys."},
    {"envelope", "default|flat", "Webhook body shape of the default app (C-ENVELOPE). Default default."},
    {"webhook-timeout-ms", "MS", "How long one webhook attempt may take before it counts as failed. Default 10000."},
    {"webhook-retry", "default|standard-webhooks|svix|none", "Retry schedule of failed webhooks. Default: 0.5 s doubling to 60 s, 8 retries."},
    {"webhook-retry-jitter", "X", "Random spread of retry waits, as a fraction (0 to 0.5; 0 gives the exact schedule). Default 0.1."},
    {"webhook-in-flight", "N", "Webhook attempts on the wire at once, over all calls and rooms. Default 64."},
    {"webhook-timestamps", "wall|engine", "Clock of webhook-timestamp: wall time (what receivers check) or engine time. Default wall."},
    {"webhook-settle-ms", "MS", "Virtual clock only: how long time waits for webhook answers before it moves. Default 1000."},
    {"node", "NODE", "Node hash that prefixes session and room ids (5 letters or digits). Default: generated, kept like the keys."},
    {"media-dir", "DIR", "Folder that the control API's speak may read local files from."},
    {"answer-latency-ms", "MS", "How long the simulated media side takes to confirm an answer. Default 20."},
    {"auto-answer-delay-ms", "MS", "Delay of the network's automatic answer after call.new. Default 20."},
    {"deferred-timeout-ms", "MS", "Deferred command timeout (answer, playback/start). Default 2000."},
    {"disconnect-delay-ms", "MS", "How long the dialplan keeps a disconnected call before hanging up. Default 1000."},
    {"orphan-timeout-ms", "MS", "Idle or lost-channel time before the janitor ends a session. Default 120000."},
    {"record-stop-group", "heavy|seek", "Rate group of record/stop (the docs disagree, C-RECORD-GROUP). Default heavy."},
    {"event-buffer", "N", "How many recent events the events API keeps in memory. Default 200000."},
};


bool parseMs(const QString &text, qint64 max, qint64 *out)
{
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    if (!ok || value < 0 || value > max)
        return false;
    *out = value;
    return true;
}

// Applies one option; returns an error message, or an empty string.
QString apply(Settings &s, const QString &name, const QString &value)
{
    constexpr qint64 day = 24LL * 3600 * 1000;
    if (name == QLatin1String("listen")) {
        const qsizetype colon = value.lastIndexOf(QLatin1Char(':'));
        QString host = value.left(colon);
        if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
            host = host.mid(1, host.size() - 2);
        bool ok = false;
        const uint port = value.mid(colon + 1).toUInt(&ok);
        QHostAddress address;
        if (colon <= 0 || !ok || port > 65535 || !address.setAddress(host))
            return QStringLiteral("--listen must be ADDR:PORT with a numeric address, e.g. 127.0.0.1:8470");
        s.listenAddress = address;
        s.port = quint16(port);
    } else if (name == QLatin1String("port-file")) {
        s.portFile = value;
    } else if (name == QLatin1String("clock")) {
        if (value == QLatin1String("real"))
            s.clockMode = Clock::Mode::Real;
        else if (value == QLatin1String("virtual"))
            s.clockMode = Clock::Mode::Virtual;
        else
            return QStringLiteral("--clock must be real or virtual");
    } else if (name == QLatin1String("time-scale")) {
        bool ok = false;
        const double scale = value.toDouble(&ok);
        if (!ok || !(scale > 0) || scale > 1000)
            return QStringLiteral("--time-scale must be a number above 0 and at most 1000");
        s.timeScale = scale;
    } else if (name == QLatin1String("seed")) {
        bool ok = false;
        const quint64 seed = value.toULongLong(&ok);
        if (!ok)
            return QStringLiteral("--seed must be a non-negative integer");
        s.seed = seed;
    } else if (name == QLatin1String("data-dir")) {
        s.dataDir = value;
    } else if (name == QLatin1String("app-id")) {
        if (!AppRegistry::isValidAppId(value.toUtf8()))
            return QStringLiteral("--app-id must be 1 to 64 letters, digits, '_' or '-'");
        s.appId = value;
    } else if (name == QLatin1String("api-key")) {
        if (value.isEmpty())
            return QStringLiteral("--api-key must not be empty");
        s.apiKey = value;
    } else if (name == QLatin1String("admin-key")) {
        if (value.isEmpty())
            return QStringLiteral("--admin-key must not be empty");
        s.adminKey = value;
    } else if (name == QLatin1String("webhook-url")) {
        if (!AppRegistry::isValidWebhookUrl(value))
            return QStringLiteral("--webhook-url must be an http or https URL");
        s.webhookUrl = value;
    } else if (name == QLatin1String("webhook-secret")) {
        if (!WebhookSigner::fromSecret(value))
            return QStringLiteral("--webhook-secret must be whsec_ followed by at least 16 base64-encoded bytes");
        s.webhookSecret = value;
    } else if (name == QLatin1String("envelope")) {
        if (!parseEnvelopeShape(value, &s.envelope))
            return QStringLiteral("--envelope must be default or flat");
    } else if (name == QLatin1String("webhook-timeout-ms")) {
        if (!parseMs(value, 600'000, &s.webhooks.attemptTimeoutMs) || s.webhooks.attemptTimeoutMs == 0)
            return QStringLiteral("--webhook-timeout-ms must be an integer from 1 to 600000");
    } else if (name == QLatin1String("webhook-retry")) {
        if (!RetryPolicy::parsePreset(value, &s.webhooks.retryPreset))
            return QStringLiteral("--webhook-retry must be default, standard-webhooks, svix or none");
    } else if (name == QLatin1String("webhook-retry-jitter")) {
        bool ok = false;
        const double jitter = value.toDouble(&ok);
        if (!ok || jitter < 0 || jitter > 0.5)
            return QStringLiteral("--webhook-retry-jitter must be a number from 0 to 0.5");
        s.webhooks.retryJitter = jitter;
    } else if (name == QLatin1String("webhook-in-flight")) {
        qint64 limit = 0;
        if (!parseMs(value, 10'000, &limit) || limit == 0)
            return QStringLiteral("--webhook-in-flight must be an integer from 1 to 10000");
        s.webhooks.maxInFlight = int(limit);
    } else if (name == QLatin1String("webhook-timestamps")) {
        if (value != QLatin1String("wall") && value != QLatin1String("engine"))
            return QStringLiteral("--webhook-timestamps must be wall or engine");
        s.webhooks.wallClockTimestamps = value == QLatin1String("wall");
    } else if (name == QLatin1String("webhook-settle-ms")) {
        qint64 ms = 0;
        if (!parseMs(value, 60'000, &ms))
            return QStringLiteral("--webhook-settle-ms must be an integer from 0 to 60000");
        s.webhooks.settleWaitMs = int(ms);
    } else if (name == QLatin1String("node")) {
        static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9]{5}$"));
        if (!pattern.match(value).hasMatch())
            return QStringLiteral("--node must be exactly 5 letters or digits");
        s.node = value;
    } else if (name == QLatin1String("media-dir")) {
        if (!QFileInfo(value).isDir())
            return QStringLiteral("--media-dir is not a folder: ") + value;
        s.mediaDir = QFileInfo(value).absoluteFilePath();
    } else if (name == QLatin1String("answer-latency-ms")) {
        if (!parseMs(value, day, &s.answerLatencyMs))
            return QStringLiteral("--answer-latency-ms must be an integer from 0 to 86400000");
    } else if (name == QLatin1String("auto-answer-delay-ms")) {
        if (!parseMs(value, day, &s.autoAnswerDelayMs))
            return QStringLiteral("--auto-answer-delay-ms must be an integer from 0 to 86400000");
    } else if (name == QLatin1String("deferred-timeout-ms")) {
        if (!parseMs(value, day, &s.engine.deferredTimeoutMs) || s.engine.deferredTimeoutMs == 0)
            return QStringLiteral("--deferred-timeout-ms must be an integer from 1 to 86400000");
    } else if (name == QLatin1String("disconnect-delay-ms")) {
        if (!parseMs(value, day, &s.engine.disconnectDelayMs))
            return QStringLiteral("--disconnect-delay-ms must be an integer from 0 to 86400000");
    } else if (name == QLatin1String("orphan-timeout-ms")) {
        if (!parseMs(value, day, &s.engine.orphanTimeoutMs) || s.engine.orphanTimeoutMs == 0)
            return QStringLiteral("--orphan-timeout-ms must be an integer from 1 to 86400000");
    } else if (name == QLatin1String("record-stop-group")) {
        if (value == QLatin1String("heavy"))
            s.engine.recordStopGroup = RateGroup::Heavy;
        else if (value == QLatin1String("seek"))
            s.engine.recordStopGroup = RateGroup::Seek;
        else
            return QStringLiteral("--record-stop-group must be heavy or seek");
    } else if (name == QLatin1String("event-buffer")) {
        qint64 size = 0;
        if (!parseMs(value, 100'000'000, &size) || size == 0)
            return QStringLiteral("--event-buffer must be an integer from 1 to 100000000");
        s.eventBuffer = size;
    }
    return {};
}

bool isFlag(const QString &name)
{
    return name == QLatin1String("headless") || name == QLatin1String("ephemeral");
}

bool isTrue(const QString &value)
{
    return value == QLatin1String("true") || value == QLatin1String("1") || value == QLatin1String("yes");
}

} // namespace

qint64 virtualClockStartMs(const Settings &settings)
{
    return settings.seed ? QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch()
                         : QDateTime::currentMSecsSinceEpoch();
}

SettingsResult parseSettings(const QStringList &arguments)
{
    SettingsResult result;
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "voicesim: a desktop simulator of the Voice Platform API.\n"
        "Every option can also be a key of the settings file (INI, same names without '--').\n"
        "Precedence: defaults < settings file < command line."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    const QCommandLineOption version(QStringLiteral("version"), QStringLiteral("Show the version."));
    const QCommandLineOption config(QStringLiteral("config"),
                                    QStringLiteral("Settings file to read. Default: voicesim/voicesim.ini in the user's config folder, if it exists."),
                                    QStringLiteral("FILE"));
    parser.addOption(help);
    parser.addOption(version);
    parser.addOption(config);
    for (const OptionSpec &spec : kOptions) {
        if (spec.valueName)
            parser.addOption({QString::fromLatin1(spec.name), QString::fromLatin1(spec.help), QString::fromLatin1(spec.valueName)});
        else
            parser.addOption({QString::fromLatin1(spec.name), QString::fromLatin1(spec.help)});
    }

    if (!parser.parse(arguments)) {
        result.exitCode = 2;
        result.output = parser.errorText() + QStringLiteral(" (see --help)");
        return result;
    }
    if (parser.isSet(help)) {
        result.exitCode = 0;
        result.output = parser.helpText();
        return result;
    }
    if (parser.isSet(version)) {
        result.exitCode = 0;
        result.output = QStringLiteral("voicesim " VOICESIM_VERSION "\n");
        return result;
    }
    if (!parser.positionalArguments().isEmpty()) {
        result.exitCode = 2;
        result.output = QStringLiteral("Unexpected argument: ") + parser.positionalArguments().constFirst() + QStringLiteral(" (see --help)");
        return result;
    }

    Settings &s = result.settings;
    QString configFile = parser.value(config);
    if (configFile.isEmpty()) {
        const QString fallback = QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation)
            + QStringLiteral("/voicesim/voicesim.ini");
        if (QFileInfo::exists(fallback))
            configFile = fallback;
    } else if (!QFileInfo(configFile).isFile()) {
        result.exitCode = 2;
        result.output = QStringLiteral("Settings file not found: ") + configFile;
        return result;
    }
    if (!configFile.isEmpty()) {
        s.configFile = QFileInfo(configFile).absoluteFilePath();
        QSettings file(configFile, QSettings::IniFormat);
        if (file.status() != QSettings::NoError) {
            result.exitCode = 2;
            result.output = QStringLiteral("Cannot read settings file: ") + configFile;
            return result;
        }
        const QStringList keys = file.allKeys();
        for (const QString &key : keys) {
            const bool known = std::any_of(std::begin(kOptions), std::end(kOptions),
                                           [&](const OptionSpec &o) { return key == QLatin1String(o.name); });
            if (!known) {
                result.exitCode = 2;
                result.output = QStringLiteral("Unknown key in ") + configFile + QStringLiteral(": ") + key;
                return result;
            }
            const QString value = file.value(key).toString();
            if (key == QLatin1String("headless"))
                s.headless = isTrue(value);
            else if (key == QLatin1String("ephemeral"))
                s.ephemeral = isTrue(value);
            else if (const QString error = apply(s, key, value); !error.isEmpty()) {
                result.exitCode = 2;
                result.output = configFile + QStringLiteral(": ") + error;
                return result;
            }
        }
    }
    for (const OptionSpec &spec : kOptions) {
        const QString name = QString::fromLatin1(spec.name);
        if (!parser.isSet(name))
            continue;
        if (isFlag(name)) {
            (name == QLatin1String("headless") ? s.headless : s.ephemeral) = true;
        } else if (const QString error = apply(s, name, parser.value(name)); !error.isEmpty()) {
            result.exitCode = 2;
            result.output = error;
            return result;
        }
    }
    if (s.ephemeral && parser.isSet(QStringLiteral("data-dir"))) {
        result.exitCode = 2;
        result.output = QStringLiteral("--ephemeral and --data-dir exclude each other");
        return result;
    }
    if (s.dataDir.isEmpty() && !s.ephemeral)
        s.dataDir = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/voicesim");
    return result;
}

} // namespace VoiceSim
