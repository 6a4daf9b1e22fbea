// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "event.h"

#include <QHash>
#include <QList>
#include <QObject>

#include <deque>
#include <functional>

namespace VoiceSim {

class Clock;

// Publishes platform events in order, numbering each stream from 1 without gaps (C-SEQ), and
// keeps the most recent ones in memory for the events API. Delivery and the timeline subscribe
// to published(); they read, never steer.
class EventStream final : public QObject
{
    Q_OBJECT
public:
    using IdSource = std::function<QString()>;

    EventStream(Clock &clock, IdSource ids, qsizetype capacity = 200'000, QObject *parent = nullptr);

    const Event &publish(StreamKind kind, const QString &streamId, const QString &appId,
                         const QString &type, const EventData &data);

    // Kept events of one stream with a sequence above after, in order.
    QList<Event> events(const QString &streamId, qint64 after = 0) const;
    bool hasStream(const QString &streamId) const { return m_streams.contains(streamId); }
    qint64 lastSequence(const QString &streamId) const;
    // Drops a stream that will publish no more (an ended, retired session), so the map of
    // streams stays bounded.
    void forget(const QString &streamId);
    qsizetype size() const { return m_size; }
    qsizetype capacity() const { return m_capacity; }
    void clear();

Q_SIGNALS:
    void published(const VoiceSim::Event &event);

private:
    struct Stream
    {
        qint64 nextSequence = 1;
        std::deque<Event> kept;
    };

    Clock &m_clock;
    IdSource m_ids;
    qsizetype m_capacity;
    qsizetype m_size = 0;
    QHash<QString, Stream> m_streams;
    // Publication order of kept events by stream, so the oldest can be dropped in O(1).
    std::deque<QString> m_order;
    qsizetype m_staleOrder = 0; // entries of m_order whose stream was forgotten
};

} // namespace VoiceSim
