// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// C-RETRY's schedule as a pure function: waits, jitter bounds, Retry-After, dead-lettering.
#include <webhooks/retrypolicy.h>

#include <QDateTime>
#include <QtTest>

using namespace VoiceSim;

namespace {

WebhookResponse answer(int status, const QByteArray &retryAfter = {})
{
    WebhookResponse r;
    r.outcome = WebhookResponse::Outcome::Response;
    r.status = status;
    if (!retryAfter.isEmpty())
        r.headers.append({"Retry-After", retryAfter});
    return r;
}

WebhookResponse failure(WebhookResponse::Outcome outcome)
{
    WebhookResponse r;
    r.outcome = outcome;
    r.error = QStringLiteral("x");
    return r;
}

constexpr qint64 kNow = 1'767'225'600'000; // 2026-01-01T00:00:00Z

} // namespace

class TestRetryPolicy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void theDefaultScheduleIsTheContracts()
    {
        const RetryPolicy policy = RetryPolicy::preset(RetryPolicy::Preset::Default);
        QCOMPARE(policy.maxRetries(), 8);
        const QList<qint64> expected{500, 1000, 2000, 4000, 8000, 16'000, 32'000, 60'000};
        for (int retry = 1; retry <= 8; ++retry)
            QCOMPARE(*policy.nextDelay(retry, answer(500), kNow, 0.5), expected.at(retry - 1)); // 0.5: no jitter
        QVERIFY(!policy.nextDelay(9, answer(500), kNow, 0.5)); // dead letter after the 8th retry
        QVERIFY(!policy.nextDelay(0, answer(500), kNow, 0.5));
    }

    void jitterStaysWithinTenPercent()
    {
        const RetryPolicy policy = RetryPolicy::preset(RetryPolicy::Preset::Default);
        QCOMPARE(*policy.nextDelay(8, answer(500), kNow, 0.0), 54'000);
        QCOMPARE(*policy.nextDelay(8, answer(500), kNow, 0.999999), 66'000);
        QCOMPARE(*policy.nextDelay(1, answer(500), kNow, 0.25), 475);
    }

    void everyFailureKindIsRetried()
    {
        const RetryPolicy policy = RetryPolicy::preset(RetryPolicy::Preset::Default);
        for (const WebhookResponse &r : {answer(301), answer(404), answer(500), failure(WebhookResponse::Outcome::Timeout),
                                         failure(WebhookResponse::Outcome::ConnectionError), failure(WebhookResponse::Outcome::ProtocolError)}) {
            QVERIFY(!RetryPolicy::isSuccess(r));
            QCOMPARE(*policy.nextDelay(1, r, kNow, 0.5), 500);
        }
        QVERIFY(RetryPolicy::isSuccess(answer(200)));
        QVERIFY(RetryPolicy::isSuccess(answer(299)));
        QVERIFY(!RetryPolicy::isSuccess(answer(300)));
    }

    void retryAfterIsHonouredOn429And503Only()
    {
        const RetryPolicy policy = RetryPolicy::preset(RetryPolicy::Preset::Default);
        QCOMPARE(*policy.nextDelay(1, answer(429, "7"), kNow, 0.0), 7000);
        QCOMPARE(*policy.nextDelay(1, answer(503, "120"), kNow, 0.9), 120'000);
        QCOMPARE(*policy.nextDelay(1, answer(500, "7"), kNow, 0.5), 500); // not on other statuses
        const QByteArray date = QDateTime::fromMSecsSinceEpoch(kNow + 30'000, Qt::UTC).toString(Qt::RFC2822Date).toLatin1();
        QCOMPARE(*policy.nextDelay(1, answer(503, date), kNow, 0.5), 30'000);
        QCOMPARE(*policy.nextDelay(1, answer(429, "Thu, 01 Jan 2026 00:00:30 GMT"), kNow, 0.5), 30'000);
        QCOMPARE(*policy.nextDelay(1, answer(429, "soon"), kNow, 0.5), 500); // unreadable: the schedule
        QCOMPARE(*policy.nextDelay(1, answer(429, "-3"), kNow, 0.5), 500);
        QCOMPARE(*policy.nextDelay(1, answer(429, "999999999"), kNow, 0.5), 24LL * 3600 * 1000); // capped at a day
        // Still a retry: after the last one, the event is dead.
        QVERIFY(!policy.nextDelay(9, answer(429, "1"), kNow, 0.5));
    }

    void presetsHaveNamesAndSchedules()
    {
        QCOMPARE(RetryPolicy::preset(RetryPolicy::Preset::None).maxRetries(), 0);
        QVERIFY(!RetryPolicy::preset(RetryPolicy::Preset::None).nextDelay(1, answer(500), kNow, 0.5));
        const RetryPolicy svix = RetryPolicy::preset(RetryPolicy::Preset::Svix);
        QCOMPARE(svix.delaysMs(), (QList<qint64>{5000, 300'000, 1'800'000, 7'200'000, 18'000'000, 36'000'000, 36'000'000}));
        for (RetryPolicy::Preset p : {RetryPolicy::Preset::Default, RetryPolicy::Preset::Svix, RetryPolicy::Preset::None}) {
            RetryPolicy::Preset parsed = RetryPolicy::Preset::None;
            QVERIFY(RetryPolicy::parsePreset(RetryPolicy::presetName(p), &parsed));
            QCOMPARE(parsed, p);
        }
        RetryPolicy::Preset unused;
        QVERIFY(!RetryPolicy::parsePreset(QStringLiteral("aggressive"), &unused));
    }
};

QTEST_GUILESS_MAIN(TestRetryPolicy)
#include "tst_retrypolicy.moc"
