// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "requestlog.h"

#include "../clock/clock.h"

#include <QElapsedTimer>
#include <QMetaMethod>
#include <QUrl>

namespace VoiceSim {

RequestLog::RequestLog(HttpHandler &next, Clock &clock, QObject *parent)
    : QObject(parent)
    , m_next(next)
    , m_clock(clock)
{
}

HttpResponse RequestLog::handle(const HttpRequest &request)
{
    if (!isSignalConnected(QMetaMethod::fromSignal(&RequestLog::handled)))
        return m_next.handle(request);
    HttpExchange exchange;
    exchange.serial = ++m_serial;
    exchange.atMs = m_clock.epochMs();
    Q_EMIT received(exchange.serial, exchange.atMs);
    QElapsedTimer timer;
    timer.start();
    HttpResponse response = m_next.handle(request);
    exchange.durationUs = timer.nsecsElapsed() / 1000;
    exchange.method = request.method;
    exchange.path = request.target;
    exchange.status = response.status;
    std::tie(exchange.sessionUuid, exchange.roomId) = streamsOf(request.path);
    exchange.requestBody = request.body.left(HttpExchange::kBodyCap);
    exchange.responseBody = response.body.left(HttpExchange::kBodyCap);
    Q_EMIT handled(exchange);
    return response;
}

std::pair<QString, QString> RequestLog::streamsOf(QByteArrayView path)
{
    const QList<QByteArray> parts = path.toByteArray().split('/');
    // ["", "api", "v1", "sessions", uuid, …] or ["", "sim", "v1", "calls", uuid, …]
    if (parts.size() < 5)
        return {};
    const QString id = QUrl::fromPercentEncoding(parts[4]);
    if ((parts[1] == "api" && parts[3] == "sessions") || (parts[1] == "sim" && parts[3] == "calls"))
        return {id, {}};
    if (parts[1] == "api" && parts[3] == "conferences")
        return {{}, id};
    return {};
}

} // namespace VoiceSim
