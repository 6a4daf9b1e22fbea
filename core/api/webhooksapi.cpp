// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "webhooksapi.h"

#include "../webhooks/webhookdispatcher.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrlQuery>

namespace VoiceSim {

namespace {

QString isoTime(qint64 epochMs)
{
    return QDateTime::fromMSecsSinceEpoch(epochMs, Qt::UTC).toString(Qt::ISODateWithMs);
}

QJsonValue orNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue() : QJsonValue(text);
}

// "Name: value" lines as the log keeps them.
QList<QPair<QString, QString>> headerPairs(const QByteArray &lines)
{
    QList<QPair<QString, QString>> out;
    for (const QByteArray &line : lines.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        out.append({QString::fromLatin1(line.left(colon).trimmed()), QString::fromLatin1(line.mid(colon + 1).trimmed())});
    }
    return out;
}

QJsonObject headerObject(const QByteArray &lines)
{
    QJsonObject out;
    for (const auto &[name, value] : headerPairs(lines)) {
        // A repeated header is joined the way HTTP allows (RFC 9110 §5.3).
        const QString previous = out.value(name).toString();
        out.insert(name, previous.isEmpty() ? value : previous + QStringLiteral(", ") + value);
    }
    return out;
}

QJsonArray harHeaders(const QByteArray &lines)
{
    QJsonArray out;
    for (const auto &[name, value] : headerPairs(lines))
        out.append(QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("value"), value}});
    return out;
}

QString headerValue(const QByteArray &lines, const QString &name)
{
    for (const auto &[key, value] : headerPairs(lines))
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

// The delivery body as JSON when it is JSON (always, for bodies voicesim built).
QJsonValue bodyJson(const QByteArray &body)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error == QJsonParseError::NoError && document.isObject())
        return document.object();
    return QString::fromUtf8(body);
}

// A page size or an export cap from the query; an error message when it is not valid.
QString readLimit(const HttpRequest &request, int max, int *limit)
{
    if (!request.hasQueryValue(QStringLiteral("limit")))
        return {};
    bool ok = false;
    const int value = request.queryValue(QStringLiteral("limit")).toInt(&ok);
    if (!ok || value < 1 || value > max)
        return QStringLiteral("limit must be an integer between 1 and ") + QString::number(max);
    *limit = value;
    return {};
}

QString readCursor(const HttpRequest &request, qint64 *afterRow)
{
    if (!request.hasQueryValue(QStringLiteral("cursor")))
        return {};
    bool ok = false;
    const qint64 value = request.queryValue(QStringLiteral("cursor")).toLongLong(&ok);
    if (!ok || value < 0)
        return QStringLiteral("cursor is not valid (use next_cursor of the previous page)");
    *afterRow = value;
    return {};
}

QString readStream(const HttpRequest &request, DeliveryJournal::Filter *filter)
{
    filter->sessionUuid = request.queryValue(QStringLiteral("session_uuid"));
    filter->roomId = request.queryValue(QStringLiteral("room_id"));
    if (!filter->sessionUuid.isEmpty() && !filter->roomId.isEmpty())
        return QStringLiteral("Give session_uuid or room_id, not both");
    return {};
}

QString readTime(const HttpRequest &request, const QString &name, qint64 *epochMs)
{
    if (!request.hasQueryValue(name))
        return {};
    const QDateTime at = QDateTime::fromString(request.queryValue(name), Qt::ISODateWithMs);
    if (!at.isValid())
        return name + QStringLiteral(" must be an ISO 8601 time, e.g. 2026-01-01T00:00:00Z");
    *epochMs = at.toMSecsSinceEpoch();
    return {};
}

HttpResponse badRequest(const QString &message)
{
    return HttpResponse::error(400, message);
}

} // namespace

WebhooksApi::WebhooksApi(DeliveryJournal &journal, WebhookDispatcher &dispatcher)
    : m_journal(journal)
    , m_dispatcher(dispatcher)
{
}

