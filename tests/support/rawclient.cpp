// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "rawclient.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QTimer>
#include <QJsonDocument>
#include <QSignalSpy>

#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

namespace http = boost::beast::http;

namespace VoiceSim::Test {

QByteArray Response::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QJsonObject Response::json() const
{
    return QJsonDocument::fromJson(body).object();
}

RawClient::RawClient(quint16 port)
{
    m_socket.connectToHost(QHostAddress::LocalHost, port);
    if (m_socket.state() != QAbstractSocket::ConnectedState) {
        QSignalSpy connected(&m_socket, &QTcpSocket::connected);
        connected.wait(5000);
    }
}

RawClient::~RawClient() = default;

bool RawClient::isConnected() const
{
    return m_socket.state() == QAbstractSocket::ConnectedState;
}

void RawClient::send(const QByteArray &bytes)
{
    m_socket.write(bytes);
    m_socket.flush();
}

std::optional<Response> RawClient::read(int timeoutMs, bool headRequest)
{
    const QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        m_buffer.append(m_socket.readAll());
        if (!m_buffer.isEmpty()) {
            http::response_parser<http::string_body> parser;
            parser.body_limit(64 * 1024 * 1024);
            parser.skip(headRequest);
            boost::beast::error_code ec;
            std::size_t used = 0;
            while (!ec && !parser.is_done() && used < std::size_t(m_buffer.size()))
                used += parser.put(boost::asio::const_buffer(m_buffer.constData() + used, std::size_t(m_buffer.size()) - used), ec);
            const bool closed = m_socket.state() != QAbstractSocket::ConnectedState;
            if (!parser.is_done() && closed && parser.need_eof()) {
                parser.put_eof(ec);
            }
            if (parser.is_done()) {
                m_buffer.remove(0, qsizetype(used));
                const auto &message = parser.get();
                Response response;
                response.status = int(message.result_int());
                for (const auto &field : message)
                    response.headers.append({QByteArray(field.name_string().data(), qsizetype(field.name_string().size())),
                                             QByteArray(field.value().data(), qsizetype(field.value().size()))});
                response.body = QByteArray::fromStdString(message.body());
                response.keepAlive = message.keep_alive();
                return response;
            }
            if (ec && ec != http::error::need_more)
                return std::nullopt;
        }
        if (m_socket.state() != QAbstractSocket::ConnectedState && m_socket.bytesAvailable() == 0)
            return std::nullopt;
        if (deadline.hasExpired())
            return std::nullopt;
        if (m_socket.bytesAvailable() == 0 && m_socket.state() == QAbstractSocket::ConnectedState)
            waitForSocket(int(std::max<qint64>(1, deadline.remainingTime())));
    }
}

void RawClient::waitForSocket(int timeoutMs)
{
    // Wakes on new bytes or on the peer closing, whichever comes first (a signal wait, no sleep).
    QEventLoop loop;
    QObject::connect(&m_socket, &QTcpSocket::readyRead, &loop, &QEventLoop::quit);
    QObject::connect(&m_socket, &QTcpSocket::disconnected, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
}

bool RawClient::waitForClosed(int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (m_socket.state() != QAbstractSocket::UnconnectedState) {
        m_buffer.append(m_socket.readAll());
        if (deadline.hasExpired())
            return false;
        waitForSocket(int(std::max<qint64>(1, deadline.remainingTime())));
    }
    m_buffer.append(m_socket.readAll());
    return true;
}

ApiClient::ApiClient(quint16 port)
    : m_port(port)
{
}

Response ApiClient::request(const QByteArray &method, const QByteArray &path, const Headers &headers,
                            const QByteArray &body)
{
    if (!m_client || !m_client->isConnected())
        m_client = std::make_unique<RawClient>(m_port);
    QByteArray out = method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    bool hasType = false;
    for (const auto &[name, value] : headers) {
        out += name + ": " + value + "\r\n";
        hasType = hasType || name.compare("Content-Type", Qt::CaseInsensitive) == 0;
    }
    if (!body.isEmpty() && !hasType)
        out += "Content-Type: application/json\r\n";
    out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    m_client->send(out);
    auto response = m_client->read(m_timeoutMs, method == "HEAD");
    if (!response)
        return Response{};
    if (!response->keepAlive)
        m_client.reset();
    return *response;
}

Response ApiClient::post(const QByteArray &path, const Headers &headers, const QJsonObject &body)
{
    return request("POST", path, headers, body.isEmpty() ? QByteArray("{}") : QJsonDocument(body).toJson(QJsonDocument::Compact));
}

} // namespace VoiceSim::Test
