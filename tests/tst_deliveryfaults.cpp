// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// Delivery faults for testing receivers (C-CHAOS), each at probability 1 so its effect is
// certain: what the receiver gets, and that the log marks every faked attempt.
#include "harness.h"
#include "receiver.h"

#include <webhooks/webhooksigner.h>

#include <QDateTime>
#include <QtTest>

using namespace VoiceSim;
using namespace VoiceSim::Test;

namespace {

const QString kSecret = QStringLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

bool signatureVerifies(const Receiver::Request &r)
{
    const std::optional<WebhookSigner> signer = WebhookSigner::fromSecret(kSecret);
    return signer && r.header("webhook-signature") == signer->signature(r.header("webhook-id"), r.header("webhook-timestamp").toLongLong(), r.body);
}

} // namespace

class TestDeliveryFaults : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<Receiver> receiver;
    std::unique_ptr<Harness> h;

    Response setFaults(const QJsonObject &delivery)
    {
        return h->api().request("PUT", "/sim/v1/faults", Harness::adminHeaders(),
                                QJsonDocument(QJsonObject{{QStringLiteral("delivery"), delivery}}).toJson());
    }
    QJsonArray attempts(const QString &id) { return h->webhook(id).value(QStringLiteral("attempts")).toArray(); }
    QString onlyId()
    {
        const QJsonArray all = h->webhooks();
        return all.size() == 1 ? all.at(0).toObject().value(QStringLiteral("id")).toString() : QString();
    }

