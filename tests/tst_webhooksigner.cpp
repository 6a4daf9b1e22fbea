// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// Standard Webhooks signing (C-HTTP), checked against the example the Standard Webhooks
// specification publishes (reproduced independently with Python's hmac when it was written).
// tst_webhookinterop checks real deliveries with the npm standardwebhooks package.
#include <webhooks/webhooksigner.h>

#include <QTest>

using namespace VoiceSim;

class TestWebhookSigner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void matchesTheSpecificationsExample()
    {
        const auto signer = WebhookSigner::fromSecret(QStringLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
        QVERIFY(signer);
        QCOMPARE(signer->signature("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, R"({"test": 2432232314})"),
                 QByteArray("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));
    }

    void headersCarryIdTimestampAndSignature()
    {
        const auto signer = WebhookSigner::fromSecret(QStringLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
        QVERIFY(signer);
        const auto headers = signer->headers("evt_1", 1700000000, "{}");
        QCOMPARE(headers.size(), 3);
        QCOMPARE(headers.at(0), qMakePair(QByteArray("webhook-id"), QByteArray("evt_1")));
        QCOMPARE(headers.at(1), qMakePair(QByteArray("webhook-timestamp"), QByteArray("1700000000")));
        QCOMPARE(headers.at(2).second, signer->signature("evt_1", 1700000000, "{}"));
    }

    void anyChangeChangesTheSignature()
    {
        const auto signer = WebhookSigner::fromSecret(QStringLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
        const auto other = WebhookSigner::fromSecret(QStringLiteral("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
        QVERIFY(signer && other);
        const QByteArray base = signer->signature("id", 1, "body");
        QVERIFY(signer->signature("id2", 1, "body") != base);
        QVERIFY(signer->signature("id", 2, "body") != base);
        QVERIFY(signer->signature("id", 1, "body ") != base);
        QVERIFY(other->signature("id", 1, "body") != base);
    }

    void rejectsSecretsThatAreNotWhsecBase64_data()
    {
        QTest::addColumn<QString>("secret");
        QTest::newRow("no prefix") << QStringLiteral("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        QTest::newRow("not base64") << QStringLiteral("whsec_not base64!");
        QTest::newRow("too short") << QStringLiteral("whsec_AAAA");
        QTest::newRow("empty") << QString();
    }
    void rejectsSecretsThatAreNotWhsecBase64()
    {
        QFETCH(QString, secret);
        QVERIFY(!WebhookSigner::fromSecret(secret));
    }
};

QTEST_GUILESS_MAIN(TestWebhookSigner)
#include "tst_webhooksigner.moc"
