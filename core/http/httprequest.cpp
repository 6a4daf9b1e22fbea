// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "httprequest.h"

#include <QUrlQuery>

namespace VoiceSim {

void HttpRequest::addHeader(QByteArrayView name, QByteArrayView value)
{
    const qsizetype at = m_headerBytes.size();
    m_headerBytes.append(name).append(value);
    m_headers.append({at, name.size(), at + name.size(), value.size()});
}

QByteArrayView HttpRequest::header(QByteArrayView name) const
{
    for (const HeaderSpan &span : m_headers) {
        const QByteArrayView key(m_headerBytes.constData() + span.name, span.nameSize);
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return QByteArrayView(m_headerBytes.constData() + span.value, span.valueSize);
    }
    return {};
}

bool HttpRequest::hasHeader(QByteArrayView name) const
{
    for (const HeaderSpan &span : m_headers) {
        if (QByteArrayView(m_headerBytes.constData() + span.name, span.nameSize).compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

QString HttpRequest::queryValue(const QString &name) const
{
    return QUrlQuery(QString::fromUtf8(query)).queryItemValue(name, QUrl::FullyDecoded);
}

bool HttpRequest::hasQueryValue(const QString &name) const
{
    return QUrlQuery(QString::fromUtf8(query)).hasQueryItem(name);
}

} // namespace VoiceSim
