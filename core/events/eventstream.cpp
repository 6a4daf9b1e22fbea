// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "eventstream.h"

#include "../clock/clock.h"

namespace VoiceSim {

EventStream::EventStream(Clock &clock, IdSource ids, qsizetype capacity, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_ids(std::move(ids))
    , m_capacity(std::max<qsizetype>(1, capacity))
{
}

const Event &EventStream::publish(StreamKind kind, const QString &streamId, const QString &appId,
                                  const QString &type, const EventData &data)
{
    Stream &stream = m_streams[streamId];
    Event event;
    event.id = m_ids();
    event.type = type;
    event.kind = kind;
    event.streamId = streamId;
    event.appId = appId;
    event.sequence = stream.nextSequence++;
    event.epochMs = m_clock.epochMs();
    event.data = data;
    stream.kept.push_back(std::move(event));
    m_order.push_back(streamId);
    ++m_size;

    // Keep a reference that survives eviction of other streams' events below.
    const Event *published = &stream.kept.back();
    while (m_size > m_capacity) {
        const QString oldest = std::move(m_order.front());
        m_order.pop_front();
        auto it = m_streams.find(oldest);
        if (it != m_streams.end() && !it->kept.empty() && &it->kept.front() != published) {
            it->kept.pop_front();
            --m_size;
        } else {
            m_order.push_back(oldest);
            break;
        }
    }
    Q_EMIT this->published(*published);
    return *published;
}

QList<Event> EventStream::events(const QString &streamId, qint64 after) const
{
    QList<Event> out;
    const auto it = m_streams.constFind(streamId);
    if (it == m_streams.cend())
        return out;
    for (const Event &event : it->kept) {
        if (event.sequence > after)
            out.append(event);
    }
    return out;
}

qint64 EventStream::lastSequence(const QString &streamId) const
{
    const auto it = m_streams.constFind(streamId);
    return it == m_streams.cend() ? 0 : it->nextSequence - 1;
}

void EventStream::clear()
{
    m_streams.clear();
    m_order.clear();
    m_size = 0;
}

} // namespace VoiceSim
