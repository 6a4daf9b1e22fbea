// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QHostAddress>
#include <QVarLengthArray>

namespace VoiceSim {

// One parsed HTTP request as the handlers see it; the transport has already enforced its limits.
struct HttpRequest
{
    QByteArray method;
    QByteArray target; // as received, percent-encoding intact
    QByteArray path;   // target without the query
    QByteArray query;  // after '?', still encoded
    QByteArray body;
    QHostAddress peer;

    void addHeader(QByteArrayView name, QByteArrayView value);
    // Case-insensitive lookup of the first header with this name; the view is valid while the
    // request lives (copy it to keep it).
    QByteArrayView header(QByteArrayView name) const;
    bool hasHeader(QByteArrayView name) const;
    // The decoded value of one query parameter, or an empty string.
    QString queryValue(const QString &name) const;
    bool hasQueryValue(const QString &name) const;

private:
    struct HeaderSpan
    {
        qsizetype name, nameSize, value, valueSize;
    };
    // All names and values in one buffer: one allocation per request instead of two per header.
    QByteArray m_headerBytes;
    QVarLengthArray<HeaderSpan, 16> m_headers;
};

} // namespace VoiceSim
