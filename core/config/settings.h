// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "../clock/clock.h"
#include "../engine/engineconfig.h"
#include "../events/event.h"
#include "../webhooks/deliveryconfig.h"

#include <QHostAddress>
#include <QString>
#include <QStringList>

#include <optional>

namespace VoiceSim {

// Everything voicesim is started with: defaults < settings file < command line (contract §7).
struct Settings
{
    bool headless = false;
    QHostAddress listenAddress = QHostAddress::LocalHost;
    quint16 port = 8470;
    QString portFile;
    Clock::Mode clockMode = Clock::Mode::Real;
    double timeScale = 1.0;
    std::optional<quint64> seed;
    QString dataDir;
    bool ephemeral = false;
    QString appId = QStringLiteral("demo-app");
    QString apiKey;   // empty: generated
    QString adminKey; // empty: generated
    QString webhookUrl;
    QString webhookSecret; // empty: generated
    EnvelopeShape envelope = EnvelopeShape::Default; // of the default app (C-ENVELOPE)
    DispatcherConfig webhooks;
    QString node;          // empty: generated
    QString mediaDir;
    QString configFile;
    qint64 answerLatencyMs = 20;
    qint64 autoAnswerDelayMs = 20;
    qsizetype eventBuffer = 200'000;
    EngineConfig engine;
};

// The outcome of reading the command line: settings to run with, or an exit code and text.
struct SettingsResult
{
    Settings settings;
    int exitCode = -1; // -1: run; 0: --help/--version printed; 2: bad options
    QString output;    // text for stdout (exit 0) or a one-line message for stderr (exit 2)
};

// Where virtual time starts (C-IDS): 2026-01-01T00:00:00Z with a seed, so timestamps repeat;
// otherwise the real time of start-up.
qint64 virtualClockStartMs(const Settings &settings);

// Parses arguments (arguments[0] is the program) and the settings file they name.
SettingsResult parseSettings(const QStringList &arguments);

} // namespace VoiceSim
