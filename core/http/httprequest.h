// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QPair>

namespace VoiceSim {

// One parsed HTTP request as the handlers see it; the transport has already enforced its limits.
struct HttpRequest
{
    QByteArray method;
    QByteArray target; // as received, percent-encoding intact
    QByteArray path;   // target without the query
    QByteArray query;  // after '?', still encoded
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QHostAddress peer;

    // Case-insensitive lookup of the first header with this name.
    QByteArray header(QByteArrayView name) const;
    bool hasHeader(QByteArrayView name) const;
    // The decoded value of one query parameter, or an empty string.
    QString queryValue(const QString &name) const;
    bool hasQueryValue(const QString &name) const;
};

} // namespace VoiceSim
