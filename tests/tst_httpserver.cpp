// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// Robustness of voicesim's HTTP server (issue #2, item 2), over raw sockets. Transport timeouts
// run on a virtual clock here, so the 10 s stall test takes no wall time.
#include "rawclient.h"

#include <clock/virtualclock.h>
#include <http/httphandler.h>
#include <http/httpserver.h>

#include <QJsonDocument>
#include <QRandomGenerator>
#include <QEventLoop>
#include <QTest>
#include <QTimer>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace VoiceSim;
using namespace VoiceSim::Test;

// Waits on the event loop until the server has read this many bytes in total.
#define WAIT_SERVER_READ(bytes) \
    QTRY_VERIFY_WITH_TIMEOUT(m_server->stats().bytesReceived >= quint64(bytes), 5000)

namespace {

// Echoes what it was asked, so order and content can be checked from the client side.
class EchoHandler final : public HttpHandler
{
public:
    HttpResponse handle(const HttpRequest &request) override
    {
        ++calls;
        if (during)
            during(request);
        return HttpResponse::json(200, {{QStringLiteral("path"), QString::fromLatin1(request.path)},
                                        {QStringLiteral("body_bytes"), request.body.size()}});
    }
    int calls = 0;
    std::function<void(const HttpRequest &)> during; // runs inside handle()
};

QByteArray get(const QByteArray &path, const QByteArray &extra = {})
{
    return "GET " + path + " HTTP/1.1\r\nHost: x\r\n" + extra + "\r\n";
}

QString pathOf(const Response &response)
{
    return response.json().value(QStringLiteral("path")).toString();
}

} // namespace

class TestHttpServer : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<VirtualClock> m_clock;
    std::unique_ptr<EchoHandler> m_handler;
    std::unique_ptr<HttpServer> m_server;

    quint16 port() const { return m_server->port(); }

