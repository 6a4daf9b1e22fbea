// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "httphandler.h"

#include <QObject>

namespace VoiceSim {

class Clock;

// One request as the timeline shows it: what came in and what went back.
struct HttpExchange
{
    quint64 serial = 0; // as in received()
    qint64 atMs = 0; // engine clock, Unix ms, when the request arrived
    QByteArray method;
    QByteArray path; // percent-encoding intact
    int status = 0;
    qint64 durationUs = 0;
    QString sessionUuid; // from /api/v1/sessions/{uuid}/… or /sim/v1/calls/{uuid}/…
    QString roomId;      // from /api/v1/conferences/{room_id}…
    QByteArray requestBody;  // at most kBodyCap bytes
    QByteArray responseBody; // at most kBodyCap bytes
    static constexpr qsizetype kBodyCap = 16 * 1024;
};

// Passes every request to the next handler and reports the exchange, for the desktop app's
// timeline. It copies nothing while no one listens, so the headless server pays nothing.
class RequestLog final : public QObject, public HttpHandler
{
    Q_OBJECT
public:
    RequestLog(HttpHandler &next, Clock &clock, QObject *parent = nullptr);
    HttpResponse handle(const HttpRequest &request) override;

    // The stream a path belongs to: (session uuid, room id), either may be empty.
    static std::pair<QString, QString> streamsOf(QByteArrayView path);

Q_SIGNALS:
    // Before the handler runs, so a listener can place the request before the events it causes.
    void received(quint64 serial, qint64 atMs);
    void handled(const VoiceSim::HttpExchange &exchange);

private:
    HttpHandler &m_next;
    Clock &m_clock;
    quint64 m_serial = 0;
};

} // namespace VoiceSim
