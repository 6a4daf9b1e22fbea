// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// Webhook delivery end to end (contract §5): a whole voicesim on a virtual clock posting to a
// scripted receiver. Signed requests (C-HTTP), the exact retry schedule in virtual time and
// dead letters (C-RETRY), FIFO per stream with other streams flowing (C-FIFO), resumption from
// the journal (C-DURABLE), and an attempt log that matches the receiver request for request
// (C-LOG).
#include "harness.h"
#include "receiver.h"

#include <webhooks/deliveryjournal.h>
#include <webhooks/webhooksigner.h>

#include <QDateTime>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace VoiceSim;
using namespace VoiceSim::Test;

namespace {

const QString kSecret = QStringLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

QStringList field(const QList<Receiver::Request> &requests, const char *name)
{
    QStringList out;
    for (const Receiver::Request &r : requests)
        out << r.json().value(QLatin1String(name)).toVariant().toString();
    return out;
}

QList<Receiver::Request> withId(const QList<Receiver::Request> &requests, const QByteArray &id)
{
    QList<Receiver::Request> out;
    for (const Receiver::Request &r : requests)
        if (r.header("webhook-id") == id)
            out << r;
    return out;
}

QList<qint64> arrivals(const QList<Receiver::Request> &requests)
{
    QList<qint64> out;
    for (const Receiver::Request &r : requests)
        out << r.atMs;
    return out;
}

} // namespace

class TestWebhookDelivery : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<Receiver> receiver;
    std::unique_ptr<Harness> h;

    Settings settings()
    {
        Settings s = Harness::defaultSettings();
        s.webhookUrl = receiver->url();
        s.webhookSecret = kSecret;
        s.webhooks.retryJitter = 0; // the exact schedule; jitter has its own test
        return s;
    }
    // The settings with the journal in dir rather than in memory.
    Settings onDisk(const QTemporaryDir &dir)
    {
        Settings s = settings();
        s.ephemeral = false;
        s.dataDir = dir.path();
        return s;
    }
    void start(const Settings &s)
    {
        h.reset();
        h = std::make_unique<Harness>(s);
        receiver->setClock(&h->clock());
    }
    QJsonArray attempts(const QString &id) { return h->webhook(id).value(QStringLiteral("attempts")).toArray(); }
    QString firstId(const QString &uuid)
    {
        return h->webhooks("session_uuid=" + uuid.toUtf8()).at(0).toObject().value(QStringLiteral("id")).toString();
    }

