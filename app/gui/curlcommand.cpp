// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "curlcommand.h"

#include <QStringList>

namespace VoiceSim {

namespace {

QString quoted(const QString &text)
{
    // Inside single quotes nothing is special but the quote itself, closed and escaped.
    QString out = text;
    out.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + out + QLatin1Char('\'');
}

} // namespace

QString curlCommand(const QString &url, const QByteArray &headerLines, const QByteArray &body)
{
    QStringList parts{QStringLiteral("curl"), QStringLiteral("-X"), QStringLiteral("POST"), quoted(url)};
    const QList<QByteArray> lines = headerLines.split('\n');
    for (QByteArray line : lines) {
        line = line.trimmed();
        if (line.isEmpty())
            continue;
        const QByteArray name = line.left(line.indexOf(':')).trimmed().toLower();
        // curl sets these from the command itself.
        if (name == "host" || name == "content-length" || name == "connection")
            continue;
        parts << QStringLiteral("-H") << quoted(QString::fromUtf8(line));
    }
    parts << QStringLiteral("--data-binary") << quoted(QString::fromUtf8(body));
    return parts.join(QLatin1Char(' '));
}

} // namespace VoiceSim