void WebhooksApi::registerRoutes(Router &router)
{
    const QByteArray get = QByteArrayLiteral("GET");
    router.addRoute(get, QStringLiteral("/sim/v1/webhooks"), [this](const HttpRequest &r, const PathParams &) { return list(r); });
    // Before /{id}: the first route that matches wins.
    router.addRoute(get, QStringLiteral("/sim/v1/webhooks/export"), [this](const HttpRequest &r, const PathParams &) { return exportLog(r); });
    router.addRoute(get, QStringLiteral("/sim/v1/webhooks/{id}"), [this](const HttpRequest &, const PathParams &p) {
        return detail(p.value(QStringLiteral("id")));
    });
    router.addRoute(QByteArrayLiteral("POST"), QStringLiteral("/sim/v1/webhooks/{id}/redeliver"), [this](const HttpRequest &, const PathParams &p) {
        return redeliver(p.value(QStringLiteral("id")));
    });
}

QJsonObject WebhooksApi::summaryJson(const JournalEvent &event)
{
    return {{QStringLiteral("id"), event.id},
            {QStringLiteral("event"), event.type},
            {event.kind == StreamKind::Room ? QStringLiteral("room_id") : QStringLiteral("session_uuid"), event.streamId},
            {QStringLiteral("sequence"), event.sequence},
            {QStringLiteral("status"), deliveryStatusName(event.status)},
            {QStringLiteral("attempt_count"), event.attemptCount},
            {QStringLiteral("last_status_code"), event.lastStatusCode > 0 ? QJsonValue(event.lastStatusCode) : QJsonValue()},
            {QStringLiteral("created_at"), isoTime(event.createdMs)}};
}

QJsonObject WebhooksApi::detailJson(const JournalEvent &event, const QList<JournalAttempt> &attempts)
{
    QJsonObject out = summaryJson(event);
    out.insert(QStringLiteral("body"), bodyJson(event.body));
    out.insert(QStringLiteral("next_attempt_at"),
               event.status == DeliveryStatus::Failed && event.nextAttemptMs > 0 ? QJsonValue(isoTime(event.nextAttemptMs)) : QJsonValue());
    QJsonArray list;
    for (const JournalAttempt &a : attempts) {
        list.append(QJsonObject{{QStringLiteral("at"), isoTime(a.atMs)},
                                {QStringLiteral("url"), a.url},
                                {QStringLiteral("request_headers"), headerObject(a.requestHeaders)},
                                {QStringLiteral("status_code"), a.statusCode > 0 ? QJsonValue(a.statusCode) : QJsonValue()},
                                {QStringLiteral("response_headers"), headerObject(a.responseHeaders)},
                                {QStringLiteral("response_body"), QString::fromUtf8(a.responseBody)},
                                {QStringLiteral("latency_ms"), a.latencyMs},
                                {QStringLiteral("error"), orNull(a.error)},
                                {QStringLiteral("fault"), orNull(a.fault)}});
    }
    out.insert(QStringLiteral("attempts"), list);
    return out;
}

