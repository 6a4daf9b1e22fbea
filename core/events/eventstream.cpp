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
        if (it == m_streams.end()) {
            --m_staleOrder;
            continue; // a forgotten stream
        }
        if (&it->kept.front() == published) {
            m_order.push_back(oldest);
            break;
        }
        it->kept.pop_front();
        --m_size;
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

void EventStream::forget(const QString &streamId)
{
    const auto it = m_streams.find(streamId);
    if (it == m_streams.end())
        return;
    m_size -= qsizetype(it->kept.size());
    m_staleOrder += qsizetype(it->kept.size());
    m_streams.erase(it);
    // m_order still names the stream once per event it had; eviction skips such names, and once
    // they are the majority they are swept, so m_order stays within twice the kept events.
    if (m_staleOrder > 1024 && m_staleOrder * 2 > qsizetype(m_order.size())) {
        std::erase_if(m_order, [this](const QString &id) { return !m_streams.contains(id); });
        m_staleOrder = 0;
    }
}

void EventStream::clear()
{
    m_streams.clear();
    m_order.clear();
    m_size = 0;
    m_staleOrder = 0;
}

} // namespace VoiceSim
