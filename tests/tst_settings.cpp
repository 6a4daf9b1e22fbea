// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// The command line and settings file of contract §7: defaults, precedence, and a clear error
// with exit code 2 for every bad value.
#include <config/credentialstore.h>
#include <config/settings.h>

#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace VoiceSim;

namespace {

SettingsResult parse(const QStringList &args)
{
    return parseSettings(QStringList{QStringLiteral("voicesim")} + args);
}

// Writes a settings file and returns its path (empty if it could not be written).
QString writeSettings(const QTemporaryDir &dir, const QString &name, const QByteArray &content)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(content) != content.size())
        return {};
    return path;
}

} // namespace

class TestSettings : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // never read the developer's own settings file
    }

    void defaultsMatchTheContract()
    {
        const SettingsResult r = parse({});
        QCOMPARE(r.exitCode, -1);
        const Settings &s = r.settings;
        QCOMPARE(s.listenAddress, QHostAddress(QHostAddress::LocalHost));
        QCOMPARE(s.port, quint16(8470));
        QCOMPARE(s.clockMode, Clock::Mode::Real);
        QCOMPARE(s.timeScale, 1.0);
        QCOMPARE(s.appId, QStringLiteral("demo-app"));
        QVERIFY(!s.seed);
        QVERIFY(!s.headless);
        QCOMPARE(s.engine.deferredTimeoutMs, 2000);
        QCOMPARE(s.engine.orphanTimeoutMs, 120'000);
        QCOMPARE(s.engine.disconnectDelayMs, 1000);
        QCOMPARE(s.engine.recordStopGroup, RateGroup::Heavy);
        QCOMPARE(s.answerLatencyMs, 20);
        QVERIFY(s.dataDir.endsWith(QStringLiteral("/voicesim")));
    }

    void optionsAreApplied()
    {
        const SettingsResult r = parse({QStringLiteral("--headless"), QStringLiteral("--listen"), QStringLiteral("[::1]:0"),
                                        QStringLiteral("--clock"), QStringLiteral("virtual"), QStringLiteral("--seed"), QStringLiteral("9"),
                                        QStringLiteral("--node"), QStringLiteral("ab12C"), QStringLiteral("--record-stop-group"), QStringLiteral("seek"),
                                        QStringLiteral("--time-scale"), QStringLiteral("2.5"), QStringLiteral("--ephemeral"),
                                        QStringLiteral("--webhook-url"), QStringLiteral("https://example.test/hook")});
        QCOMPARE(r.exitCode, -1);
        const Settings &s = r.settings;
        QVERIFY(s.headless);
        QCOMPARE(s.listenAddress, QHostAddress(QHostAddress::LocalHostIPv6));
        QCOMPARE(s.port, quint16(0));
        QCOMPARE(s.clockMode, Clock::Mode::Virtual);
        QCOMPARE(*s.seed, 9u);
        QCOMPARE(s.node, QStringLiteral("ab12C"));
        QCOMPARE(s.engine.recordStopGroup, RateGroup::Seek);
        QCOMPARE(s.timeScale, 2.5);
        QVERIFY(s.ephemeral);
        QVERIFY(s.dataDir.isEmpty());
        QCOMPARE(s.webhookUrl, QStringLiteral("https://example.test/hook"));
    }

    void webhookDeliveryOptionsAreApplied()
    {
        const Settings defaults = parse({}).settings;
        QCOMPARE(defaults.webhooks.attemptTimeoutMs, 10'000);
        QCOMPARE(defaults.webhooks.retryPreset, RetryPolicy::Preset::Default);
        QCOMPARE(defaults.webhooks.retryJitter, 0.1);
        QCOMPARE(defaults.webhooks.maxInFlight, 64);
        QVERIFY(defaults.webhooks.wallClockTimestamps);
        QCOMPARE(defaults.webhooks.settleWaitMs, 1000);
        QCOMPARE(defaults.envelope, EnvelopeShape::Default);
        const SettingsResult r = parse({QStringLiteral("--webhook-timeout-ms"), QStringLiteral("2500"), QStringLiteral("--webhook-retry"),
                                        QStringLiteral("standard-webhooks"), QStringLiteral("--webhook-retry-jitter"), QStringLiteral("0"),
                                        QStringLiteral("--webhook-in-flight"), QStringLiteral("8"), QStringLiteral("--webhook-timestamps"),
                                        QStringLiteral("engine"), QStringLiteral("--webhook-settle-ms"), QStringLiteral("0"),
                                        QStringLiteral("--envelope"), QStringLiteral("flat")});
        QCOMPARE(r.exitCode, -1);
        QCOMPARE(r.settings.webhooks.attemptTimeoutMs, 2500);
        QCOMPARE(r.settings.webhooks.retryPreset, RetryPolicy::Preset::Svix);
        QCOMPARE(r.settings.webhooks.retryJitter, 0.0);
        QCOMPARE(r.settings.webhooks.maxInFlight, 8);
        QVERIFY(!r.settings.webhooks.wallClockTimestamps);
        QCOMPARE(r.settings.webhooks.settleWaitMs, 0);
        QCOMPARE(r.settings.envelope, EnvelopeShape::Flat);
        QCOMPARE(parse({QStringLiteral("--webhook-retry"), QStringLiteral("none")}).settings.webhooks.retryPreset, RetryPolicy::Preset::None);
    }

    void badValuesExitWith2AndNameTheOption_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown option") << QStringList{QStringLiteral("--bogus")} << QStringLiteral("Unknown option 'bogus'. (see --help)");
        QTest::newRow("listen") << QStringList{QStringLiteral("--listen"), QStringLiteral("localhost")} << QStringLiteral("--listen must be ADDR:PORT with a numeric address, e.g. 127.0.0.1:8470");
        QTest::newRow("port range") << QStringList{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:70000")} << QStringLiteral("--listen must be ADDR:PORT with a numeric address, e.g. 127.0.0.1:8470");
        QTest::newRow("clock") << QStringList{QStringLiteral("--clock"), QStringLiteral("fast")} << QStringLiteral("--clock must be real or virtual");
        QTest::newRow("time-scale") << QStringList{QStringLiteral("--time-scale"), QStringLiteral("0")} << QStringLiteral("--time-scale must be a number above 0 and at most 1000");
        QTest::newRow("seed") << QStringList{QStringLiteral("--seed"), QStringLiteral("-1")} << QStringLiteral("--seed must be a non-negative integer");
        QTest::newRow("node") << QStringList{QStringLiteral("--node"), QStringLiteral("abc")} << QStringLiteral("--node must be exactly 5 letters or digits");
        QTest::newRow("app-id") << QStringList{QStringLiteral("--app-id"), QStringLiteral("a b")} << QStringLiteral("--app-id must be 1 to 64 letters, digits, '_' or '-'");
        QTest::newRow("webhook-url") << QStringList{QStringLiteral("--webhook-url"), QStringLiteral("ftp:/") + QStringLiteral("/x")} << QStringLiteral("--webhook-url must be an http or https URL");
        QTest::newRow("webhook-secret") << QStringList{QStringLiteral("--webhook-secret"), QStringLiteral("secret")} << QStringLiteral("--webhook-secret must be whsec_ followed by at least 16 base64-encoded bytes");
        QTest::newRow("webhook timeout") << QStringList{QStringLiteral("--webhook-timeout-ms"), QStringLiteral("0")} << QStringLiteral("--webhook-timeout-ms must be an integer from 1 to 600000");
        QTest::newRow("webhook retry") << QStringList{QStringLiteral("--webhook-retry"), QStringLiteral("forever")} << QStringLiteral("--webhook-retry must be default, standard-webhooks, svix or none");
        QTest::newRow("webhook jitter") << QStringList{QStringLiteral("--webhook-retry-jitter"), QStringLiteral("0.9")} << QStringLiteral("--webhook-retry-jitter must be a number from 0 to 0.5");
        QTest::newRow("webhook in-flight") << QStringList{QStringLiteral("--webhook-in-flight"), QStringLiteral("0")} << QStringLiteral("--webhook-in-flight must be an integer from 1 to 10000");
        QTest::newRow("webhook timestamps") << QStringList{QStringLiteral("--webhook-timestamps"), QStringLiteral("local")} << QStringLiteral("--webhook-timestamps must be wall or engine");
        QTest::newRow("webhook settle") << QStringList{QStringLiteral("--webhook-settle-ms"), QStringLiteral("-1")} << QStringLiteral("--webhook-settle-ms must be an integer from 0 to 60000");
        QTest::newRow("envelope") << QStringList{QStringLiteral("--envelope"), QStringLiteral("nested")} << QStringLiteral("--envelope must be default or flat");
        QTest::newRow("orphan") << QStringList{QStringLiteral("--orphan-timeout-ms"), QStringLiteral("0")} << QStringLiteral("--orphan-timeout-ms must be an integer from 1 to 86400000");
        QTest::newRow("record group") << QStringList{QStringLiteral("--record-stop-group"), QStringLiteral("light")} << QStringLiteral("--record-stop-group must be heavy or seek");
        QTest::newRow("media-dir") << QStringList{QStringLiteral("--media-dir"), QStringLiteral("/no/such/dir")} << QStringLiteral("--media-dir is not a folder: /no/such/dir");
        QTest::newRow("positional") << QStringList{QStringLiteral("extra")} << QStringLiteral("Unexpected argument: extra (see --help)");
        QTest::newRow("ephemeral and data-dir") << QStringList{QStringLiteral("--ephemeral"), QStringLiteral("--data-dir"), QStringLiteral("/tmp/x")} << QStringLiteral("--ephemeral and --data-dir exclude each other");
        QTest::newRow("missing config") << QStringList{QStringLiteral("--config"), QStringLiteral("/no/such.ini")} << QStringLiteral("Settings file not found: /no/such.ini");
    }
    void badValuesExitWith2AndNameTheOption()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const SettingsResult r = parse(args);
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.output, message);
    }

    void helpExplainsEveryOption()
    {
        const SettingsResult r = parse({QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        const QStringList options{QStringLiteral("--headless"), QStringLiteral("--listen"), QStringLiteral("--port-file"), QStringLiteral("--clock"),
                                  QStringLiteral("--time-scale"), QStringLiteral("--seed"), QStringLiteral("--data-dir"), QStringLiteral("--ephemeral"),
                                  QStringLiteral("--app-id"), QStringLiteral("--api-key"), QStringLiteral("--admin-key"), QStringLiteral("--webhook-url"),
                                  QStringLiteral("--webhook-secret"), QStringLiteral("--node"), QStringLiteral("--media-dir"), QStringLiteral("--config")};
        for (const QString &option : options)
            QVERIFY2(r.output.contains(option), qPrintable(option));
        QCOMPARE(parse({QStringLiteral("--version")}).output, QStringLiteral("voicesim " VOICESIM_VERSION "\n"));
    }

    void fileSetsValuesAndTheCommandLineWins()
    {
        QTemporaryDir dir;
        const QString path = writeSettings(dir, QStringLiteral("voicesim.ini"), "clock=virtual\nseed=5\napp-id=from-file\nheadless=true\n");
        QVERIFY(!path.isEmpty());
        const SettingsResult fromFile = parse({QStringLiteral("--config"), path});
        QCOMPARE(fromFile.exitCode, -1);
        QCOMPARE(fromFile.settings.clockMode, Clock::Mode::Virtual);
        QCOMPARE(*fromFile.settings.seed, 5u);
        QCOMPARE(fromFile.settings.appId, QStringLiteral("from-file"));
        QVERIFY(fromFile.settings.headless);
        const SettingsResult overridden = parse({QStringLiteral("--config"), path, QStringLiteral("--clock"), QStringLiteral("real")});
        QCOMPARE(overridden.settings.clockMode, Clock::Mode::Real);
        QCOMPARE(overridden.settings.appId, QStringLiteral("from-file"));
    }

    void credentialsAreKeptOnlyForARealDataFolder()
    {
        Settings s;
        s.dataDir = QStringLiteral("/tmp/x");
        QVERIFY(CredentialStore::appliesTo(s));
        s.seed = 1;
        QVERIFY(!CredentialStore::appliesTo(s)); // a seed already reproduces them
        s.seed.reset();
        s.ephemeral = true;
        QVERIFY(!CredentialStore::appliesTo(s));
    }

    void storedCredentialsFillOnlyWhatIsNotGiven()
    {
        QTemporaryDir dir;
        CredentialStore store(dir.filePath(QStringLiteral("nested/data")));
        QVERIFY(store.save(QStringLiteral("k1"), QStringLiteral("a1"), QStringLiteral("whsec_s1"), QStringLiteral("node1")));
        Settings s;
        s.adminKey = QStringLiteral("given");
        store.load(s);
        QCOMPARE(s.apiKey, QStringLiteral("k1"));
        QCOMPARE(s.adminKey, QStringLiteral("given"));
        QCOMPARE(s.webhookSecret, QStringLiteral("whsec_s1"));
        QCOMPARE(s.node, QStringLiteral("node1"));
    }

    void fileErrorsNameTheFileAndKey()
    {
        QTemporaryDir dir;
        const QString path = writeSettings(dir, QStringLiteral("bad.ini"), "colck=virtual\n");
        QVERIFY(!path.isEmpty());
        const SettingsResult unknown = parse({QStringLiteral("--config"), path});
        QCOMPARE(unknown.exitCode, 2);
        QCOMPARE(unknown.output, QStringLiteral("Unknown key in ") + path + QStringLiteral(": colck"));

        QCOMPARE(writeSettings(dir, QStringLiteral("bad.ini"), "clock=fast\n"), path);
        const SettingsResult bad = parse({QStringLiteral("--config"), path});
        QCOMPARE(bad.exitCode, 2);
        QCOMPARE(bad.output, path + QStringLiteral(": --clock must be real or virtual"));
    }
};

QTEST_GUILESS_MAIN(TestSettings)
#include "tst_settings.moc"
