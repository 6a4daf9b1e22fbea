// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// The webhook HTTP client against a scripted receiver: answers, kept
// connections, large and chunked bodies, hangs on the virtual clock, resets, refusals and
// garbage, with every attempt exactly one request on the wire.
#include "eventwait.h"
#include "receiver.h"

#include <clock/virtualclock.h>
#include <webhooks/webhookclient.h>

#include <QEventLoop>
#include <QTcpServer>
#include <QTimer>
#include <QTcpSocket>
#include <QtTest>

#include <deque>
#include <functional>

using namespace VoiceSim;
using namespace VoiceSim::Test;


class TestWebhookClient : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<VirtualClock> clock;
    std::unique_ptr<WebhookClient> client;
    std::unique_ptr<Receiver> receiver;

    WebhookResponse deliver(const QString &url, const QByteArray &body = "{\"event\":\"call.new\"}", qint64 timeoutMs = 10'000)
    {
        WebhookRequest request;
        request.url = QUrl(url);
        request.headers = {{"Content-Type", "application/json"}, {"webhook-id", "evt_1"}};
        request.body = body;
        request.timeoutMs = timeoutMs;
        std::optional<WebhookResponse> out;
        QEventLoop loop;
        client->send(request, [&out, &loop](const WebhookResponse &r) {
            out = r;
            loop.quit();
        });
        if (!runUntilQuit(loop)) {
            WebhookResponse none;
            none.error = QStringLiteral("test: no answer within 5 s");
            return none;
        }
        return *out;
    }

private Q_SLOTS:
    void init()
    {
        clock = std::make_unique<VirtualClock>(0);
        client = std::make_unique<WebhookClient>(*clock);
        receiver = std::make_unique<Receiver>();
    }
    void cleanup()
    {
        client.reset();
        receiver.reset();
        clock.reset();
    }

    void postsOnceAndReadsTheAnswer()
    {
        receiver->script(Receiver::Action::Answer, "HTTP/1.1 204 No Content\r\nX-Receiver: yes\r\n\r\n");
        const WebhookResponse r = deliver(receiver->url(QStringLiteral("/hooks?app=1")), "{\"a\":1}");
        QCOMPARE(r.outcome, WebhookResponse::Outcome::Response);
        QCOMPARE(r.status, 204);
        QCOMPARE(r.header("x-receiver"), QByteArray("yes"));
        QCOMPARE(r.error, QString());
        QCOMPARE(receiver->requests.size(), 1);
        const QByteArray request = receiver->requests.first().raw;
        QVERIFY(request.startsWith("POST /hooks?app=1 HTTP/1.1\r\n"));
        QVERIFY(request.contains("\r\nHost: 127.0.0.1:"));
        QVERIFY(request.contains("\r\nContent-Length: 7\r\n"));
        QVERIFY(request.contains("\r\nwebhook-id: evt_1\r\n"));
        QVERIFY(request.endsWith("\r\n\r\n{\"a\":1}"));
    }

    void keepsTheConnectionForTheNextAttempt()
    {
        for (int i = 0; i < 3; ++i)
            QCOMPARE(deliver(receiver->url()).status, 200);
        QCOMPARE(receiver->connections, 1);
        QCOMPARE(client->connectionsOpened(), 1u);
        QCOMPARE(client->idleConnections(), 1);
    }

    void connectionCloseIsNotReused()
    {
        receiver->script(Receiver::Action::Answer, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok");
        QCOMPARE(deliver(receiver->url()).body, QByteArray("ok"));
        QCOMPARE(deliver(receiver->url()).status, 200);
        QCOMPARE(receiver->connections, 2);
    }

    void retryAfterAndErrorStatusesAreResponses()
    {
        receiver->script(Receiver::Action::Answer, "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 3\r\nContent-Length: 4\r\n\r\nslow");
        const WebhookResponse r = deliver(receiver->url());
        QCOMPARE(r.outcome, WebhookResponse::Outcome::Response);
        QCOMPARE(r.status, 429);
        QCOMPARE(r.header("Retry-After"), QByteArray("3"));
        QCOMPARE(r.body, QByteArray("slow"));
    }

    void largeBodiesAreCappedAndTheConnectionStillServes()
    {
        const QByteArray big(200'000, 'b');
        receiver->script(Receiver::Action::Answer, "HTTP/1.1 500 Oops\r\nContent-Length: 200000\r\n\r\n" + big);
        const WebhookResponse r = deliver(receiver->url());
        QCOMPARE(r.status, 500);
        QCOMPARE(r.body.size(), 64 * 1024);
        QVERIFY(r.bodyTruncated);
        QCOMPARE(deliver(receiver->url()).status, 200);
        QCOMPARE(receiver->connections, 1); // the whole body was read, so the connection was reusable
    }

    void chunkedAndUnsizedBodiesAreRead()
    {
        receiver->script(Receiver::Action::Answer, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
        QCOMPARE(deliver(receiver->url()).body, QByteArray("abcde"));
        receiver->script(Receiver::Action::CloseAfterHalf, "HTTP/1.1 200 OK\r\n\r\nuntil the end");
        const WebhookResponse r = deliver(receiver->url());
        QCOMPARE(r.outcome, WebhookResponse::Outcome::Response);
        QCOMPARE(r.body, QByteArray("until the end"));
    }

    void aHangingReceiverTimesOutOnTheClock()
    {
        receiver->script(Receiver::Action::Hang);
        WebhookRequest request;
        request.url = QUrl(receiver->url());
        request.timeoutMs = 10'000;
        std::optional<WebhookResponse> out;
        QEventLoop received;
        receiver->onRequest = [&received](const Receiver::Request &) { received.quit(); };
        client->send(request, [&out](const WebhookResponse &r) { out = r; });
        QVERIFY(runUntilQuit(received));
        receiver->onRequest = nullptr;
        QCOMPARE(receiver->requests.size(), 1);
        clock->advance(9'999);
        QVERIFY(!out);
        clock->advance(1);
        QVERIFY(out);
        QCOMPARE(out->outcome, WebhookResponse::Outcome::Timeout);
        QCOMPARE(out->error, QStringLiteral("no response within 10000 ms"));
        QCOMPARE(client->idleConnections(), 0);
        // The next attempt opens a new connection: the hung one is gone.
        QCOMPARE(deliver(receiver->url()).status, 200);
        QCOMPARE(receiver->connections, 2);
    }

    void aResetIsAConnectionErrorAndNothingIsResent()
    {
        receiver->script(Receiver::Action::Reset);
        const WebhookResponse r = deliver(receiver->url());
        QCOMPARE(r.outcome, WebhookResponse::Outcome::ConnectionError);
        QVERIFY(!r.error.isEmpty());
        QCoreApplication::processEvents();
        QCOMPARE(receiver->requests.size(), 1);
    }

    void aCloseMidAnswerIsAConnectionError()
    {
        receiver->script(Receiver::Action::CloseAfterHalf, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
        const WebhookResponse r = deliver(receiver->url());
        QCOMPARE(r.outcome, WebhookResponse::Outcome::ConnectionError);
        QCOMPARE(r.error, QStringLiteral("connection closed before the response was complete"));
        QCOMPARE(receiver->requests.size(), 1);
    }

    void refusedConnectionsAndBadUrlsFail()
    {
        WebhookResponse r = deliver(QStringLiteral("http://127.0.0.1:1/hooks"));
        QCOMPARE(r.outcome, WebhookResponse::Outcome::ConnectionError);
        QVERIFY(!r.error.isEmpty());
        r = deliver(QStringLiteral("ftp://127.0.0.1/x"));
        QCOMPARE(r.outcome, WebhookResponse::Outcome::ConnectionError);
        QCOMPARE(r.error, QStringLiteral("unsupported webhook URL: ftp://127.0.0.1/x"));
    }

    void garbageIsAProtocolError()
    {
        receiver->script(Receiver::Action::Answer, "SMTP ready\r\n\r\n");
        const WebhookResponse r = deliver(receiver->url());
        QCOMPARE(r.outcome, WebhookResponse::Outcome::ProtocolError);
        QVERIFY(r.error.startsWith(QStringLiteral("malformed response: ")));
    }

    void manyAttemptsInFlightEachGetTheirAnswer()
    {
        std::vector<int> statuses;
        QEventLoop all;
        for (int i = 0; i < 50; ++i) {
            WebhookRequest request;
            request.url = QUrl(receiver->url());
            request.body = QByteArray::number(i);
            client->send(request, [&statuses, &all](const WebhookResponse &r) {
                statuses.push_back(r.status);
                if (statuses.size() == 50)
                    all.quit();
            });
        }
        QCOMPARE(client->inFlight(), 50);
        QVERIFY(runUntilQuit(all));
        QCOMPARE(std::count(statuses.begin(), statuses.end(), 200), 50);
        QCOMPARE(receiver->requests.size(), 50);
        QCOMPARE(receiver->connections, 50); // none was idle when they started
        QCOMPARE(client->idleConnections(), 50);
    }

    void cancelledAttemptsNeverAnswer()
    {
        receiver->script(Receiver::Action::Hang);
        WebhookRequest request;
        request.url = QUrl(receiver->url());
        bool answered = false;
        const quint64 id = client->send(request, [&answered](const WebhookResponse &) { answered = true; });
        client->cancel(id);
        clock->advance(20'000);
        QCoreApplication::processEvents();
        QVERIFY(!answered);
        QCOMPARE(client->inFlight(), 0);
    }
};

QTEST_GUILESS_MAIN(TestWebhookClient)
#include "tst_webhookclient.moc"
