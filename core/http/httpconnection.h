// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "httplimits.h"
#include "../clock/clock.h"

#include <QObject>
#include <QPointer>

#include <memory>

class QTcpSocket;

namespace VoiceSim {

class HttpHandler;
struct HttpResponse;

// One client connection: feeds socket bytes to a Boost.Beast parser with limits, answers
// requests strictly in order, and enforces stall and idle timeouts on the transport clock.
class HttpConnection final : public QObject
{
    Q_OBJECT
public:
    HttpConnection(QTcpSocket *socket, HttpHandler &handler, Clock &clock, const HttpLimits &limits,
                   HttpStats &stats, QObject *parent = nullptr);
    ~HttpConnection() override;

Q_SIGNALS:
    void closed();

private:
    void onReadyRead();
    void readAvailable();
    void processBuffer();
    bool feedParser();
    void dispatchRequest();
    void failRequest(int status, const QString &message);
    void writeResponse(HttpResponse response, bool headRequest, bool keepAlive);
    void closeAfterWrite();
    void finishClose();
    void armLingerTimer();
    void markClosed();
    void noteProgress();
    void armTimer();
    void onTimer();

    struct Parser;
    QPointer<QTcpSocket> m_socket;
    HttpHandler &m_handler;
    Clock &m_clock;
    HttpLimits m_limits;
    HttpStats &m_stats;
    std::unique_ptr<Parser> m_parser;
    QByteArray m_buffer;
    bool m_headerChecked = false;
    bool m_closing = false;
    bool m_dispatching = false; // inside the handler, which may run a local event loop
    bool m_readPending = false;
    bool m_halfClosed = false;
    bool m_closed = false;
    qint64 m_lastProgressMs = 0;
    TimerId m_timer = 0;
};

} // namespace VoiceSim