private Q_SLOTS:
    void init()
    {
        receiver = std::make_unique<Receiver>();
        start(settings());
    }
    void cleanup()
    {
        h.reset();
        receiver.reset();
    }

    void eventsArePostedInOrderWithStandardWebhooksHeaders()
    {
        const QString uuid = h->answeredCall();
        QVERIFY(h->deliveriesIdle());
        QCOMPARE(receiver->requests.size(), 2);
        QCOMPARE(field(receiver->requests, "event"), (QStringList{QStringLiteral("call.new"), QStringLiteral("call.answered")}));
        const QJsonArray published = h->events(uuid);
        const QJsonArray log = h->webhooks("session_uuid=" + uuid.toUtf8());
        QCOMPARE(log.size(), 2);
        const std::optional<WebhookSigner> signer = WebhookSigner::fromSecret(kSecret);
        QVERIFY(signer);
        for (int i = 0; i < 2; ++i) {
            const Receiver::Request &r = receiver->requests.at(i);
            QCOMPARE(r.method, QByteArray("POST"));
            QCOMPARE(r.target, QByteArray("/hooks"));
            QCOMPARE(r.header("Content-Type"), QByteArray("application/json"));
            QCOMPARE(r.header("User-Agent"), QByteArray("voicesim/" VOICESIM_VERSION));
            // The body is exactly what the events API shows (C-ENVELOPE).
            QCOMPARE(r.json(), published.at(i).toObject());
            // webhook-id is the journal's id of that event; the timestamp is now, in wall time.
            QCOMPARE(r.header("webhook-id"), log.at(i).toObject().value(QStringLiteral("id")).toString().toUtf8());
            const qint64 timestamp = r.header("webhook-timestamp").toLongLong();
            QVERIFY(qAbs(timestamp - QDateTime::currentSecsSinceEpoch()) <= 5);
            QCOMPARE(r.header("webhook-signature"), signer->signature(r.header("webhook-id"), timestamp, r.body));
            QCOMPARE(log.at(i).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("delivered"));
            QCOMPARE(log.at(i).toObject().value(QStringLiteral("attempt_count")).toInt(), 1);
            QCOMPARE(log.at(i).toObject().value(QStringLiteral("last_status_code")).toInt(), 200);
        }
    }

    void failuresAreRetriedOnTheExactScheduleThenDeadLettered()
    {
        receiver->respond = [](const Receiver::Request &) { return Receiver::Step{Receiver::Action::Answer, Receiver::answer(500, {}, "down"), 0}; };
        const QString uuid = h->newCall(); // call.new at t = 0, nothing else until the orphan timeout
        const QString id = firstId(uuid);
        QCOMPARE(h->advance(119'000).status, 200);
        // C-RETRY: 0.5, 1, 2, 4, 8, 16, 32 s after each failure ...
        QCOMPARE(arrivals(withId(receiver->requests, id.toUtf8())), (QList<qint64>{0, 500, 1500, 3500, 7500, 15500, 31500, 63500}));
        QCOMPARE(h->webhook(id).value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
        QCOMPARE(h->webhook(id).value(QStringLiteral("next_attempt_at")).toString(),
                 QDateTime::fromMSecsSinceEpoch(h->clock().startEpochMs() + 123'500, Qt::UTC).toString(Qt::ISODateWithMs));
        // ... then 60 s, the eighth and last retry, after which the event is a dead letter.
        QCOMPARE(h->advance(60'000).status, 200);
        const QList<Receiver::Request> all = withId(receiver->requests, id.toUtf8());
        QCOMPARE(all.size(), 9);
        QCOMPARE(all.last().atMs, 123'500);
        const QJsonObject dead = h->webhook(id);
        QCOMPARE(dead.value(QStringLiteral("status")).toString(), QStringLiteral("dead"));
        QCOMPARE(dead.value(QStringLiteral("attempt_count")).toInt(), 9);
        QCOMPARE(dead.value(QStringLiteral("last_status_code")).toInt(), 500);
        QCOMPARE(dead.value(QStringLiteral("next_attempt_at")), QJsonValue());
        QCOMPARE(attempts(id).size(), 9);
        for (const QJsonValue &a : attempts(id)) {
            QCOMPARE(a.toObject().value(QStringLiteral("status_code")).toInt(), 500);
            QCOMPARE(a.toObject().value(QStringLiteral("response_body")).toString(), QStringLiteral("down"));
        }
        // Every webhook-id was the same; nothing more is tried.
        QCOMPARE(h->advance(600'000).status, 200);
        QCOMPARE(withId(receiver->requests, id.toUtf8()).size(), 9);
    }

    void jitterSpreadsEachWaitByAtMostTenPercent()
    {
        Settings s = settings();
        s.webhooks.retryJitter = 0.1;
        start(s);
        receiver->respond = [](const Receiver::Request &) { return Receiver::Step{Receiver::Action::Answer, Receiver::answer(503), 0}; };
        const QString id = firstId(h->newCall());
        QCOMPARE(h->advance(115'000).status, 200);
        const QList<qint64> at = arrivals(withId(receiver->requests, id.toUtf8()));
        QCOMPARE(at.size(), 8);
        const QList<qint64> schedule{500, 1000, 2000, 4000, 8000, 16000, 32000};
        bool anyMoved = false;
        for (int i = 0; i < schedule.size(); ++i) {
            const qint64 wait = at.at(i + 1) - at.at(i);
            QVERIFY2(wait >= schedule.at(i) * 9 / 10 && wait <= schedule.at(i) * 11 / 10, qPrintable(QString::number(wait)));
            anyMoved = anyMoved || wait != schedule.at(i);
        }
        QVERIFY(anyMoved);
    }

    void retryAfterOn429IsHonouredExactly()
    {
        receiver->script(Receiver::Action::Answer, Receiver::answer(429, "Retry-After: 3\r\n"));
        const QString id = firstId(h->newCall());
        QCOMPARE(h->advance(10'000).status, 200);
        QCOMPARE(arrivals(withId(receiver->requests, id.toUtf8())), (QList<qint64>{0, 3000}));
        QCOMPARE(h->webhook(id).value(QStringLiteral("status")).toString(), QStringLiteral("delivered"));
        const QJsonArray log = attempts(id);
        QCOMPARE(log.at(0).toObject().value(QStringLiteral("status_code")).toInt(), 429);
        QCOMPARE(log.at(0).toObject().value(QStringLiteral("response_headers")).toObject().value(QStringLiteral("Retry-After")).toString(),
                 QStringLiteral("3"));
        QCOMPARE(log.at(1).toObject().value(QStringLiteral("status_code")).toInt(), 200);
    }

    void redirectsAndClientErrorsAreFailuresToo()
    {
        receiver->script(Receiver::Action::Answer, Receiver::answer(302, "Location: http://127.0.0.1:1/elsewhere\r\n"));
        receiver->script(Receiver::Action::Answer, Receiver::answer(400, {}, "bad"));
        const QString id = firstId(h->newCall());
        QCOMPARE(h->advance(2000).status, 200);
        QCOMPARE(arrivals(withId(receiver->requests, id.toUtf8())), (QList<qint64>{0, 500, 1500}));
        QCOMPARE(receiver->requests.size(), 3); // the redirect was not followed
        QCOMPARE(h->webhook(id).value(QStringLiteral("status")).toString(), QStringLiteral("delivered"));
    }

    void aHangingReceiverTimesOutInVirtualTime()
    {
        Settings s = settings();
        s.webhooks.settleWaitMs = 50; // how long time waits for the hanging answer (wall ms), once
        start(s);
        receiver->script(Receiver::Action::Hang);
        const QString id = firstId(h->newCall());
        QCOMPARE(h->advance(9999).status, 200);
        QCOMPARE(withId(receiver->requests, id.toUtf8()).size(), 1);
        QCOMPARE(h->webhook(id).value(QStringLiteral("attempt_count")).toInt(), 0); // still on the wire
        QCOMPARE(h->advance(1).status, 200);                                       // 10 s: the attempt timeout (C-HTTP)
        QCOMPARE(h->webhook(id).value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
        const QJsonObject first = attempts(id).at(0).toObject();
        QCOMPARE(first.value(QStringLiteral("status_code")), QJsonValue());
        QCOMPARE(first.value(QStringLiteral("error")).toString(), QStringLiteral("no response within 10000 ms"));
        QCOMPARE(h->advance(500).status, 200);
        QCOMPARE(arrivals(withId(receiver->requests, id.toUtf8())), (QList<qint64>{0, 10'500}));
        QCOMPARE(h->webhook(id).value(QStringLiteral("status")).toString(), QStringLiteral("delivered"));
    }

    void aResetConnectionIsRetried()
    {
        receiver->script(Receiver::Action::Reset);
        const QString id = firstId(h->newCall());
        QCOMPARE(h->advance(600).status, 200);
        QCOMPARE(arrivals(withId(receiver->requests, id.toUtf8())), (QList<qint64>{0, 500}));
        const QJsonArray log = attempts(id);
        QCOMPARE(log.size(), 2);
        QCOMPARE(log.at(0).toObject().value(QStringLiteral("status_code")), QJsonValue());
        QVERIFY(!log.at(0).toObject().value(QStringLiteral("error")).toString().isEmpty());
        QCOMPARE(h->webhook(id).value(QStringLiteral("status")).toString(), QStringLiteral("delivered"));
    }

    void aSlowAnswerWithinTheTimeoutIsASuccess()
    {
        receiver->script(Receiver::Action::Slow, Receiver::answer(204), 150);
        const QString id = firstId(h->newCall());
        QVERIFY(h->deliveriesIdle());
        QCOMPARE(h->webhook(id).value(QStringLiteral("status")).toString(), QStringLiteral("delivered"));
        const QJsonArray log = attempts(id);
        QCOMPARE(log.size(), 1);
        QCOMPARE(log.at(0).toObject().value(QStringLiteral("status_code")).toInt(), 204);
        QVERIFY(log.at(0).toObject().value(QStringLiteral("latency_ms")).toInteger() >= 150);
    }

    void aStreamWaitsForItsHeadWhileOtherStreamsFlow()
    {
        const QString blocked = h->answeredCall();
        const QString flowing = h->answeredCall();
        QVERIFY(h->deliveriesIdle());
        receiver->requests.clear();
        // From now on the first call's events fail three times each; the second call's pass.
        QHash<QByteArray, int> failures;
        receiver->respond = [&](const Receiver::Request &r) {
            if (r.json().value(QStringLiteral("session_uuid")).toString() == blocked && failures[r.header("webhook-id")]++ < 3)
                return Receiver::Step{Receiver::Action::Answer, Receiver::answer(500), 0};
            return Receiver::Step{Receiver::Action::Answer, Receiver::answer(200), 0};
        };
        QCOMPARE(h->pressKeys(blocked, QStringLiteral("12")).status, 202);
        QCOMPARE(h->pressKeys(flowing, QStringLiteral("345")).status, 202);
        QCOMPARE(h->advance(1000).status, 200); // every key has ended: 5 dtmf events
        // The flowing call got all three while the blocked one is still on its first digit.
        QStringList flowingDigits, blockedDigits;
        for (const Receiver::Request &r : std::as_const(receiver->requests)) {
            const QString digit = eventData(r.json()).value(QStringLiteral("digit")).toString();
            (r.json().value(QStringLiteral("session_uuid")).toString() == blocked ? blockedDigits : flowingDigits) << digit;
        }
        QCOMPARE(flowingDigits, (QStringList{QStringLiteral("3"), QStringLiteral("4"), QStringLiteral("5")}));
        blockedDigits.removeDuplicates();
        QCOMPARE(blockedDigits, QStringList{QStringLiteral("1")}); // C-FIFO: "2" waits behind "1"
        QCOMPARE(h->advance(10'000).status, 200);
        blockedDigits.clear();
        for (const Receiver::Request &r : std::as_const(receiver->requests))
            if (r.json().value(QStringLiteral("session_uuid")).toString() == blocked)
                blockedDigits << eventData(r.json()).value(QStringLiteral("digit")).toString();
        // Each digit failed three times, then passed; "2" was first sent after "1" was delivered.
        QCOMPARE(blockedDigits, (QStringList{QStringLiteral("1"), QStringLiteral("1"), QStringLiteral("1"), QStringLiteral("1"),
                                             QStringLiteral("2"), QStringLiteral("2"), QStringLiteral("2"), QStringLiteral("2")}));
    }

    void aDeadLetterHoldsItsStreamOnlyForItsRetries()
    {
        Settings s = settings();
        s.webhooks.retryPreset = RetryPolicy::Preset::None;
        start(s);
        receiver->script(Receiver::Action::Answer, Receiver::answer(500));
        const QString uuid = h->answeredCall();
        QVERIFY(h->deliveriesIdle());
        QCOMPARE(field(receiver->requests, "event"), (QStringList{QStringLiteral("call.new"), QStringLiteral("call.answered")}));
        const QJsonArray log = h->webhooks("session_uuid=" + uuid.toUtf8());
        QCOMPARE(log.at(0).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("dead"));
        QCOMPARE(log.at(1).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("delivered"));
        QCOMPARE(h->webhooks("status=dead").size(), 1);
    }

    void redeliveryIsANewAttemptWithTheSameId()
    {
        Settings s = settings();
        s.webhooks.retryPreset = RetryPolicy::Preset::None;
        start(s);
        receiver->script(Receiver::Action::Answer, Receiver::answer(503));
        const QString id = firstId(h->newCall());
        QVERIFY(h->deliveriesIdle());
        QCOMPARE(h->webhook(id).value(QStringLiteral("status")).toString(), QStringLiteral("dead"));

        const Response r = h->api().post("/sim/v1/webhooks/" + id.toUtf8() + "/redeliver", Harness::adminHeaders());
        QCOMPARE(r.status, 202);
        QCOMPARE(r.json(), (QJsonObject{{QStringLiteral("success"), true}, {QStringLiteral("id"), id}}));
        QVERIFY(h->deliveriesIdle());
        const QList<Receiver::Request> sent = withId(receiver->requests, id.toUtf8());
        QCOMPARE(sent.size(), 2);
        QCOMPARE(sent.at(1).body, sent.at(0).body);
        const QJsonObject after = h->webhook(id);
        QCOMPARE(after.value(QStringLiteral("status")).toString(), QStringLiteral("delivered"));
        QCOMPARE(after.value(QStringLiteral("attempt_count")).toInt(), 2);
        QCOMPARE(attempts(id).size(), 2);

        const Response missing = h->api().post("/sim/v1/webhooks/evt_nope/redeliver", Harness::adminHeaders());
        QCOMPARE(missing.status, 404);
        QCOMPARE(missing.error(), QStringLiteral("Webhook not found"));
    }

    void redeliveringAnEventStillUnderWayIsAConflict()
    {
        receiver->script(Receiver::Action::Answer, Receiver::answer(500));
        const QString id = firstId(h->newCall());
        QCOMPARE(h->advance(100).status, 200); // failed once, waiting for its retry
        const Response r = h->api().post("/sim/v1/webhooks/" + id.toUtf8() + "/redeliver", Harness::adminHeaders());
        QCOMPARE(r.status, 409);
        QCOMPARE(r.error(), QStringLiteral("Webhook is still being delivered; redeliver it once it is delivered or dead"));
    }

    void theAttemptLogMatchesTheReceiverRequestForRequest()
    {
        receiver->script(Receiver::Action::Answer, Receiver::answer(500, "X-Why: busy\r\n", "try later"));
        receiver->script(Receiver::Action::Reset);
        const QString uuid = h->answeredCall();
        QCOMPARE(h->advance(5000).status, 200);
        QVERIFY(h->deliveriesIdle());
        // Walk the log in order and the receiver's requests in order: one for one.
        QList<QJsonObject> logged;
        for (const QJsonValue &w : h->webhooks("session_uuid=" + uuid.toUtf8()))
            for (const QJsonValue &a : attempts(w.toObject().value(QStringLiteral("id")).toString()))
                logged << a.toObject();
        QCOMPARE(logged.size(), receiver->requests.size());
        QCOMPARE(logged.size(), 4); // call.new three times (500, reset, 200), call.answered once
        for (int i = 0; i < logged.size(); ++i) {
            const Receiver::Request &seen = receiver->requests.at(i);
            const QJsonObject headers = logged.at(i).value(QStringLiteral("request_headers")).toObject();
            QCOMPARE(headers.size(), seen.headers.size());
            for (const auto &[name, value] : seen.headers)
                QCOMPARE(headers.value(QString::fromLatin1(name)).toString(), QString::fromLatin1(value));
            QCOMPARE(logged.at(i).value(QStringLiteral("url")).toString(), receiver->url());
        }
        QCOMPARE(logged.at(0).value(QStringLiteral("status_code")).toInt(), 500);
        QCOMPARE(logged.at(0).value(QStringLiteral("response_headers")).toObject().value(QStringLiteral("X-Why")).toString(), QStringLiteral("busy"));
        QCOMPARE(logged.at(0).value(QStringLiteral("response_body")).toString(), QStringLiteral("try later"));
        QCOMPARE(logged.at(1).value(QStringLiteral("status_code")), QJsonValue());
        QCOMPARE(logged.at(2).value(QStringLiteral("status_code")).toInt(), 200);
        // The timestamp differs per attempt, the id never does (C-HTTP).
        QCOMPARE(receiver->requests.at(0).header("webhook-id"), receiver->requests.at(2).header("webhook-id"));
    }

    void appsWithoutAWebhookUrlKeepTheirEventsAsDeadLetters()
    {
        QCOMPARE(h->api().post("/admin/apps/demo-app", Harness::adminHeaders(), {{QStringLiteral("webhook_url"), QJsonValue()}}).status, 200);
        const QString uuid = h->newCall();
        QVERIFY(h->deliveriesIdle());
        QCOMPARE(receiver->requests.size(), 0);
        const QJsonArray log = h->webhooks("session_uuid=" + uuid.toUtf8());
        QCOMPARE(log.size(), 1);
        QCOMPARE(log.at(0).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("dead"));
        QCOMPARE(log.at(0).toObject().value(QStringLiteral("attempt_count")).toInt(), 0);
        const QString id = log.at(0).toObject().value(QStringLiteral("id")).toString();
        const Response noUrl = h->api().post("/sim/v1/webhooks/" + id.toUtf8() + "/redeliver", Harness::adminHeaders());
        QCOMPARE(noUrl.status, 409);
        QCOMPARE(noUrl.error(), QStringLiteral("The app has no webhook URL to redeliver to"));
        // Once a URL is set, a redelivery sends it.
        QCOMPARE(h->api().post("/admin/apps/demo-app", Harness::adminHeaders(), {{QStringLiteral("webhook_url"), receiver->url()}}).status, 200);
        QCOMPARE(h->api().post("/sim/v1/webhooks/" + id.toUtf8() + "/redeliver", Harness::adminHeaders()).status, 202);
        QVERIFY(h->deliveriesIdle());
        QCOMPARE(receiver->requests.size(), 1);
        QCOMPARE(h->webhook(id).value(QStringLiteral("status")).toString(), QStringLiteral("delivered"));
    }

    void theFlatEnvelopeIsSentWhenTheAppAsksForIt()
    {
        QCOMPARE(h->api().post("/admin/apps/demo-app", Harness::adminHeaders(), {{QStringLiteral("envelope"), QStringLiteral("flat")}}).status, 200);
        const QString uuid = h->newCall({{QStringLiteral("caller_id"), QStringLiteral("+15550100001")}});
        QVERIFY(h->deliveriesIdle());
        const QJsonObject body = receiver->requests.at(0).json();
        QCOMPARE(body.value(QStringLiteral("event")).toString(), QStringLiteral("call.new"));
        QCOMPARE(body.value(QStringLiteral("session_uuid")).toString(), uuid);
        QCOMPARE(body.value(QStringLiteral("sequence")).toInt(), 1);
        QCOMPARE(body.value(QStringLiteral("caller_id")).toString(), QStringLiteral("+15550100001"));
        QVERIFY(!body.contains(QStringLiteral("data")));
    }

    void undeliveredEventsResumeAfterARestartInJournalOrder()
    {
        QTemporaryDir dir;
        Settings s = onDisk(dir);
        s.seed.reset(); // a second run on the same journal
        start(s);
        receiver->respond = [](const Receiver::Request &) { return Receiver::Step{Receiver::Action::Answer, Receiver::answer(500), 0}; };
        const QString uuid = h->answeredCall();
        QCOMPARE(h->pressKeys(uuid, QStringLiteral("123")).status, 202);
        QCOMPARE(h->advance(1000).status, 200);
        QCOMPARE(h->events(uuid).size(), 5);
        const QStringList ids = [&] {
            QStringList out;
            for (const QJsonValue &w : h->webhooks("session_uuid=" + uuid.toUtf8()))
                out << w.toObject().value(QStringLiteral("id")).toString();
            return out;
        }();
        QCOMPARE(ids.size(), 5);
        h.reset(); // voicesim stops with all five undelivered

        receiver->requests.clear();
        receiver->respond = nullptr;
        start(s);
        QVERIFY(h->deliveriesIdle());
        QStringList delivered;
        for (const Receiver::Request &r : std::as_const(receiver->requests))
            delivered << QString::fromUtf8(r.header("webhook-id"));
        QCOMPARE(delivered, ids);
        QCOMPARE(field(receiver->requests, "sequence"), (QStringList{QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"),
                                                                     QStringLiteral("4"), QStringLiteral("5")}));
        QCOMPARE(h->webhooks("status=delivered").size(), 5);
        QVERIFY2(h->service().startupBanner().contains(QStringLiteral("Journal:        ") + dir.filePath(QStringLiteral("journal.sqlite"))
                                                      + QStringLiteral(" (resuming 5 undelivered)")),
                 qPrintable(h->service().startupBanner()));
    }

    void everyEventIsOnDiskBeforeItsFirstAttempt()
    {
        QTemporaryDir dir;
        Settings s = onDisk(dir);
        start(s);
        // C-DURABLE: the receiver looks into the journal file, with its own connection, the
        // moment each request arrives; the event must already be committed there.
        QStringList missing;
        int checked = 0;
        receiver->onRequest = [&](const Receiver::Request &r) {
            DeliveryJournal reader(dir.filePath(QStringLiteral("journal.sqlite")));
            ++checked;
            if (!reader.open() || !reader.event(QString::fromUtf8(r.header("webhook-id"))))
                missing << QString::fromUtf8(r.header("webhook-id"));
        };
        const QString uuid = h->answeredCall();
        QCOMPARE(h->pressKeys(uuid, QStringLiteral("1234")).status, 202);
        QCOMPARE(h->advance(2000).status, 200);
        QVERIFY(h->deliveriesIdle());
        QCOMPARE(checked, 6);
        QCOMPARE(missing, QStringList());
    }

    void eventsBeyondTheMemoryLimitWaitInTheJournalInOrder()
    {
        Settings s = settings();
        s.webhooks.maxQueued = 8; // memory holds 8 events; the rest are read back from the journal
        start(s);
        receiver->respond = [](const Receiver::Request &) { return Receiver::Step{Receiver::Action::Answer, Receiver::answer(500), 0}; };
        QStringList calls;
        for (int i = 0; i < 3; ++i)
            calls << h->answeredCall();
        for (const QString &uuid : std::as_const(calls))
            QCOMPARE(h->pressKeys(uuid, QStringLiteral("123456"), 40, 40).status, 202);
        QCOMPARE(h->advance(1000).status, 200); // 3 x (2 + 6) = 24 events, all waiting
        QCOMPARE(h->service().dispatcher().queued(), 8);
        receiver->requests.clear();
        receiver->respond = nullptr;
        QCOMPARE(h->advance(5000).status, 200); // the heads' next retries, then everything behind them
        QVERIFY(h->deliveriesIdle());
        QCOMPARE(h->webhooks("status=delivered&limit=100").size(), 24);
        for (const QString &uuid : std::as_const(calls)) {
            QStringList sequences;
            for (const Receiver::Request &r : std::as_const(receiver->requests))
                if (r.json().value(QStringLiteral("session_uuid")).toString() == uuid)
                    sequences << QString::number(r.json().value(QStringLiteral("sequence")).toInt());
            sequences.removeDuplicates();
            QCOMPARE(sequences, (QStringList{QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"), QStringLiteral("4"),
                                             QStringLiteral("5"), QStringLiteral("6"), QStringLiteral("7"), QStringLiteral("8")}));
        }
    }

    void webhookIdsAreTimeOrderedUuids()
    {
        const QString uuid = h->answeredCall();
        QCOMPARE(h->pressKeys(uuid, QStringLiteral("123")).status, 202);
        QCOMPARE(h->advance(1000).status, 200);
        QStringList ids;
        for (const QJsonValue &w : h->webhooks("session_uuid=" + uuid.toUtf8()))
            ids << w.toObject().value(QStringLiteral("id")).toString();
        QCOMPARE(ids.size(), 5);
        static const QRegularExpression uuid7(QStringLiteral("^evt_[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"));
        for (const QString &id : std::as_const(ids))
            QVERIFY2(uuid7.match(id).hasMatch(), qPrintable(id));
        // Publication order is id order, and the first 48 bits are the event's time (C-IDS).
        QStringList sorted = ids;
        sorted.sort();
        QCOMPARE(sorted, ids);
        QCOMPARE(ids.first().mid(4, 8) + ids.first().mid(13, 4),
                 QString::number(h->clock().startEpochMs(), 16).rightJustified(12, QLatin1Char('0')));
    }

    void aSeedOnAnUsedJournalStillGivesNewWebhookIds()
    {
        QTemporaryDir dir;
        Settings s = onDisk(dir);
        start(s);
        const QString first = firstId(h->newCall());
        QVERIFY(h->deliveriesIdle());
        h.reset();
        start(s);
        QCOMPARE(h->webhooks("limit=10").last().toObject().value(QStringLiteral("id")).toString(), first); // kept from run 1
        h->newCall();
        QVERIFY(h->deliveriesIdle());
        const QJsonArray both = h->webhooks("limit=10");
        QCOMPARE(both.size(), 2);
        QVERIFY(both.at(1).toObject().value(QStringLiteral("id")).toString() != first);
        QCOMPARE(receiver->requests.size(), 2);
        QVERIFY(receiver->requests.at(0).header("webhook-id") != receiver->requests.at(1).header("webhook-id"));
    }
};

QTEST_GUILESS_MAIN(TestWebhookDelivery)
#include "tst_webhookdelivery.moc"
