// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "router.h"

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
    const QStringList parts = pattern.mid(1).split(QLatin1Char('/'));
    for (const QString &part : parts) {
        if (part.startsWith(QLatin1String("{*")))
            route.tailParam = part.mid(2, part.size() - 3);
        else if (part.startsWith(QLatin1Char('{')))
            route.segments.append({QByteArray(), part.mid(1, part.size() - 2)});
        else
            route.segments.append({part.toUtf8(), QString()});
    }
    route.handler = std::move(handler);
    // Every pattern starts with a literal segment (/api, /admin, /sim, /health).
    Q_ASSERT(!route.segments.isEmpty() && !route.segments.constFirst().literal.isEmpty());
    m_byFirstSegment[route.segments.constFirst().literal].append(m_routes.size());
    m_routes.append(std::move(route));
}

void Router::addGuard(const QByteArray &prefix, Guard guard)
{
    m_guards.append({prefix, std::move(guard)});
}

namespace {

QString decodeSegment(QByteArrayView segment)
{
    // Most segments carry no escapes; skip QUrl's decoder for them.
    if (!segment.contains('%'))
        return QString::fromUtf8(segment);
    return QUrl::fromPercentEncoding(segment.toByteArray());
}

} // namespace

bool Router::match(const Route &route, const QList<QByteArrayView> &segments, PathParams *params)
{
    const qsizetype fixed = route.segments.size();
    const bool tail = !route.tailParam.isEmpty();
    if (tail ? segments.size() <= fixed : segments.size() != fixed)
        return false;
    for (qsizetype i = 0; i < fixed; ++i) {
        const Segment &want = route.segments.at(i);
        if (want.literal.isEmpty()) {
            if (segments.at(i).isEmpty())
                return false;
            if (params)
                params->insert(want.param, decodeSegment(segments.at(i)));
        } else if (segments.at(i) != want.literal) {
            return false;
        }
    }
    if (tail && params) {
        QStringList rest;
        for (qsizetype i = fixed; i < segments.size(); ++i)
            rest.append(decodeSegment(segments.at(i)));
        params->insert(route.tailParam, rest.join(QLatin1Char('/')));
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
    const auto candidates = m_byFirstSegment.constFind(segments.constFirst().toByteArray());
    const QList<qsizetype> none;
    for (qsizetype index : (candidates == m_byFirstSegment.cend() ? none : *candidates)) {
        const Route &route = m_routes.at(index);
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