private Q_SLOTS:
    void init()
    {
        m_clock = std::make_unique<VirtualClock>(0);
        m_handler = std::make_unique<EchoHandler>();
        m_server = std::make_unique<HttpServer>(*m_handler, *m_clock);
        QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    }

    void cleanup()
    {
        m_server.reset();
        m_handler.reset();
        m_clock.reset();
    }

    void keepAliveServesSeveralRequestsOnOneConnection()
    {
        RawClient client(port());
        for (int i = 0; i < 3; ++i) {
            client.send(get("/k" + QByteArray::number(i)));
            const auto response = client.read();
            QVERIFY(response);
            QCOMPARE(response->status, 200);
            QCOMPARE(pathOf(*response), QStringLiteral("/k") + QString::number(i));
            QVERIFY(response->keepAlive);
        }
        QCOMPARE(m_server->stats().connectionsAccepted, 1u);
    }

    void pipelinedRequestsAreAnsweredInOrder()
    {
        RawClient client(port());
        const QByteArray post = "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello";
        client.send(get("/a") + post + get("/c"));
        const auto a = client.read();
        const auto b = client.read();
        const auto c = client.read();
        QVERIFY(a && b && c);
        QCOMPARE(pathOf(*a), QStringLiteral("/a"));
        QCOMPARE(pathOf(*b), QStringLiteral("/b"));
        QCOMPARE(b->json().value(QStringLiteral("body_bytes")).toInt(), 5);
        QCOMPARE(pathOf(*c), QStringLiteral("/c"));
    }

    void pipelinedRequestsWaitWhileAHandlerRunsAnEventLoop()
    {
        // The virtual clock's settle runs a local event loop inside POST /sim/v1/clock/advance.
        // The socket's notifications during that loop (here: the answer to /a being written)
        // must not start the next pipelined request inside the one being handled.
        RawClient client(port());
        m_handler->during = [](const HttpRequest &request) {
            if (request.path != "/settle")
                return;
            QEventLoop loop;
            for (int i = 0; i < 20; ++i)
                loop.processEvents(QEventLoop::AllEvents);
        };
        client.send(get("/a") + get("/settle") + get("/c"));
        QStringList order;
        for (int i = 0; i < 3; ++i) {
            const auto response = client.read();
            QVERIFY(response);
            order << pathOf(*response);
        }
        QCOMPARE(order, (QStringList{QStringLiteral("/a"), QStringLiteral("/settle"), QStringLiteral("/c")}));
        QCOMPARE(m_handler->calls, 3);
    }

    void connectionCloseIsHonoured()
    {
        RawClient client(port());
        client.send(get("/bye", "Connection: close\r\n"));
        const auto response = client.read();
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        QCOMPARE(response->header("Connection"), QByteArray("close"));
        QVERIFY(client.waitForClosed());
    }

    void closingConnectionEndsEvenIfTheClientNeverCloses()
    {
        // A bare socket that sends and then neither reads nor closes (Qt's would close on EOF).
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        QVERIFY(fd >= 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port());
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        QCOMPARE(::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address), 0);
        const QByteArray request = get("/last", "Connection: close\r\n");
        QCOMPARE(::send(fd, request.constData(), size_t(request.size()), 0), ssize_t(request.size()));
        QTRY_COMPARE_WITH_TIMEOUT(m_server->stats().requests, 1u, 5000);
        QCOMPARE(m_server->connectionCount(), 1); // half-closed, draining what the client may send
        m_clock->advance(1999);
        QCOMPARE(m_server->connectionCount(), 1);
        m_clock->advance(1); // the linger period is over
        QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionCount(), 0, 5000);
        ::close(fd);
    }

    void http10ClosesUnlessKeepAliveIsAsked()
    {
        RawClient plain(port());
        plain.send("GET /old HTTP/1.0\r\n\r\n");
        const auto first = plain.read();
        QVERIFY(first);
        QCOMPARE(first->status, 200);
        QVERIFY(plain.waitForClosed());

        RawClient kept(port());
        kept.send("GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        QVERIFY(kept.read());
        kept.send("GET /again HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        const auto second = kept.read();
        QVERIFY(second);
        QCOMPARE(pathOf(*second), QStringLiteral("/again"));
    }

    void malformedRequestLineGets400AndClose()
    {
        RawClient client(port());
        client.send("THIS IS NOT HTTP\r\n\r\n");
        const auto response = client.read();
        QVERIFY(response);
        QCOMPARE(response->status, 400);
        QCOMPARE(response->error(), QStringLiteral("Malformed HTTP request"));
        QVERIFY(client.waitForClosed());
        QCOMPARE(m_handler->calls, 0);
    }

    void headerLineWithoutColonGets400()
    {
        RawClient client(port());
        client.send("GET / HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n");
        const auto response = client.read();
        QVERIFY(response);
        QCOMPARE(response->status, 400);
        QCOMPARE(m_handler->calls, 0);
    }

    void declaredBodyOverOneMiBGets413BeforeTheBodyIsSent()
    {
        RawClient client(port());
        client.send("POST /big HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1048577\r\n\r\n");
        const auto response = client.read();
        QVERIFY(response);
        QCOMPARE(response->status, 413);
        QCOMPARE(response->error(), QStringLiteral("Request body too large"));
        QVERIFY(client.waitForClosed());
        QCOMPARE(m_handler->calls, 0);
    }

    void bodyOfExactlyOneMiBIsAccepted()
    {
        RawClient client(port());
        const QByteArray body(1024 * 1024, 'x');
        client.send("POST /max HTTP/1.1\r\nHost: x\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        const auto response = client.read();
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        QCOMPARE(response->json().value(QStringLiteral("body_bytes")).toInt(), body.size());
    }

    void streamedChunkedBodyOverOneMiBGets413WithoutBufferingIt()
    {
        RawClient client(port());
        client.send("POST /stream HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
        const QByteArray chunk(256 * 1024, 'y');
        const QByteArray framed = QByteArray::number(chunk.size(), 16) + "\r\n" + chunk + "\r\n";
        std::optional<Response> response;
        // Keep streaming until the server answers: it must not wait for the end of the body.
        for (int i = 0; i < 40 && !response; ++i) {
            if (client.isConnected())
                client.send(framed);
            response = client.read(200);
        }
        QVERIFY(response);
        QCOMPARE(response->status, 413);
        QVERIFY(m_server->stats().bytesReceived < 2u * 1024 * 1024);
        QCOMPARE(m_handler->calls, 0);
    }

    void headerBlockOver16KiBGets431()
    {
        RawClient client(port());
        client.send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + QByteArray(17 * 1024, 'h') + "\r\n\r\n");
        const auto response = client.read();
        QVERIFY(response);
        QCOMPARE(response->status, 431);
        QCOMPARE(response->error(), QStringLiteral("Request header fields too large"));
        QVERIFY(client.waitForClosed());
    }

    void headerBlockJustUnder16KiBIsAccepted()
    {
        RawClient client(port());
        client.send("GET /fits HTTP/1.1\r\nHost: x\r\nX-Big: " + QByteArray(15 * 1024, 'h') + "\r\n\r\n");
        const auto response = client.read();
        QVERIFY(response);
        QCOMPARE(response->status, 200);
    }

    void stalledRequestGets408AfterTenSeconds()
    {
        RawClient client(port());
        const QByteArray partial = "POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc";
        client.send(partial);
        WAIT_SERVER_READ(quint64(partial.size()));
        m_clock->advance(9'999);
        QVERIFY(!client.read(50));
        m_clock->advance(1);
        const auto response = client.read();
        QVERIFY(response);
        QCOMPARE(response->status, 408);
        QCOMPARE(response->error(), QStringLiteral("Request timeout"));
        QVERIFY(client.waitForClosed());
        QCOMPARE(m_handler->calls, 0);
    }

    void progressRestartsTheStallTimer()
    {
        RawClient client(port());
        client.send("POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\na");
        WAIT_SERVER_READ(1);
        const quint64 before = m_server->stats().bytesReceived;
        m_clock->advance(8'000);
        client.send("b");
        WAIT_SERVER_READ(before + 1);
        m_clock->advance(8'000); // 16 s since the start, 8 s since the last byte
        client.send("cd");
        const auto response = client.read();
        QVERIFY(response);
        QCOMPARE(response->status, 200);
    }

    void idleKeepAliveConnectionIsClosedQuietly()
    {
        RawClient client(port());
        client.send(get("/once"));
        QVERIFY(client.read());
        m_clock->advance(75'000);
        QVERIFY(client.waitForClosed());
        QVERIFY(client.pending().isEmpty()); // no 408 for a connection that asked nothing
    }

    void expect100ContinueGetsAnInterimAnswer()
    {
        RawClient client(port());
        client.send("POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");
        const auto interim = client.read();
        QVERIFY(interim);
        QCOMPARE(interim->status, 100);
        client.send("{}");
        const auto response = client.read();
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        QCOMPARE(response->json().value(QStringLiteral("body_bytes")).toInt(), 2);
    }

    void expect100WithTooLargeBodyGets413Instead()
    {
        RawClient client(port());
        client.send("POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\nExpect: 100-continue\r\n\r\n");
        const auto response = client.read();
        QVERIFY(response);
        QCOMPARE(response->status, 413);
    }

    void headAnswerHasNoBody()
    {
        RawClient client(port());
        client.send(get("/h"));
        const auto full = client.read();
        QVERIFY(full);
        client.send("HEAD /h HTTP/1.1\r\nHost: x\r\n\r\n");
        const auto head = client.read(5000, true);
        QVERIFY(head);
        QCOMPARE(head->status, 200);
        QCOMPARE(head->header("Content-Length"), full->header("Content-Length"));
        QVERIFY(head->body.isEmpty());
        // The connection stays usable: no stray body bytes are waiting in front of the next answer.
        client.send(get("/after"));
        const auto next = client.read();
        QVERIFY(next);
        QCOMPARE(pathOf(*next), QStringLiteral("/after"));
    }

    void randomBytesNeverStopTheServer()
    {
        // Seeded, so a failure reproduces. Each connection gets a mangled request: a valid one
        // with bytes flipped, cut short or padded with noise. Whatever the server answers must be
        // a well-formed HTTP response, and it must keep serving.
        QRandomGenerator rng(20261203);
        const QByteArray valid = "POST /r HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}";
        for (int i = 0; i < 150; ++i) {
            QByteArray bytes = valid;
            const int flips = 1 + int(rng.bounded(6));
            for (int f = 0; f < flips; ++f)
                bytes[int(rng.bounded(bytes.size()))] = char(rng.bounded(256));
            if (rng.bounded(3) == 0)
                bytes.truncate(int(rng.bounded(bytes.size())));
            if (rng.bounded(3) == 0) {
                QByteArray noise(int(rng.bounded(64)), Qt::Uninitialized);
                for (char &c : noise)
                    c = char(rng.bounded(256));
                bytes += noise;
            }
            RawClient client(port());
            client.send(bytes);
            // End our side: an incomplete request then ends at once instead of waiting to stall.
            ::shutdown(int(client.socket().socketDescriptor()), SHUT_WR);
            if (const auto response = client.read(2000)) {
                QVERIFY2(response->status == 200 || response->status == 400 || response->status == 413
                             || response->status == 417 || response->status == 431 || response->status == 405,
                         qPrintable(QString::number(response->status)));
            }
            client.socket().abort();
        }
        RawClient probe(port());
        probe.send(get("/alive"));
        const auto response = probe.read();
        QVERIFY(response);
        QCOMPARE(response->status, 200);
    }

    void clientVanishingMidRequestLeavesTheServerServing()
    {
        {
            RawClient client(port());
            client.send("POST /gone HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nhalf");
            WAIT_SERVER_READ(4);
            client.socket().abort();
        }
        {
            RawClient client(port());
            client.send(get("/unread"));
            client.socket().abort(); // asks, then leaves before the answer
        }
        QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionCount(), 0, 5000);
        RawClient next(port());
        next.send(get("/still-here"));
        const auto response = next.read();
        QVERIFY(response);
        QCOMPARE(response->status, 200);
    }
};

QTEST_GUILESS_MAIN(TestHttpServer)
#include "tst_httpserver.moc"