QJsonObject WebhooksApi::har(const QList<QPair<JournalEvent, QList<JournalAttempt>>> &deliveries)
{
    QJsonArray entries;
    for (const auto &[event, attempts] : deliveries) {
        for (const JournalAttempt &a : attempts) {
            const QUrl url(a.url);
            QJsonArray query;
            for (const auto &[name, value] : QUrlQuery(url).queryItems(QUrl::FullyDecoded))
                query.append(QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("value"), value}});
            const QJsonObject request{{QStringLiteral("method"), QStringLiteral("POST")},
                                      {QStringLiteral("url"), a.url},
                                      {QStringLiteral("httpVersion"), QStringLiteral("HTTP/1.1")},
                                      {QStringLiteral("cookies"), QJsonArray()},
                                      {QStringLiteral("headers"), harHeaders(a.requestHeaders)},
                                      {QStringLiteral("queryString"), query},
                                      {QStringLiteral("postData"), QJsonObject{{QStringLiteral("mimeType"), QStringLiteral("application/json")},
                                                                               {QStringLiteral("text"), QString::fromUtf8(event.body)}}},
                                      {QStringLiteral("headersSize"), -1},
                                      {QStringLiteral("bodySize"), event.body.size()}};
            const bool answered = a.statusCode > 0;
            const QJsonObject response{
                {QStringLiteral("status"), a.statusCode},
                {QStringLiteral("statusText"), answered ? QString::fromLatin1(reasonPhrase(a.statusCode)) : QString()},
                {QStringLiteral("httpVersion"), answered ? QStringLiteral("HTTP/1.1") : QString()},
                {QStringLiteral("cookies"), QJsonArray()},
                {QStringLiteral("headers"), harHeaders(a.responseHeaders)},
                {QStringLiteral("content"), QJsonObject{{QStringLiteral("size"), a.responseBody.size()},
                                                        {QStringLiteral("mimeType"), headerValue(a.responseHeaders, QStringLiteral("Content-Type"))},
                                                        {QStringLiteral("text"), QString::fromUtf8(a.responseBody)}}},
                {QStringLiteral("redirectURL"), headerValue(a.responseHeaders, QStringLiteral("Location"))},
                {QStringLiteral("headersSize"), -1},
                {QStringLiteral("bodySize"), answered ? QJsonValue(a.responseBody.size()) : QJsonValue(-1)}};
            QJsonObject entry{{QStringLiteral("startedDateTime"), isoTime(a.atMs)},
                              {QStringLiteral("time"), a.latencyMs},
                              {QStringLiteral("request"), request},
                              {QStringLiteral("response"), response},
                              {QStringLiteral("cache"), QJsonObject()},
                              {QStringLiteral("timings"), QJsonObject{{QStringLiteral("send"), 0},
                                                                      {QStringLiteral("wait"), a.latencyMs},
                                                                      {QStringLiteral("receive"), 0}}},
                              // HAR's custom fields start with an underscore.
                              {QStringLiteral("_webhookId"), event.id},
                              {QStringLiteral("_event"), event.type},
                              {event.kind == StreamKind::Room ? QStringLiteral("_roomId") : QStringLiteral("_sessionUuid"), event.streamId},
                              {QStringLiteral("_sequence"), event.sequence}};
            if (!a.error.isEmpty())
                entry.insert(QStringLiteral("_error"), a.error);
            if (!a.fault.isEmpty())
                entry.insert(QStringLiteral("_fault"), a.fault);
            entries.append(entry);
        }
    }
    return {{QStringLiteral("log"), QJsonObject{{QStringLiteral("version"), QStringLiteral("1.2")},
                                                {QStringLiteral("creator"), QJsonObject{{QStringLiteral("name"), QStringLiteral("voicesim")},
                                                                                        {QStringLiteral("version"), QStringLiteral(VOICESIM_VERSION)}}},
                                                {QStringLiteral("entries"), entries}}}};
}

HttpResponse WebhooksApi::list(const HttpRequest &request)
{
    DeliveryJournal::Filter filter;
    if (const QString error = readStream(request, &filter); !error.isEmpty())
        return badRequest(error);
    filter.event = request.queryValue(QStringLiteral("event"));
    if (request.hasQueryValue(QStringLiteral("status"))) {
        DeliveryStatus status = DeliveryStatus::Pending;
        if (!parseDeliveryStatus(request.queryValue(QStringLiteral("status")), &status))
            return badRequest(QStringLiteral("status must be pending, delivered, failed or dead"));
        filter.status = status;
    }
    int limit = 100;
    if (const QString error = readLimit(request, kMaxPage, &limit); !error.isEmpty())
        return badRequest(error);
    if (const QString error = readCursor(request, &filter.afterRow); !error.isEmpty())
        return badRequest(error);
    filter.limit = limit + 1; // one more tells whether another page follows
    QList<JournalEvent> events = m_journal.list(filter);
    const bool more = events.size() > limit;
    if (more)
        events.resize(limit);
    QJsonArray items;
    for (const JournalEvent &event : std::as_const(events))
        items.append(summaryJson(event));
    return HttpResponse::json(200, {{QStringLiteral("webhooks"), items},
                                    {QStringLiteral("next_cursor"), more ? QJsonValue(QString::number(events.constLast().row)) : QJsonValue()}});
}

