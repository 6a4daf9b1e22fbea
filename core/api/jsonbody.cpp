// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "jsonbody.h"

#include <QJsonDocument>
#include <QJsonParseError>

#include <cmath>

namespace VoiceSim {

std::variant<QJsonObject, ApiResult> parseJsonObjectBody(const HttpRequest &request)
{
    const QByteArray trimmed = request.body.trimmed();
    if (trimmed.isEmpty())
        return QJsonObject{};
    const QByteArrayView contentType = request.header("Content-Type");
    if (!contentType.isEmpty()) {
        const qsizetype semicolon = contentType.indexOf(';');
        const QByteArrayView mime = (semicolon < 0 ? contentType : contentType.first(semicolon)).trimmed();
        if (mime.compare("application/json", Qt::CaseInsensitive) != 0)
            return ApiResult::error(415, QStringLiteral("Content-Type must be application/json"));
    }
    if (trimmed == "{}")
        return QJsonObject{}; // the most common body by far; skip the parser
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return ApiResult::error(400, QStringLiteral("Invalid request body"));
    return document.object();
}

std::optional<HttpResponse> readJsonBody(const HttpRequest &request, QJsonObject &body)
{
    auto parsed = parseJsonObjectBody(request);
    if (const auto *error = std::get_if<ApiResult>(&parsed))
        return toHttp(*error);
    body = std::get<QJsonObject>(std::move(parsed));
    return std::nullopt;
}

HttpResponse toHttp(const ApiResult &result)
{
    HttpResponse response;
    if (result.json.isEmpty()) {
        response = HttpResponse::json(result.status, result.body);
    } else {
        response.status = result.status;
        response.headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
        response.body = result.json;
    }
    if (result.status == 429 && result.retryAfterMs >= 0) {
        const qint64 seconds = std::max<qint64>(1, (result.retryAfterMs + 999) / 1000);
        response.withHeader(QByteArrayLiteral("Retry-After"), QByteArray::number(seconds));
    }
    return response;
}

bool isIntegerIn(const QJsonValue &value, qint64 min, qint64 max)
{
    if (!value.isDouble())
        return false;
    const double number = value.toDouble();
    return number == std::floor(number) && number >= double(min) && number <= double(max);
}

} // namespace VoiceSim
