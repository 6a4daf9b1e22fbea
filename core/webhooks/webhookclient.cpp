// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "webhookclient.h"

#include <QElapsedTimer>
#include <QMetaObject>
#include <QSslSocket>
#include <QTcpSocket>

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>

#include <limits>
#include <optional>

namespace http = boost::beast::http;

namespace VoiceSim {

QByteArray WebhookResponse::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers)
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

struct WebhookClient::Connection
{
    QString key;
    std::unique_ptr<QTcpSocket> socket;
};

struct WebhookClient::Attempt
{
    WebhookRequest request;
    Callback done;
    std::unique_ptr<Connection> connection;
    TimerId timer = 0;
    QElapsedTimer elapsed; // latency is measured, never waited on: wall time
    bool written = false;
    QByteArray input; // received bytes the parser has not consumed yet
    std::optional<http::response_parser<http::buffer_body>> parser;
    char chunk[16 * 1024];
    QByteArray body;
    bool truncated = false;

    void resetChunk()
    {
        parser->get().body().data = chunk;
        parser->get().body().size = sizeof chunk;
        parser->get().body().more = true;
    }
};

namespace {

QString keyOf(const QUrl &url)
{
    const bool tls = url.scheme() == QLatin1String("https");
    return url.scheme() + QStringLiteral("://") + url.host() + QLatin1Char(':') + QString::number(url.port(tls ? 443 : 80));
}

QByteArray requestBytes(const WebhookRequest &request)
{
    const QUrl &url = request.url;
    QByteArray target = url.path(QUrl::FullyEncoded).toLatin1();
    if (target.isEmpty())
        target = "/";
    if (url.hasQuery())
        target += '?' + url.query(QUrl::FullyEncoded).toLatin1();
    QByteArray out;
    out.reserve(384 + request.body.size());
    out += "POST " + target + " HTTP/1.1\r\n" + (request.head.isEmpty() ? WebhookClient::requestHead(request) : request.head) + "\r\n";
    out += request.body;
    return out;
}

} // namespace

QByteArray WebhookClient::requestHead(const WebhookRequest &request)
{
    const QUrl &url = request.url;
    QByteArray host = url.host(QUrl::FullyEncoded).toLatin1();
    if (host.contains(':'))
        host = '[' + host + ']';
    if (url.port() > 0)
        host += ':' + QByteArray::number(url.port());
    QByteArray out;
    out.reserve(320);
    out += "Host: " + host + "\r\nContent-Length: " + QByteArray::number(request.body.size()) + "\r\n";
    for (const auto &[name, value] : request.headers)
        out += name + ": " + value + "\r\n";
    return out;
}