HttpResponse WebhooksApi::detail(const QString &id)
{
    const std::optional<JournalEvent> event = m_journal.event(id);
    if (!event)
        return HttpResponse::error(404, QStringLiteral("Webhook not found"));
    return HttpResponse::json(200, detailJson(*event, m_journal.attempts(event->row)));
}

HttpResponse WebhooksApi::redeliver(const QString &id)
{
    switch (m_dispatcher.redeliver(id)) {
    case WebhookDispatcher::Redelivery::NotFound:
        return HttpResponse::error(404, QStringLiteral("Webhook not found"));
    case WebhookDispatcher::Redelivery::InProgress:
        return HttpResponse::error(409, QStringLiteral("Webhook is still being delivered; redeliver it once it is delivered or dead"));
    case WebhookDispatcher::Redelivery::NoUrl:
        return HttpResponse::error(409, QStringLiteral("The app has no webhook URL to redeliver to"));
    case WebhookDispatcher::Redelivery::Started:
        break;
    }
    return HttpResponse::json(202, {{QStringLiteral("success"), true}, {QStringLiteral("id"), id}});
}

QByteArray WebhooksApi::ndjson(DeliveryJournal &journal, const QList<JournalEvent> &events)
{
    QByteArray out;
    for (const JournalEvent &event : events) {
        out += QJsonDocument(detailJson(event, journal.attempts(event.row))).toJson(QJsonDocument::Compact);
        out += '\n';
    }
    return out;
}

QByteArray WebhooksApi::harDocument(DeliveryJournal &journal, const QList<JournalEvent> &events)
{
    QList<QPair<JournalEvent, QList<JournalAttempt>>> deliveries;
    for (const JournalEvent &event : events)
        deliveries.append({event, journal.attempts(event.row)});
    return QJsonDocument(har(deliveries)).toJson(QJsonDocument::Compact);
}

HttpResponse WebhooksApi::exportLog(const HttpRequest &request)
{
    const QString format = request.hasQueryValue(QStringLiteral("format")) ? request.queryValue(QStringLiteral("format")) : QStringLiteral("ndjson");
    if (format != QLatin1String("ndjson") && format != QLatin1String("har"))
        return badRequest(QStringLiteral("format must be ndjson or har"));
    DeliveryJournal::Filter filter;
    if (const QString error = readStream(request, &filter); !error.isEmpty())
        return badRequest(error);
    for (const auto &[name, target] : {std::pair{QStringLiteral("from"), &filter.fromMs}, std::pair{QStringLiteral("to"), &filter.toMs}})
        if (const QString error = readTime(request, name, target); !error.isEmpty())
            return badRequest(error);
    if (filter.fromMs >= filter.toMs)
        return badRequest(QStringLiteral("from must be before to"));
    int limit = kMaxExport;
    if (const QString error = readLimit(request, kMaxExport, &limit); !error.isEmpty())
        return badRequest(error);
    if (const QString error = readCursor(request, &filter.afterRow); !error.isEmpty())
        return badRequest(error);
    filter.limit = limit + 1;
    QList<JournalEvent> events = m_journal.list(filter);
    const bool more = events.size() > limit;
    if (more)
        events.resize(limit);

    HttpResponse response;
    if (format == QLatin1String("ndjson")) {
        response.body = ndjson(m_journal, events);
        response.withHeader(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/x-ndjson"));
    } else {
        response.body = harDocument(m_journal, events);
        response.withHeader(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json"));
    }
    // A bounded answer; the rest follows with this cursor.
    if (more)
        response.withHeader(QByteArrayLiteral("X-Next-Cursor"), QByteArray::number(events.constLast().row));
    return response;
}

} // namespace VoiceSim
