// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// voicesim's webhooks checked by independent implementations run with Node.js: signatures by
// the npm standardwebhooks package (C-HTTP), the HAR export by har-validator (issue #4).
// tools/test.sh installs both (tests/node) and sets VOICESIM_REQUIRE_NODE, so CI cannot skip.
#include "harness.h"
#include "receiver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace VoiceSim;
using namespace VoiceSim::Test;

namespace {

const QString kSecret = QStringLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

} // namespace

class TestWebhookInterop : public QObject
{
    Q_OBJECT
private:
    QString node;
    QString scripts = QStringLiteral(VOICESIM_NODE_DIR);
    QTemporaryDir dir;
    std::unique_ptr<Receiver> receiver;
    std::unique_ptr<Harness> h;

    // Runs one of the scripts on a JSON file; its stdout, or a failure.
    QByteArray run(const QString &script, const QByteArray &input, int *exitCode)
    {
        const QString path = dir.filePath(QStringLiteral("input.json"));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return {};
        file.write(input);
        file.close();
        QProcess process;
        process.start(node, {scripts + QLatin1Char('/') + script, path});
        if (!process.waitForFinished(30'000))
            return "node did not finish: " + process.errorString().toUtf8();
        *exitCode = process.exitCode();
        const QByteArray err = process.readAllStandardError();
        if (!err.isEmpty())
            qWarning("%s", err.constData());
        return process.readAllStandardOutput();
    }

private Q_SLOTS:
    void initTestCase()
    {
        const bool required = qEnvironmentVariableIntValue("VOICESIM_REQUIRE_NODE") == 1;
        node = QStandardPaths::findExecutable(QStringLiteral("node"));
        const bool modules = QFileInfo::exists(scripts + QStringLiteral("/node_modules/standardwebhooks"))
            && QFileInfo::exists(scripts + QStringLiteral("/node_modules/har-validator"));
        if (node.isEmpty() || !modules) {
            const QByteArray why = "Node.js or the npm packages of tests/node are missing (run: cd tests/node && npm ci)";
            if (required)
                QFAIL(why.constData());
            QSKIP(why.constData());
        }
    }
    void init()
    {
        receiver = std::make_unique<Receiver>();
        Settings s = Harness::defaultSettings();
        s.webhookUrl = receiver->url();
        s.webhookSecret = kSecret;
        h = std::make_unique<Harness>(s);
        receiver->setClock(&h->clock());
    }
    void cleanup()
    {
        h.reset();
        receiver.reset();
    }

    void signaturesVerifyWithTheStandardWebhooksPackage()
    {
        // Non-ASCII in the body, so the signature covers the exact UTF-8 bytes.
        const QString uuid = h->answeredCall({{QStringLiteral("caller_id"), QStringLiteral("Zoë Ångström")}});
        QCOMPARE(h->pressKeys(uuid, QStringLiteral("1#")).status, 202);
        QCOMPARE(h->advance(1000).status, 200);
        QVERIFY(h->deliveriesIdle());
        const qsizetype genuine = receiver->requests.size();
        QCOMPARE(genuine, 4);
        // And one of each fault a receiver must refuse.
        for (const char *fault : {"bad_signature", "stale_timestamp"}) {
            const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("delivery"), QJsonObject{{QLatin1String(fault), 1}}}}).toJson();
            QCOMPARE(h->api().request("PUT", "/sim/v1/faults", Harness::adminHeaders(), body).status, 200);
            h->newCall();
            QVERIFY(h->deliveriesIdle());
        }
        QCOMPARE(receiver->requests.size(), genuine + 2);

        QJsonArray input;
        for (const Receiver::Request &r : std::as_const(receiver->requests)) {
            QJsonObject headers;
            for (const auto &[name, value] : r.headers)
                headers.insert(QString::fromLatin1(name).toLower(), QString::fromLatin1(value));
            input.append(QJsonObject{{QStringLiteral("secret"), kSecret}, {QStringLiteral("headers"), headers},
                                     {QStringLiteral("body"), QString::fromUtf8(r.body)}});
        }
        int exitCode = -1;
        const QByteArray output = run(QStringLiteral("verify-signatures.js"), QJsonDocument(input).toJson(), &exitCode);
        QCOMPARE(exitCode, 0);
        const QJsonArray results = QJsonDocument::fromJson(output).array();
        QCOMPARE(results.size(), input.size());
        for (qsizetype i = 0; i < genuine; ++i)
            QCOMPARE(results.at(i).toString(), QStringLiteral("ok"));
        QCOMPARE(results.at(genuine).toString(), QStringLiteral("No matching signature found"));
        QCOMPARE(results.at(genuine + 1).toString(), QStringLiteral("Message timestamp too old"));
    }

    void theHarExportValidatesWithHarValidator()
    {
        // Answers of every kind, and attempts that got none.
        receiver->script(Receiver::Action::Answer, Receiver::answer(503, "Retry-After: 1\r\nContent-Type: text/plain\r\n", "busy"));
        receiver->script(Receiver::Action::Reset);
        receiver->script(Receiver::Action::Answer, Receiver::answer(302, "Location: /elsewhere\r\n"));
        const QString uuid = h->answeredCall();
        QCOMPARE(h->pressKeys(uuid, QStringLiteral("9")).status, 202);
        QCOMPARE(h->api().request("PUT", "/sim/v1/faults", Harness::adminHeaders(), "{\"delivery\": {\"drop\": 1}}").status, 200);
        h->newCall();
        QCOMPARE(h->advance(100).status, 200);
        QCOMPARE(h->api().request("PUT", "/sim/v1/faults", Harness::adminHeaders(), "{\"delivery\": {}}").status, 200);
        QCOMPARE(h->advance(5000).status, 200);
        QVERIFY(h->deliveriesIdle());

        const Response har = h->api().request("GET", "/sim/v1/webhooks/export?format=har", Harness::adminHeaders());
        QCOMPARE(har.status, 200);
        const QJsonArray entries = har.json().value(QStringLiteral("log")).toObject().value(QStringLiteral("entries")).toArray();
        QVERIFY2(entries.size() >= 8, qPrintable(QString::number(entries.size())));
        int exitCode = -1;
        const QByteArray output = run(QStringLiteral("validate-har.js"), har.body, &exitCode);
        QVERIFY2(exitCode == 0, output.constData());
        QCOMPARE(output, QByteArray("valid"));

        // The validator is not a rubber stamp: a HAR without its request's method fails.
        QJsonObject broken = har.json();
        QJsonObject log = broken.value(QStringLiteral("log")).toObject();
        QJsonArray changed = log.value(QStringLiteral("entries")).toArray();
        QJsonObject entry = changed.at(0).toObject();
        QJsonObject request = entry.value(QStringLiteral("request")).toObject();
        request.remove(QStringLiteral("method"));
        entry.insert(QStringLiteral("request"), request);
        changed.replace(0, entry);
        log.insert(QStringLiteral("entries"), changed);
        broken.insert(QStringLiteral("log"), log);
        run(QStringLiteral("validate-har.js"), QJsonDocument(broken).toJson(), &exitCode);
        QCOMPARE(exitCode, 1);
    }
};

QTEST_GUILESS_MAIN(TestWebhookInterop)
#include "tst_webhookinterop.moc"
