// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "httpserver.h"

#include "httpconnection.h"

#include <QTcpSocket>

namespace VoiceSim {

HttpServer::HttpServer(HttpHandler &handler, Clock &transportClock, HttpLimits limits, QObject *parent)
    : QObject(parent)
    , m_handler(handler)
    , m_clock(transportClock)
    , m_limits(limits)
{
    connect(&m_server, &QTcpServer::newConnection, this, &HttpServer::onNewConnection);
}

bool HttpServer::listen(const QHostAddress &address, quint16 port)
{
    return m_server.listen(address, port);
}

void HttpServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        auto *connection = new HttpConnection(socket, m_handler, m_clock, m_limits, m_stats, this);
        ++m_connections;
        ++m_stats.connectionsAccepted;
        connect(connection, &HttpConnection::closed, this, [this, connection] {
            --m_connections;
            connection->deleteLater();
        });
    }
}

} // namespace VoiceSim
