// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "httplimits.h"

#include <QHostAddress>
#include <QObject>
#include <QTcpServer>

namespace VoiceSim {

class Clock;
class HttpHandler;

// Listens on one address and hands each connection to an HttpConnection.
class HttpServer final : public QObject
{
    Q_OBJECT
public:
    HttpServer(HttpHandler &handler, Clock &transportClock, HttpLimits limits = {},
               QObject *parent = nullptr);

    bool listen(const QHostAddress &address, quint16 port);
    quint16 port() const { return m_server.serverPort(); }
    QHostAddress address() const { return m_server.serverAddress(); }
    QString errorString() const { return m_server.errorString(); }
    int connectionCount() const { return m_connections; }
    const HttpStats &stats() const { return m_stats; }

private:
    void onNewConnection();

    QTcpServer m_server;
    HttpHandler &m_handler;
    Clock &m_clock;
    HttpLimits m_limits;
    int m_connections = 0;
    HttpStats m_stats;
};

} // namespace VoiceSim
