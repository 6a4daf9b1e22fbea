// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "httphandler.h"

#include <QHash>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace VoiceSim {

// Path parameters captured by a route pattern, percent-decoded.
using PathParams = QHash<QString, QString>;

// Explicit route table: method + pattern → handler. Patterns are split on '/', and '{name}'
// captures one encoded segment, so '%2F' never changes routing. A trailing '{*name}' captures
// the rest of the path. Guards run first for every path under their prefix (auth, rate limit).
class Router final : public HttpHandler
{
public:
    using Handler = std::function<HttpResponse(const HttpRequest &, const PathParams &)>;
    using Guard = std::function<std::optional<HttpResponse>(const HttpRequest &)>;

    void addRoute(const QByteArray &method, const QString &pattern, Handler handler);
    void addGuard(const QByteArray &prefix, Guard guard);

    HttpResponse handle(const HttpRequest &request) override;

private:
    struct Segment
    {
        QByteArray literal; // empty for a parameter
        QString param;
    };
    struct Route
    {
        QByteArray method;
        QList<Segment> segments; // without the tail parameter
        QString tailParam;       // non-empty when the pattern ends in {*name}
        Handler handler;
    };
    static bool match(const Route &route, const QList<QByteArrayView> &segments, PathParams *params);

    QList<Route> m_routes;
    QHash<QByteArray, QList<qsizetype>> m_byFirstSegment; // route indexes, so a request scans only its API's routes
    QList<QPair<QByteArray, Guard>> m_guards;
};

} // namespace VoiceSim