WebhookClient::WebhookClient(Clock &clock, qsizetype bodyCap, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_bodyCap(bodyCap)
{
}

WebhookClient::~WebhookClient()
{
    for (auto &[id, attempt] : m_attempts) {
        m_clock.cancel(attempt->timer);
        if (attempt->connection)
            attempt->connection->socket->disconnect(this);
    }
    for (auto &[key, pool] : m_idle)
        for (auto &connection : pool)
            connection->socket->disconnect(this);
}

int WebhookClient::idleConnections() const
{
    int n = 0;
    for (const auto &[key, pool] : m_idle)
        n += int(pool.size());
    return n;
}

quint64 WebhookClient::send(const WebhookRequest &request, Callback done)
{
    const quint64 id = m_nextId++;
    auto attempt = std::make_unique<Attempt>();
    attempt->request = request;
    attempt->done = std::move(done);
    attempt->elapsed.start();
    attempt->timer = m_clock.callAfter(request.timeoutMs, this, [this, id] {
        const auto it = m_attempts.find(id);
        if (it == m_attempts.end())
            return;
        it->second->timer = 0;
        fail(id, WebhookResponse::Outcome::Timeout,
             QStringLiteral("no response within ") + QString::number(it->second->request.timeoutMs) + QStringLiteral(" ms"));
    });
    m_attempts.emplace(id, std::move(attempt));
    QMetaObject::invokeMethod(this, [this, id] { start(id); }, Qt::QueuedConnection);
    return id;
}

std::unique_ptr<WebhookClient::Connection> WebhookClient::takeIdle(const QString &key)
{
    auto it = m_idle.find(key);
    while (it != m_idle.end() && !it->second.empty()) {
        std::unique_ptr<Connection> connection = std::move(it->second.back());
        it->second.pop_back();
        connection->socket->disconnect(this);
        if (connection->socket->state() == QAbstractSocket::ConnectedState && connection->socket->bytesAvailable() == 0)
            return connection;
        connection->socket->abort();
    }
    return nullptr;
}

void WebhookClient::start(quint64 id)
{
    const auto it = m_attempts.find(id);
    if (it == m_attempts.end())
        return;
    Attempt &a = *it->second;
    const QUrl &url = a.request.url;
    const bool tls = url.scheme() == QLatin1String("https");
    if (!url.isValid() || (!tls && url.scheme() != QLatin1String("http")) || url.host().isEmpty()) {
        fail(id, WebhookResponse::Outcome::ConnectionError, QStringLiteral("unsupported webhook URL: ") + url.toString());
        return;
    }
    a.parser.emplace();
    a.parser->header_limit(64 * 1024);
    a.parser->body_limit(std::numeric_limits<std::uint64_t>::max());
    a.parser->eager(true);
    a.resetChunk();

    const QString key = keyOf(url);
    a.connection = takeIdle(key);
    const bool fresh = !a.connection;
    if (fresh) {
        a.connection = std::make_unique<Connection>();
        a.connection->key = key;
        if (tls)
            a.connection->socket = std::make_unique<QSslSocket>();
        else
            a.connection->socket = std::make_unique<QTcpSocket>();
        ++m_connectionsOpened;
    }
    QTcpSocket *socket = a.connection->socket.get();
    const QByteArray bytes = requestBytes(a.request);
    const auto write = [this, id, bytes] {
        const auto found = m_attempts.find(id);
        if (found == m_attempts.end() || found->second->written)
            return;
        found->second->written = true;
        found->second->connection->socket->write(bytes);
    };
    Connection *connection = a.connection.get();
    connect(socket, &QTcpSocket::readyRead, this, [this, connection] { onReadable(connection); });
    connect(socket, &QAbstractSocket::errorOccurred, this, [this, id, socket](QAbstractSocket::SocketError error) {
        if (error == QAbstractSocket::RemoteHostClosedError)
            return; // handled as disconnected, where a body read to EOF can still complete
        fail(id, WebhookResponse::Outcome::ConnectionError, socket->errorString());
    });
    connect(socket, &QAbstractSocket::disconnected, this, [this, id] {
        const auto found = m_attempts.find(id);
        if (found == m_attempts.end())
            return;
        Attempt &attempt = *found->second;
        // A response without a length ends with the connection.
        if (attempt.parser && attempt.parser->is_header_done() && !attempt.parser->is_done()) {
            boost::beast::error_code ec;
            attempt.parser->put_eof(ec);
            if (!ec && attempt.parser->is_done()) {
                onReadable(attempt.connection.get());
                return;
            }
        }
        fail(id, WebhookResponse::Outcome::ConnectionError, QStringLiteral("connection closed before the response was complete"));
    });
    if (fresh) {
        connect(socket, &QAbstractSocket::connected, this, write);
        if (tls)
            static_cast<QSslSocket *>(socket)->connectToHostEncrypted(url.host(), quint16(url.port(443)));
        else
            socket->connectToHost(url.host(), quint16(url.port(80)));
        if (tls)
            connect(static_cast<QSslSocket *>(socket), &QSslSocket::encrypted, this, write);
    } else {
        write();
    }
}

void WebhookClient::onReadable(Connection *connection)
{
    quint64 id = 0;
    for (const auto &[attemptId, attempt] : m_attempts) {
        if (attempt->connection.get() == connection) {
            id = attemptId;
            break;
        }
    }
    if (!id)
        return;
    Attempt &a = *m_attempts.at(id);
    a.input += connection->socket->readAll();

    const auto drain = [&a, this] {
        const size_t got = sizeof a.chunk - a.parser->get().body().size;
        const qsizetype room = std::max<qsizetype>(0, m_bodyCap - a.body.size());
        a.body.append(a.chunk, std::min<qsizetype>(room, qsizetype(got)));
        if (qsizetype(got) > room)
            a.truncated = true;
        a.resetChunk();
    };
    qsizetype offset = 0;
    while (!a.parser->is_done()) {
        boost::beast::error_code ec;
        const size_t used = offset < a.input.size()
            ? a.parser->put(boost::asio::buffer(a.input.constData() + offset, size_t(a.input.size() - offset)), ec)
            : 0;
        offset += qsizetype(used);
        if (ec == http::error::need_buffer) {
            drain();
            continue;
        }
        if (ec == http::error::need_more || (!ec && used == 0))
            break;
        if (ec) {
            fail(id, WebhookResponse::Outcome::ProtocolError, QStringLiteral("malformed response: ") + QString::fromStdString(ec.message()));
            return;
        }
    }
    if (a.parser->is_header_done())
        drain();
    a.input.remove(0, offset);
    if (!a.parser->is_done())
        return;

    const auto &message = a.parser->get();
    WebhookResponse response;
    response.outcome = WebhookResponse::Outcome::Response;
    response.status = int(message.result_int());
    for (const auto &field : message)
        response.headers.append({QByteArray(field.name_string().data(), qsizetype(field.name_string().size())),
                                 QByteArray(field.value().data(), qsizetype(field.value().size()))});
    response.body = a.body;
    response.bodyTruncated = a.truncated;
    // Bytes beyond the response mean the peer speaks out of turn: do not reuse the connection.
    complete(id, response, message.keep_alive() && a.input.isEmpty() && connection->socket->bytesAvailable() == 0);
}

void WebhookClient::fail(quint64 id, WebhookResponse::Outcome outcome, const QString &error)
{
    const auto it = m_attempts.find(id);
    if (it == m_attempts.end())
        return;
    WebhookResponse response;
    response.outcome = outcome;
    response.error = error;
    complete(id, response, false);
}

std::unique_ptr<WebhookClient::Attempt> WebhookClient::take(quint64 id)
{
    const auto it = m_attempts.find(id);
    if (it == m_attempts.end())
        return nullptr;
    std::unique_ptr<Attempt> attempt = std::move(it->second);
    m_attempts.erase(it);
    m_clock.cancel(attempt->timer);
    return attempt;
}

void WebhookClient::complete(quint64 id, WebhookResponse response, bool keepAlive)
{
    std::unique_ptr<Attempt> attempt = take(id);
    if (!attempt)
        return;
    response.latencyMs = attempt->elapsed.elapsed();
    if (attempt->connection)
        release(std::move(attempt->connection), keepAlive);
    if (attempt->done)
        attempt->done(response);
}

void WebhookClient::release(std::unique_ptr<Connection> connection, bool keepAlive)
{
    QTcpSocket *socket = connection->socket.get();
    socket->disconnect(this);
    if (!keepAlive || socket->state() != QAbstractSocket::ConnectedState) {
        socket->abort();
        // Sockets may still be inside their own signal emission: delete from the event loop.
        connection->socket.release()->deleteLater();
        return;
    }
    // An idle connection the peer closes, or that talks unasked, is dropped from the pool.
    const QString key = connection->key;
    Connection *raw = connection.get();
    const auto drop = [this, key, raw] {
        auto pool = m_idle.find(key);
        if (pool == m_idle.end())
            return;
        for (auto c = pool->second.begin(); c != pool->second.end(); ++c) {
            if (c->get() == raw) {
                (*c)->socket->disconnect(this);
                (*c)->socket->abort();
                (*c)->socket.release()->deleteLater();
                pool->second.erase(c);
                return;
            }
        }
    };
    connect(socket, &QAbstractSocket::disconnected, this, drop, Qt::QueuedConnection);
    connect(socket, &QTcpSocket::readyRead, this, drop, Qt::QueuedConnection);
    m_idle[key].push_back(std::move(connection));
}

void WebhookClient::cancel(quint64 id)
{
    std::unique_ptr<Attempt> attempt = take(id);
    if (attempt && attempt->connection)
        release(std::move(attempt->connection), false);
}

} // namespace VoiceSim
