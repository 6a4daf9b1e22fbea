// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "httpconnection.h"

#include "httphandler.h"

#include <QMetaObject>

#include <QTcpSocket>

#include <sys/socket.h>

#include <boost/beast/core/error.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <memory_resource>
#include <optional>

namespace http = boost::beast::http;

namespace VoiceSim {

struct HttpConnection::Parser
{
    // Beast allocates every header field on its own; an arena per connection, emptied between
    // requests, turns those into pointer bumps. Header blocks over the buffer spill to the heap.
    using Allocator = std::pmr::polymorphic_allocator<char>;
    using RequestParser = http::request_parser<http::string_body, Allocator>;

    void reset()
    {
        parser.reset();
        arena.release();
    }

    alignas(std::max_align_t) std::byte buffer[4096];
    std::pmr::monotonic_buffer_resource arena{buffer, sizeof buffer};
    std::optional<RequestParser> parser;
    bool started = false; // a byte of the current request has arrived
};

HttpConnection::HttpConnection(QTcpSocket *socket, HttpHandler &handler, Clock &clock,
                               const HttpLimits &limits, HttpStats &stats, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_handler(handler)
    , m_clock(clock)
    , m_limits(limits)
    , m_stats(stats)
    , m_parser(std::make_unique<Parser>())
{
    socket->setParent(this);
    // Bounded input: Qt stops reading from the kernel once this much is buffered.
    socket->setReadBufferSize(64 * 1024);
    connect(socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(socket, &QTcpSocket::bytesWritten, this, [this] {
        if (!m_socket)
            return;
        if (m_closing) {
            if (!m_halfClosed && m_socket->bytesToWrite() == 0)
                finishClose();
        } else if (m_socket->bytesToWrite() < m_limits.maxPendingWriteBytes) {
            processBuffer();
        }
    });
    connect(socket, &QTcpSocket::disconnected, this, &HttpConnection::markClosed);
    m_lastProgressMs = m_clock.nowMs();
    armTimer();
}

HttpConnection::~HttpConnection()
{
    m_clock.cancel(m_timer);
}

void HttpConnection::onReadyRead()
{
    if (!m_socket)
        return;
    if (m_dispatching) {
        m_readPending = true; // see processBuffer(); m_buffer must not grow under the parser
        return;
    }
    if (m_closing) {
        m_socket->readAll(); // the final answer is out; whatever follows is drained unparsed
        return;
    }
    if (m_socket->bytesToWrite() >= m_limits.maxPendingWriteBytes)
        return; // the client is not reading its answers; wait for bytesWritten
    readAvailable();
    processBuffer();
    // Send this batch's answers now instead of one more event-loop round for the write
    // notifier; pipelined requests still share one write.
    if (m_socket && m_socket->bytesToWrite() > 0)
        m_socket->flush();
}

void HttpConnection::readAvailable()
{
    // Straight into the parse buffer, which keeps its capacity between requests.
    const qint64 available = m_socket->bytesAvailable();
    if (available <= 0)
        return;
    const qsizetype old = m_buffer.size();
    m_buffer.resize(old + qsizetype(available));
    const qint64 got = m_socket->read(m_buffer.data() + old, available);
    m_buffer.resize(old + qsizetype(std::max<qint64>(0, got)));
    m_stats.bytesReceived += quint64(std::max<qint64>(0, got));
}

void HttpConnection::processBuffer()
{
    if (m_dispatching) {
        // A handler runs a local event loop (the virtual clock's settle, C-CLOCK) and a write
        // or read notification arrived meanwhile: the parser is busy with that handler's
        // request, so the next one waits until it has been answered.
        m_readPending = true;
        return;
    }
    while (!m_closing && m_socket) {
        if (m_buffer.isEmpty() && m_socket->bytesAvailable() > 0)
            readAvailable();
        if (m_buffer.isEmpty())
            return;
        if (m_socket->bytesToWrite() >= m_limits.maxPendingWriteBytes)
            return;
        if (!feedParser())
            return;
    }
}

// Returns true when a whole request was handled and the loop may look for the next one.
bool HttpConnection::feedParser()
{
    if (!m_parser->parser) {
        auto &parser = m_parser->parser.emplace(std::piecewise_construct, std::make_tuple(),
                                                std::make_tuple(Parser::Allocator(&m_parser->arena)));
        parser.header_limit(m_limits.maxHeaderBytes);
        parser.body_limit(m_limits.maxBodyBytes);
        m_headerChecked = false;
    }
    auto &parser = *m_parser->parser;
    if (!m_parser->started) {
        m_parser->started = true;
        noteProgress();
    }

    for (;;) {
        boost::beast::error_code ec;
        const std::size_t used = parser.put(
            boost::asio::const_buffer(m_buffer.constData(), std::size_t(m_buffer.size())), ec);
        if (used > 0) {
            m_buffer.remove(0, qsizetype(used));
            noteProgress();
        }
        if (ec == http::error::need_more)
            return false;
        if (ec == http::error::header_limit) {
            failRequest(431, QStringLiteral("Request header fields too large"));
            return false;
        }
        if (ec == http::error::body_limit) {
            failRequest(413, QStringLiteral("Request body too large"));
            return false;
        }
        if (ec) {
            failRequest(400, QStringLiteral("Malformed HTTP request"));
            return false;
        }
        if (parser.is_header_done() && !m_headerChecked) {
            m_headerChecked = true;
            const auto &req = parser.get();
            const auto expect = req[http::field::expect];
            if (!expect.empty()) {
                if (!boost::beast::iequals(expect, "100-continue")) {
                    failRequest(417, QStringLiteral("Unsupported Expect header"));
                    return false;
                }
                if (!parser.is_done())
                    m_socket->write(QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n"));
            }
        }
        if (parser.is_done()) {
            dispatchRequest();
            return true;
        }
        if (used == 0)
            return false;
        if (m_buffer.isEmpty())
            return false;
    }
}

void HttpConnection::dispatchRequest()
{
    const auto &message = m_parser->parser->get();

    HttpRequest request;
    request.method = QByteArray(message.method_string().data(), qsizetype(message.method_string().size()));
    request.target = QByteArray(message.target().data(), qsizetype(message.target().size()));
    const qsizetype q = request.target.indexOf('?');
    request.path = q < 0 ? request.target : request.target.left(q);
    request.query = q < 0 ? QByteArray() : request.target.mid(q + 1);
    for (const auto &field : message) {
        request.addHeader(QByteArrayView(field.name_string().data(), qsizetype(field.name_string().size())),
                          QByteArrayView(field.value().data(), qsizetype(field.value().size())));
    }
    request.body = QByteArray::fromStdString(message.body());
    if (m_socket)
        request.peer = m_socket->peerAddress();

    ++m_stats.requests;
    const bool keepAlive = message.keep_alive();
    const bool head = message.method() == http::verb::head;
    m_dispatching = true;
    HttpResponse response = m_handler.handle(request);
    m_dispatching = false;
    if (m_readPending) {
        m_readPending = false;
        QMetaObject::invokeMethod(this, &HttpConnection::onReadyRead, Qt::QueuedConnection);
    }
    m_parser->reset(); // message is gone from here on
    m_parser->started = false;
    writeResponse(std::move(response), head, keepAlive);
    if (!keepAlive)
        closeAfterWrite();
    m_lastProgressMs = m_clock.nowMs();
}

void HttpConnection::failRequest(int status, const QString &message)
{
    writeResponse(HttpResponse::error(status, message), false, false);
    closeAfterWrite();
}

void HttpConnection::writeResponse(HttpResponse response, bool headRequest, bool keepAlive)
{
    if (!m_socket)
        return;
    QByteArray out;
    out.reserve(256 + (headRequest ? 0 : response.body.size()));
    out += "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + reasonPhrase(response.status) + "\r\n";
    for (const auto &[name, value] : response.headers)
        out += name + ": " + value + "\r\n";
    out += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
    if (!keepAlive)
        out += "Connection: close\r\n";
    out += "\r\n";
    if (!headRequest)
        out += response.body;
    m_socket->write(out);
}

void HttpConnection::closeAfterWrite()
{
    m_closing = true;
    m_buffer.clear();
    // A client that never reads its answer must not keep the connection forever.
    armLingerTimer();
    if (m_socket && m_socket->bytesToWrite() == 0)
        finishClose();
    // else bytesWritten calls finishClose() once the answer is out
}

void HttpConnection::armLingerTimer()
{
    m_clock.cancel(m_timer);
    m_timer = m_clock.callAfter(m_limits.lingerMs, this, [this] {
        m_timer = 0;
        if (m_socket)
            m_socket->abort();
        markClosed();
    });
}

void HttpConnection::finishClose()
{
    // Lingering close: end our direction first and drain what the client still sends, so the
    // kernel does not answer unread input with a reset that would destroy the answer.
    m_halfClosed = true;
    if (!m_socket)
        return;
    ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
    armLingerTimer(); // the drain period starts now
}

void HttpConnection::markClosed()
{
    if (m_closed)
        return;
    m_closed = true;
    m_closing = true;
    m_clock.cancel(m_timer);
    m_timer = 0;
    Q_EMIT closed();
}

void HttpConnection::noteProgress()
{
    m_lastProgressMs = m_clock.nowMs();
}

void HttpConnection::armTimer()
{
    // One timer per connection, re-armed lazily: progress only records a time stamp, so the hot
    // path never touches the timer queue. While idle it wakes at least once per stall period, so
    // a request that starts later is still caught exactly 10 s after its last byte.
    const qint64 now = m_clock.nowMs();
    qint64 at = m_lastProgressMs + m_limits.stallTimeoutMs;
    if (at <= now)
        at = now + m_limits.stallTimeoutMs;
    if (!m_parser->started)
        at = std::min(at, m_lastProgressMs + m_limits.idleTimeoutMs);
    m_timer = m_clock.callAfter(at - now, this, [this] { onTimer(); });
}

void HttpConnection::onTimer()
{
    m_timer = 0;
    if (m_closing || !m_socket)
        return;
    const qint64 quietMs = m_clock.nowMs() - m_lastProgressMs;
    if (m_parser->started && quietMs >= m_limits.stallTimeoutMs) {
        failRequest(408, QStringLiteral("Request timeout"));
        return;
    }
    if (!m_parser->started && quietMs >= m_limits.idleTimeoutMs) {
        closeAfterWrite();
        return;
    }
    armTimer();
}

} // namespace VoiceSim
