// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "../engine/apiresult.h"
#include "../http/httprequest.h"
#include "../http/httpresponse.h"

#include <QJsonValue>

#include <optional>
#include <variant>

namespace VoiceSim {

// The JSON object of a request body (C-BODY): empty counts as {}, a non-JSON Content-Type with a
// body is 415, anything but an object is 400 "Invalid request body".
std::variant<QJsonObject, ApiResult> parseJsonObjectBody(const HttpRequest &request);

// The same for HTTP handlers: fills body, or returns the error answer.
std::optional<HttpResponse> readJsonBody(const HttpRequest &request, QJsonObject &body);

// The HTTP answer for an ApiResult, with Retry-After in whole seconds on a 429 (C-429).
HttpResponse toHttp(const ApiResult &result);

// True for a JSON number that is a whole number within [min, max].
bool isIntegerIn(const QJsonValue &value, qint64 min, qint64 max);

} // namespace VoiceSim
