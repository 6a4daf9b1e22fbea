// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "runtime.h"
#include "signalwatcher.h"

#include <config/credentialstore.h>
#include <config/settings.h>

#include <QCoreApplication>
#include <QTextStream>

#ifdef VOICESIM_HAS_GUI
#include "gui/mainwindow.h"
#include <audio/qtaudiobackend.h>
#include <QApplication>
#include <QIcon>
#include <QSettings>
#endif

#include <cstdio>
#include <memory>
#include <optional>

namespace {

QStringList rawArguments(int argc, char **argv)
{
    QStringList out;
    for (int i = 0; i < argc; ++i)
        out.append(QString::fromLocal8Bit(argv[i]));
    return out;
}

int fail(int code, const QString &message)
{
    std::fprintf(stderr, "voicesim: %s\n", qPrintable(message));
    return code;
}

} // namespace

int main(int argc, char **argv)
{
    // Qt's own poll-based event dispatcher serves HTTP about 40 % faster here than the glib
    // one (bench/answer); QT_NO_GLIB=0 in the environment brings glib back.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication::setApplicationName(QStringLiteral("voicesim"));
    QCoreApplication::setApplicationVersion(QStringLiteral(VOICESIM_VERSION));

    const VoiceSim::SettingsResult parsed = VoiceSim::parseSettings(rawArguments(argc, argv));
    if (parsed.exitCode == 0) {
        std::fputs(qPrintable(parsed.output), stdout);
        return 0;
    }
    if (parsed.exitCode > 0)
        return fail(parsed.exitCode, parsed.output);
    VoiceSim::Settings settings = parsed.settings;
    std::optional<VoiceSim::CredentialStore> credentials;
    if (VoiceSim::CredentialStore::appliesTo(settings)) {
        credentials.emplace(settings.dataDir);
        credentials->load(settings);
    }

    std::unique_ptr<QCoreApplication> app;
#ifdef VOICESIM_HAS_GUI
    if (settings.headless)
        app = std::make_unique<QCoreApplication>(argc, argv);
    else
        app = std::make_unique<QApplication>(argc, argv);
#else
    if (!settings.headless)
        return fail(2, QStringLiteral("this build has no desktop app (VOICESIM_BUILD_GUI=OFF); run with --headless"));
    app = std::make_unique<QCoreApplication>(argc, argv);
#endif

    // Before anything is printed: whoever reads the banner may stop us right away.
    SignalWatcher signals;
    QObject::connect(&signals, &SignalWatcher::stopRequested, app.get(), [&app](int) { app->quit(); });

    Runtime runtime(settings);
    if (!runtime.service().start())
        return fail(1, runtime.service().errorString());
    if (credentials) {
        const VoiceSim::VoiceSimService &service = runtime.service();
        if (!credentials->save(service.defaultApp().apiKey, service.adminKey(), service.defaultApp().webhookSecret,
                               service.nodeHash()))
            std::fprintf(stderr, "voicesim: warning: %s; keys will change on the next start\n",
                         qPrintable(credentials->errorString()));
    }

    QTextStream out(stdout);
    out << runtime.service().startupBanner();
    out.flush();

#ifdef VOICESIM_HAS_GUI
    std::unique_ptr<VoiceSim::AudioBackend> audio;
    std::unique_ptr<QSettings> desktop;
    std::unique_ptr<VoiceSim::MainWindow> window;
    if (!settings.headless) {
        QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/voicesim.svg")));
        QApplication::setDesktopFileName(QStringLiteral("org.voicesim.voicesim"));
        // VOICESIM_AUDIO=none runs without sound devices even where there are some.
        if (qEnvironmentVariable("VOICESIM_AUDIO") == QLatin1String("none"))
            audio = std::make_unique<VoiceSim::NullAudioBackend>();
        else
            audio = std::make_unique<VoiceSim::QtAudioBackend>();
        desktop = std::make_unique<QSettings>(QSettings::IniFormat, QSettings::UserScope, QStringLiteral("voicesim"),
                                              QStringLiteral("desktop"));
        window = std::make_unique<VoiceSim::MainWindow>(VoiceSim::MainWindow::Parts{
            runtime.service(), runtime.media(), runtime.wallClock(), *audio, *desktop, settings});
        window->show();
    }
#endif
    return app->exec();
}
