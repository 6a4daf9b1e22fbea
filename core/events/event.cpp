// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "event.h"

namespace VoiceSim {

QJsonObject Event::body(EnvelopeShape shape) const
{
    const QString streamField = kind == StreamKind::Session ? QStringLiteral("session_uuid")
                                                           : QStringLiteral("room_id");
    QJsonObject out;
    if (shape == EnvelopeShape::Flat) {
        out = data.toJsonObject(); // the event pages' shape: fields beside event and the stream id
    } else {
        out.insert(QStringLiteral("data"), data.toJsonObject());
    }
    out.insert(QStringLiteral("event"), type);
    out.insert(streamField, streamId);
    out.insert(QStringLiteral("sequence"), sequence);
    return out;
}

QString envelopeShapeName(EnvelopeShape shape)
{
    return shape == EnvelopeShape::Flat ? QStringLiteral("flat") : QStringLiteral("default");
}

bool parseEnvelopeShape(const QString &name, EnvelopeShape *shape)
{
    if (name == QLatin1String("default")) {
        *shape = EnvelopeShape::Default;
        return true;
    }
    if (name == QLatin1String("flat")) {
        *shape = EnvelopeShape::Flat;
        return true;
    }
    return false;
}

} // namespace VoiceSim
