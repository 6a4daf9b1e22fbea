// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>

namespace VoiceSim {

// An HTTP response produced by a handler; the connection adds framing headers.
struct HttpResponse
{
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    static HttpResponse json(int status, const QJsonObject &body);
    // The platform's error body (spec §3): {"success": false, "error": ..., "detail": ...}.
    static HttpResponse error(int status, const QString &message, const QJsonObject &detail = {});

    HttpResponse &withHeader(const QByteArray &name, const QByteArray &value);
    QByteArray header(QByteArrayView name) const;
};

QByteArray reasonPhrase(int status);

} // namespace VoiceSim
