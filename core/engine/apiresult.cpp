// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "apiresult.h"

namespace VoiceSim {

ApiResult ApiResult::error(int status, const QString &message, const QJsonObject &detail)
{
    QJsonObject body{{QStringLiteral("success"), false}, {QStringLiteral("error"), message}};
    if (!detail.isEmpty())
        body.insert(QStringLiteral("detail"), detail);
    return {status, body, -1, {}};
}

ApiResult ApiResult::rateLimited(const QString &group, qint64 retryAfterMs)
{
    ApiResult result = error(429, QStringLiteral("Rate limit exceeded"),
                             {{QStringLiteral("group"), group}, {QStringLiteral("retry_after_ms"), retryAfterMs}});
    result.retryAfterMs = retryAfterMs;
    return result;
}

} // namespace VoiceSim
