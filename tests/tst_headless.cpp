// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// The voicesim binary as CI runs it: exit codes of contract §7, the start-up banner, the port
// file, a clean stop on SIGTERM, and reproducible keys with --seed.
#include "rawclient.h"

#include "voicesimprocess.h"

#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace VoiceSim::Test;

class TestHeadless : public QObject
{
    Q_OBJECT
private:
    QString m_binary;
    QTemporaryDir m_dir;

    QStringList base() const
    {
        return {QStringLiteral("--headless"), QStringLiteral("--ephemeral"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")};
    }
    quint16 start(QProcess &process, const QStringList &extra)
    {
        return startVoicesim(process, m_binary, base() + extra, m_dir.filePath(QStringLiteral("port")));
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_binary = qEnvironmentVariable("VOICESIM_BINARY");
        QVERIFY2(!m_binary.isEmpty(), "set VOICESIM_BINARY to the voicesim executable");
        QVERIFY(QFileInfo(m_binary).isExecutable());
        QVERIFY(m_dir.isValid());
    }

    void helpExitsZero()
    {
        QProcess process;
        process.start(m_binary, {QStringLiteral("--help")});
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitCode(), 0);
        QVERIFY(process.readAllStandardOutput().contains("--headless"));
    }

    void badOptionExitsTwoWithOneLine()
    {
        QProcess process;
        process.start(m_binary, {QStringLiteral("--headless"), QStringLiteral("--clock"), QStringLiteral("sideways")});
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitCode(), 2);
        QCOMPARE(process.readAllStandardError(), QByteArray("voicesim: --clock must be real or virtual\n"));
    }

    void portInUseExitsOne()
    {
        QTcpServer blocker;
        QVERIFY(blocker.listen(QHostAddress::LocalHost, 0));
        QProcess process;
        process.start(m_binary, {QStringLiteral("--headless"), QStringLiteral("--ephemeral"), QStringLiteral("--listen"),
                                 QStringLiteral("127.0.0.1:") + QString::number(blocker.serverPort())});
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitCode(), 1);
        const QByteArray err = process.readAllStandardError();
        QVERIFY2(err.startsWith("voicesim: cannot listen on 127.0.0.1:"), err.constData());
        QCOMPARE(err.count('\n'), 1);
    }

    void servesThenStopsCleanlyOnSigterm()
    {
        QProcess process;
        const quint16 port = start(process, {QStringLiteral("--seed"), QStringLiteral("11"), QStringLiteral("--clock"), QStringLiteral("virtual"),
                                             QStringLiteral("--admin-key"), QStringLiteral("given-admin")});
        QVERIFY(port > 0);
        ApiClient api(port);
        const Response health = api.request("GET", "/health");
        QCOMPARE(health.status, 200);
        QCOMPARE(health.json().value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        // C-IDS: with a seed, virtual time starts at a fixed instant.
        const Response clock = api.request("GET", "/sim/v1/clock", {{"X-Admin-API-Key", "given-admin"}});
        QCOMPARE(clock.status, 200);
        QCOMPARE(clock.json().value(QStringLiteral("now")).toString(), QStringLiteral("2026-01-01T00:00:00.000Z"));
        process.terminate(); // SIGTERM
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 0);
    }

    void generatedKeysAreKeptInTheDataFolder()
    {
        const QString dataDir = m_dir.filePath(QStringLiteral("data"));
        const QStringList withData{QStringLiteral("--headless"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                                   QStringLiteral("--data-dir"), dataDir};
        QByteArray banners[3];
        for (int i = 0; i < 3; ++i) {
            QProcess process;
            QStringList args = withData;
            if (i == 2)
                args << QStringLiteral("--admin-key") << QStringLiteral("given-admin-key");
            process.start(m_binary, args);
            QVERIFY(process.waitForStarted(10000));
            while (!banners[i].contains("Clock:") && process.waitForReadyRead(10000))
                banners[i] += process.readAllStandardOutput();
            process.terminate();
            QVERIFY(process.waitForFinished(10000));
            QCOMPARE(process.exitCode(), 0);
        }
        const auto line = [](const QByteArray &banner, const char *label) {
            for (const QByteArray &l : banner.split('\n'))
                if (l.contains(label))
                    return l;
            return QByteArray();
        };
        QVERIFY(!line(banners[0], "API key:").isEmpty());
        QCOMPARE(line(banners[1], "API key:"), line(banners[0], "API key:"));   // a restart keeps the keys
        QCOMPARE(line(banners[1], "Admin key:"), line(banners[0], "Admin key:"));
        QCOMPARE(line(banners[2], "Admin key:"), QByteArray("  Admin key:      given-admin-key")); // given wins
        QCOMPARE(line(banners[2], "API key:"), line(banners[0], "API key:"));
        QCOMPARE(QFileInfo(dataDir + QStringLiteral("/credentials.ini")).permissions() & (QFile::ReadOther | QFile::ReadGroup), QFile::Permissions());
    }

    void bannerShowsUrlAndKeysAndTheSeedRepeatsThem()
    {
        QByteArray banners[2];
        for (QByteArray &banner : banners) {
            QProcess process;
            process.start(m_binary, base() + QStringList{QStringLiteral("--seed"), QStringLiteral("5")});
            QVERIFY(process.waitForStarted(10000));
            while (!banner.contains("Clock:") && process.waitForReadyRead(10000))
                banner += process.readAllStandardOutput();
            process.terminate();
            QVERIFY(process.waitForFinished(10000));
        }
        for (const char *line : {"API base URL:   http://127.0.0.1:", "App id:         demo-app", "API key:        key_", "Admin key:      adm_"})
            QVERIFY2(banners[0].contains(line), line);
        const auto keysOf = [](const QByteArray &banner) {
            QByteArrayList keys;
            for (const QByteArray &line : banner.split('\n')) {
                if (line.contains("key:") || line.contains("secret:"))
                    keys.append(line);
            }
            return keys;
        };
        QCOMPARE(keysOf(banners[0]).size(), 3);
        QCOMPARE(keysOf(banners[0]), keysOf(banners[1]));
    }
};

QTEST_GUILESS_MAIN(TestHeadless)
#include "tst_headless.moc"
