// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace VoiceSim {

// What an API operation answers: a status and a JSON body, plus the wait for a 429.
struct ApiResult
{
    int status = 200;
    QJsonObject body;
    qint64 retryAfterMs = -1;
    QByteArray json; // when set: the body, already serialized (hot paths skip QJsonObject)

    bool ok() const { return status < 400; }
    static ApiResult success(int status, QJsonObject body) { return {status, std::move(body), -1, {}}; }
    static ApiResult serialized(int status, QByteArray json) { return {status, {}, -1, std::move(json)}; }
    // The platform's error body (spec §3).
    static ApiResult error(int status, const QString &message, const QJsonObject &detail = {});
    // C-429: group and retry_after_ms in detail, Retry-After added by the controller.
    static ApiResult rateLimited(const QString &group, qint64 retryAfterMs);
};

} // namespace VoiceSim
