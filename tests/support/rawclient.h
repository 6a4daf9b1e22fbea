// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QTcpSocket>

#include <memory>
#include <optional>

namespace VoiceSim::Test {

// One HTTP response as it came off the wire.
struct Response
{
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    bool keepAlive = true;

    QByteArray header(QByteArrayView name) const;
    QJsonObject json() const;
    QString error() const { return json().value(QStringLiteral("error")).toString(); }
};

// A test client on a raw socket: sends exact bytes, parses answers with Boost.Beast, and waits
// on the event loop (never sleeps), so it can talk to a server in the same thread.
class RawClient
{
public:
    explicit RawClient(quint16 port);
    ~RawClient();

    bool isConnected() const;
    void send(const QByteArray &bytes);
    // The next response; nullopt if none completes within timeoutMs of wall time.
    std::optional<Response> read(int timeoutMs = 5000, bool headRequest = false);
    // Waits until the server closes the connection.
    bool waitForClosed(int timeoutMs = 5000);
    // Bytes received but not yet parsed as a response.
    QByteArray pending() const { return m_buffer; }
    QTcpSocket &socket() { return m_socket; }

private:
    void waitForSocket(int timeoutMs);

    QTcpSocket m_socket;
    QByteArray m_buffer;
};

// Convenience for API tests: one keep-alive connection, JSON in and out.
class ApiClient
{
public:
    explicit ApiClient(quint16 port);

    using Headers = QList<QPair<QByteArray, QByteArray>>;
    Response request(const QByteArray &method, const QByteArray &path, const Headers &headers = {},
                     const QByteArray &body = {});
    Response post(const QByteArray &path, const Headers &headers, const QJsonObject &body = {});
    // How long (wall ms) to wait for each response; 10 s unless set.
    void setTimeout(int timeoutMs) { m_timeoutMs = timeoutMs; }

private:
    quint16 m_port;
    int m_timeoutMs = 10'000;
    std::unique_ptr<RawClient> m_client;
};

} // namespace VoiceSim::Test
