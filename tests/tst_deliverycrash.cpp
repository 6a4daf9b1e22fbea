// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// C-DURABLE with a real kill: the headless binary delivers a burst of 10,000 events over 100
// sessions, is killed with SIGKILL mid-burst and restarted on the same data dir. The receiver
// must end with every event, each session's sequence complete and in order, and duplicates
// only of an attempt that was under way at the kill.
#include "rawclient.h"
#include "receiver.h"
#include "voicesimprocess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace VoiceSim::Test;

namespace {

constexpr int kSessions = 100;
constexpr int kDigits = 98; // + call.new and call.answered: 100 events per session
constexpr int kInFlight = 64;
const QByteArray kAdminKey = "crash-admin-key";

} // namespace

class TestDeliveryCrash : public QObject
{
    Q_OBJECT
private:
    QString m_binary;
    QTemporaryDir m_dir;

    quint16 start(QProcess &process, const QString &webhookUrl)
    {
        process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        return startVoicesim(process, m_binary,
                             {QStringLiteral("--headless"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                              QStringLiteral("--clock"), QStringLiteral("virtual"), QStringLiteral("--data-dir"), m_dir.filePath(QStringLiteral("data")),
                              QStringLiteral("--admin-key"), QString::fromLatin1(kAdminKey), QStringLiteral("--webhook-url"), webhookUrl,
                              QStringLiteral("--webhook-in-flight"), QString::number(kInFlight),
                              // Time does not wait for answers: the whole burst is published at once;
                              // and no attempt may time out in the virtual seconds that takes.
                              QStringLiteral("--webhook-settle-ms"), QStringLiteral("0"),
                              QStringLiteral("--webhook-timeout-ms"), QStringLiteral("600000")},
                             m_dir.filePath(QStringLiteral("port")));
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_binary = qEnvironmentVariable("VOICESIM_BINARY");
        QVERIFY2(!m_binary.isEmpty(), "set VOICESIM_BINARY to the voicesim executable");
        QVERIFY(m_dir.isValid());
    }

    void aKillMidBurstLosesNothingAndKeepsEachSessionInOrder()
    {
        struct Arrival
        {
            QString session;
            int sequence = 0;
            bool firstRun = true;
        };
        QList<Arrival> arrivals;
        QHash<QString, QSet<int>> seen; // distinct sequences per session
        qsizetype distinct = 0;
        Receiver receiver;
        receiver.onRequest = [&](const Receiver::Request &r) {
            const QJsonObject body = r.json();
            const Arrival a{body.value(QStringLiteral("session_uuid")).toString(), body.value(QStringLiteral("sequence")).toInt(),
                            r.target == "/hooks/run1"};
            arrivals.append(a);
            QSet<int> &sequences = seen[a.session];
            if (!sequences.contains(a.sequence)) {
                sequences.insert(a.sequence);
                ++distinct;
            }
        };
        const qsizetype total = kSessions * (kDigits + 2);

        // Run 1: 100 answered calls, each pressing 98 keys.
        QProcess first;
        const quint16 port = start(first, receiver.url(QStringLiteral("/hooks/run1")));
        QVERIFY(port != 0);
        ApiClient api(port);
        const ApiClient::Headers admin{{"X-Admin-API-Key", kAdminKey}};
        QStringList sessions;
        for (int i = 0; i < kSessions; ++i) {
            const Response call = api.post("/sim/v1/calls", admin, {{QStringLiteral("auto_answer"), true}});
            QCOMPARE(call.status, 201);
            sessions << call.json().value(QStringLiteral("session_uuid")).toString();
        }
        QCOMPARE(api.post("/sim/v1/clock/advance", admin, {{QStringLiteral("ms"), 100}}).status, 200);
        QString keys;
        for (int i = 0; i < kDigits; ++i)
            keys += QStringLiteral("0123456789*#ABCD").at(i % 16);
        for (const QString &uuid : std::as_const(sessions)) {
            const Response pressed = api.post("/sim/v1/calls/" + uuid.toUtf8() + "/dtmf", admin,
                                              {{QStringLiteral("digits"), keys}, {QStringLiteral("duration_ms"), 40}, {QStringLiteral("gap_ms"), 40}});
            QCOMPARE(pressed.status, 202);
        }
        // One advance publishes the 9,800 key events; deliveries drain behind it.
        api.setTimeout(60'000); // slow builds (ASan) take seconds for it
        QElapsedTimer advancing;
        advancing.start();
        const Response advanced = api.post("/sim/v1/clock/advance", admin, {{QStringLiteral("ms"), 8000}});
        QCOMPARE(advanced.status, 200);
        const qsizetype atAdvance = receiver.requests.size();
        qInfo("the advance took %lld ms", static_cast<long long>(advancing.elapsed()));
        // Mid-burst, and well after the burst was published (so it was journaled: the first
        // answer after publication flushes the journal before anything more is sent).
        QVERIFY(receiver.waitForRequests(std::max<qsizetype>(3000, atAdvance + 500), 60'000));
        first.kill(); // SIGKILL
        QVERIFY(first.waitForFinished(10000));
        QCOMPARE(first.exitStatus(), QProcess::CrashExit);
        const qsizetype beforeKill = arrivals.size();
        qInfo("received %lld of %lld before the kill (%lld when the burst was published)", static_cast<long long>(beforeKill),
              static_cast<long long>(total), static_cast<long long>(atAdvance));
        QVERIFY2(beforeKill < total, "the kill came after the burst was delivered; nothing was tested");

        // Run 2: the same data dir; the journal resumes what was left.
        QProcess second;
        QVERIFY(start(second, receiver.url(QStringLiteral("/hooks/run2"))) != 0);
        QEventLoop loop;
        connect(&receiver, &Receiver::received, &loop, [&] {
            if (distinct >= total)
                loop.quit();
        });
        QTimer::singleShot(60'000, &loop, &QEventLoop::quit);
        if (distinct < total)
            loop.exec();
        second.terminate();
        QVERIFY(second.waitForFinished(10000));
        QCOMPARE(second.exitCode(), 0);

        // Every event of every session, exactly the sessions of run 1.
        QCOMPARE(distinct, total);
        QCOMPARE(seen.size(), kSessions);
        for (const QString &uuid : std::as_const(sessions)) {
            QSet<int> expected;
            for (int n = 1; n <= kDigits + 2; ++n)
                expected.insert(n);
            QCOMPARE(seen.value(uuid), expected);
        }
        // In order per session, in each run: run 1 sent 1..k, run 2 resumed at k + 1, or at k
        // when k's answer had not been journaled before the kill (the only repeat allowed).
        // The runs post to different paths, so a request still buffered here at the kill counts
        // for the run that sent it.
        QHash<QString, QList<int>> run1, run2;
        for (const Arrival &a : std::as_const(arrivals))
            (a.firstRun ? run1 : run2)[a.session].append(a.sequence);
        int duplicates = 0;
        for (const QString &uuid : std::as_const(sessions)) {
            const QList<int> one = run1.value(uuid), two = run2.value(uuid);
            for (qsizetype i = 0; i < one.size(); ++i)
                QVERIFY2(one.at(i) == i + 1, qPrintable(uuid + QStringLiteral(": run 1 out of order")));
            for (qsizetype i = 1; i < two.size(); ++i)
                QVERIFY2(two.at(i) == two.at(i - 1) + 1, qPrintable(uuid + QStringLiteral(": run 2 out of order")));
            const int last = int(one.size());
            if (!two.isEmpty()) {
                QVERIFY2(two.first() == last || two.first() == last + 1,
                         qPrintable(uuid + QStringLiteral(": run 1 ended at ") + QString::number(last) + QStringLiteral(", run 2 began at ")
                                    + QString::number(two.first())));
                duplicates += two.first() == last ? 1 : 0;
            }
        }
        // Each repeat was under way at the kill: sent, and its answer not yet on record. There is
        // at most one per session (checked above), so at most one per stream in the journal.
        qInfo("%d duplicates after the restart", duplicates);
        QVERIFY(duplicates <= kSessions);
        QCOMPARE(arrivals.size(), total + duplicates);
    }
};

QTEST_GUILESS_MAIN(TestDeliveryCrash)
#include "tst_deliverycrash.moc"
