// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "eventdata.h"

#include <QJsonObject>
#include <QString>

namespace VoiceSim {

// Which kind of stream an event belongs to; each stream has its own sequence (C-SEQ).
enum class StreamKind { Session, Room };

// The body shape sent to receivers (C-ENVELOPE).
enum class EnvelopeShape { Default, Flat };

// One published platform event, as the event stream keeps it.
struct Event
{
    QString id;       // unique per event; the future webhook-id
    QString type;     // e.g. "call.new"
    StreamKind kind = StreamKind::Session;
    QString streamId; // session_uuid or room_id
    QString appId;
    qint64 sequence = 0;
    qint64 epochMs = 0;
    EventData data; // the event's own fields

    // The webhook body exactly as it is (or would be) delivered.
    QJsonObject body(EnvelopeShape shape) const;
};

QString envelopeShapeName(EnvelopeShape shape);
bool parseEnvelopeShape(const QString &name, EnvelopeShape *shape);

} // namespace VoiceSim
