// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "router.h"

#include <QByteArrayList>
#include <QUrl>

#include <algorithm>

namespace VoiceSim {

namespace {

QList<QByteArrayView> splitPath(QByteArrayView path)
{
    QList<QByteArrayView> segments;
    qsizetype start = path.startsWith('/') ? 1 : 0;
    while (start <= path.size()) {
        qsizetype end = path.indexOf('/', start);
        if (end < 0)
            end = path.size();
        segments.append(path.sliced(start, end - start));
        start = end + 1;
    }
    return segments;
}

} // namespace

void Router::addRoute(const QByteArray &method, const QString &pattern, Handler handler)
{
    Route route;
    route.method = method;
    route.segments = pattern.mid(1).split(QLatin1Char('/'));
    if (!route.segments.isEmpty() && route.segments.last().startsWith(QLatin1String("{*"))) {
        route.tail = true;
    }
    route.handler = std::move(handler);
    m_routes.append(std::move(route));
}

void Router::addGuard(const QByteArray &prefix, Guard guard)
{
    m_guards.append({prefix, std::move(guard)});
}

bool Router::match(const Route &route, const QList<QByteArrayView> &segments, PathParams *params)
{
    const qsizetype fixed = route.tail ? route.segments.size() - 1 : route.segments.size();
    if (route.tail ? segments.size() <= fixed : segments.size() != fixed)
        return false;
    for (qsizetype i = 0; i < fixed; ++i) {
        const QString &want = route.segments.at(i);
        if (want.startsWith(QLatin1Char('{'))) {
            if (segments.at(i).isEmpty())
                return false;
            if (params)
                params->insert(want.mid(1, want.size() - 2),
                               QUrl::fromPercentEncoding(segments.at(i).toByteArray()));
        } else if (segments.at(i) != want.toLatin1()) {
            return false;
        }
    }
    if (route.tail && params) {
        QByteArrayList rest;
        for (qsizetype i = fixed; i < segments.size(); ++i)
            rest.append(QUrl::fromPercentEncoding(segments.at(i).toByteArray()).toUtf8());
        const QString &name = route.segments.last();
        params->insert(name.mid(2, name.size() - 3), QString::fromUtf8(rest.join('/')));
    }
    return true;
}

HttpResponse Router::handle(const HttpRequest &request)
{
    for (const auto &[prefix, guard] : std::as_const(m_guards)) {
        if (request.path.startsWith(prefix)) {
            if (auto refusal = guard(request))
                return *refusal;
            break;
        }
    }

    const QList<QByteArrayView> segments = splitPath(request.path);
    const QByteArray method = request.method == "HEAD" ? QByteArrayLiteral("GET") : request.method;
    QByteArrayList allowed;
    for (const Route &route : std::as_const(m_routes)) {
        if (!match(route, segments, nullptr))
            continue;
        if (route.method == method) {
            PathParams params;
            match(route, segments, &params);
            return route.handler(request, params);
        }
        if (!allowed.contains(route.method))
            allowed.append(route.method);
    }
    if (allowed.isEmpty())
        return HttpResponse::error(404, QStringLiteral("Not found"));
    if (allowed.contains("GET"))
        allowed.append(QByteArrayLiteral("HEAD"));
    std::sort(allowed.begin(), allowed.end());
    return HttpResponse::error(405, QStringLiteral("Method not allowed"))
        .withHeader(QByteArrayLiteral("Allow"), allowed.join(", "));
}

} // namespace VoiceSim