private Q_SLOTS:
    void init()
    {
        receiver = std::make_unique<Receiver>();
        Settings s = Harness::defaultSettings();
        s.webhookUrl = receiver->url();
        s.webhookSecret = kSecret;
        s.webhooks.retryJitter = 0;
        h = std::make_unique<Harness>(s);
        receiver->setClock(&h->clock());
    }
    void cleanup()
    {
        h.reset();
        receiver.reset();
    }

    void faultsAreSetAsOneSetAndReadBack()
    {
        const Response set = setFaults({{QStringLiteral("drop"), 0.25}, {QStringLiteral("delay_ms"), 300}});
        QCOMPARE(set.status, 200);
        const QJsonObject delivery = set.json().value(QStringLiteral("delivery")).toObject();
        QCOMPARE(delivery.value(QStringLiteral("drop")).toDouble(), 0.25);
        QCOMPARE(delivery.value(QStringLiteral("delay_ms")).toInt(), 300);
        QCOMPARE(delivery.value(QStringLiteral("duplicate")).toDouble(), 0.0);
        // A new delivery object replaces the set: what it leaves out is off.
        QCOMPARE(setFaults({{QStringLiteral("duplicate"), 1}}).json().value(QStringLiteral("delivery")).toObject().value(QStringLiteral("drop")).toDouble(), 0.0);
        const Response unknown = setFaults({{QStringLiteral("explode"), 1}});
        QCOMPARE(unknown.status, 400);
        QCOMPARE(unknown.error(), QStringLiteral("Unknown delivery fault: explode"));
        const Response tooLong = setFaults({{QStringLiteral("delay_ms"), -5}});
        QCOMPARE(tooLong.status, 400);
        QCOMPARE(tooLong.error(), QStringLiteral("delivery.delay_ms must be an integer between 0 and 3600000"));
        const Response notObject = h->api().request("PUT", "/sim/v1/faults", Harness::adminHeaders(), "{\"delivery\": 1}");
        QCOMPARE(notObject.status, 400);
        QCOMPARE(notObject.error(), QStringLiteral("delivery must be an object"));
    }

    void duplicateSendsTheSameRequestTwice()
    {
        QCOMPARE(setFaults({{QStringLiteral("duplicate"), 1}}).status, 200);
        h->newCall();
        QVERIFY(receiver->waitForRequests(2));
        QVERIFY(h->deliveriesIdle());
        QCOMPARE(receiver->requests.size(), 2);
        QCOMPARE(receiver->requests.at(0).raw, receiver->requests.at(1).raw);
        const QJsonArray log = attempts(onlyId());
        QCOMPARE(log.size(), 2);
        QCOMPARE(log.at(0).toObject().value(QStringLiteral("fault")), QJsonValue());
        QCOMPARE(log.at(1).toObject().value(QStringLiteral("fault")).toString(), QStringLiteral("duplicate"));
        // The copy is not a delivery of its own.
        QCOMPARE(h->webhooks().at(0).toObject().value(QStringLiteral("attempt_count")).toInt(), 1);
    }

    void reorderLetsAnEventOvertakeItsStream()
    {
        receiver->respond = [failures = 0](const Receiver::Request &r) mutable {
            // call.new fails once; the stream would hold call.answered behind it.
            const bool first = r.json().value(QStringLiteral("event")).toString() == QLatin1String("call.new");
            return Receiver::Step{Receiver::Action::Answer, Receiver::answer(first && failures++ == 0 ? 500 : 200), 0};
        };
        QCOMPARE(setFaults({{QStringLiteral("reorder"), 1}}).status, 200);
        const QString uuid = h->answeredCall(); // call.answered at 20 ms, call.new's retry at 500 ms
        QCOMPARE(h->advance(1000).status, 200);
        QStringList order;
        for (const Receiver::Request &r : std::as_const(receiver->requests))
            order << r.json().value(QStringLiteral("event")).toString();
        QCOMPARE(order, (QStringList{QStringLiteral("call.new"), QStringLiteral("call.answered"), QStringLiteral("call.new")}));
        const QJsonArray log = h->webhooks("session_uuid=" + uuid.toUtf8());
        QCOMPARE(attempts(log.at(1).toObject().value(QStringLiteral("id")).toString()).at(0).toObject().value(QStringLiteral("fault")).toString(),
                 QStringLiteral("reorder"));
        QCOMPARE(log.at(0).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("delivered"));
    }

    void delayHoldsEachAttemptInVirtualTime()
    {
        QCOMPARE(setFaults({{QStringLiteral("delay"), 1}, {QStringLiteral("delay_ms"), 750}}).status, 200);
        h->newCall();
        QCOMPARE(h->advance(749).status, 200);
        QCOMPARE(receiver->requests.size(), 0);
        QCOMPARE(h->advance(1).status, 200);
        QCOMPARE(receiver->requests.size(), 1);
        QCOMPARE(receiver->requests.at(0).atMs, 750);
        QVERIFY(h->deliveriesIdle());
        QCOMPARE(attempts(onlyId()).at(0).toObject().value(QStringLiteral("fault")).toString(), QStringLiteral("delay"));
    }

    void dropLogsAnAttemptThatNeverWentOutAndRetries()
    {
        QCOMPARE(setFaults({{QStringLiteral("drop"), 1}}).status, 200);
        h->newCall();
        QCOMPARE(h->advance(100).status, 200);
        QCOMPARE(receiver->requests.size(), 0);
        const QString id = onlyId();
        QJsonArray log = attempts(id);
        QCOMPARE(log.size(), 1);
        QCOMPARE(log.at(0).toObject().value(QStringLiteral("fault")).toString(), QStringLiteral("drop"));
        QCOMPARE(log.at(0).toObject().value(QStringLiteral("error")).toString(), QStringLiteral("not sent: dropped by fault injection"));
        QCOMPARE(h->webhook(id).value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
        // The fault is switched off; the retry 0.5 s later goes out.
        QCOMPARE(setFaults({}).status, 200);
        QCOMPARE(h->advance(400).status, 200);
        QCOMPARE(receiver->requests.size(), 1);
        QCOMPARE(receiver->requests.at(0).atMs, 500);
        QCOMPARE(h->webhook(id).value(QStringLiteral("status")).toString(), QStringLiteral("delivered"));
    }

    void badSignatureFailsVerificationAndIsMarked()
    {
        h->newCall();
        QVERIFY(receiver->waitForRequests(1));
        QVERIFY(signatureVerifies(receiver->requests.at(0)));
        QCOMPARE(setFaults({{QStringLiteral("bad_signature"), 1}}).status, 200);
        h->newCall();
        QVERIFY(receiver->waitForRequests(2));
        QVERIFY(!signatureVerifies(receiver->requests.at(1)));
        QVERIFY(receiver->requests.at(1).header("webhook-signature").startsWith("v1,"));
        QVERIFY(h->deliveriesIdle());
        const QString id = h->webhooks().at(1).toObject().value(QStringLiteral("id")).toString();
        QCOMPARE(attempts(id).at(0).toObject().value(QStringLiteral("fault")).toString(), QStringLiteral("bad_signature"));
    }

    void staleTimestampIsTenMinutesOldButSigned()
    {
        QCOMPARE(setFaults({{QStringLiteral("stale_timestamp"), 1}}).status, 200);
        h->newCall();
        QVERIFY(receiver->waitForRequests(1));
        const Receiver::Request &r = receiver->requests.at(0);
        const qint64 age = QDateTime::currentSecsSinceEpoch() - r.header("webhook-timestamp").toLongLong();
        QVERIFY2(age >= 595 && age <= 605, qPrintable(QString::number(age)));
        QVERIFY(signatureVerifies(r)); // signed as sent: only the age gives it away
        QVERIFY(h->deliveriesIdle());
        QCOMPARE(attempts(onlyId()).at(0).toObject().value(QStringLiteral("fault")).toString(), QStringLiteral("stale_timestamp"));
    }

    void faultsCombineAndTheLogNamesEach()
    {
        QCOMPARE(setFaults({{QStringLiteral("delay"), 1}, {QStringLiteral("bad_signature"), 1}, {QStringLiteral("delay_ms"), 200}}).status, 200);
        h->newCall();
        QCOMPARE(h->advance(200).status, 200);
        QCOMPARE(receiver->requests.size(), 1);
        QCOMPARE(receiver->requests.at(0).atMs, 200);
        QVERIFY(!signatureVerifies(receiver->requests.at(0)));
        QVERIFY(h->deliveriesIdle());
        QCOMPARE(attempts(onlyId()).at(0).toObject().value(QStringLiteral("fault")).toString(), QStringLiteral("delay,bad_signature"));
    }

    void faultsAreOffByDefault()
    {
        const QString uuid = h->answeredCall();
        QCOMPARE(h->pressKeys(uuid, QStringLiteral("123")).status, 202);
        QCOMPARE(h->advance(1000).status, 200);
        QVERIFY(h->deliveriesIdle());
        QCOMPARE(receiver->requests.size(), 5);
        for (const QJsonValue &w : h->webhooks())
            for (const QJsonValue &a : attempts(w.toObject().value(QStringLiteral("id")).toString()))
                QCOMPARE(a.toObject().value(QStringLiteral("fault")), QJsonValue());
        for (const Receiver::Request &r : std::as_const(receiver->requests))
            QVERIFY(signatureVerifies(r));
    }
};

QTEST_GUILESS_MAIN(TestDeliveryFaults)
#include "tst_deliveryfaults.moc"
