// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "timelinemodel.h"

#include <clock/clock.h>

#include <QColor>
#include <QDateTime>

#include <algorithm>
#include <cstdio>

namespace VoiceSim {

namespace {

QColor background(int httpStatus, TimelineModel::Kind kind, DeliveryStatus delivery, int attempts)
{
    // Soft colours so text stays readable in light and dark themes alike.
    if (kind == TimelineModel::Kind::Caller)
        return QColor(0xe8, 0xdc, 0xf4);
    if (kind == TimelineModel::Kind::Delivery && delivery == DeliveryStatus::Dead)
        return QColor(0xf4, 0xb6, 0xb6);
    if (httpStatus >= 200 && httpStatus < 300)
        return kind == TimelineModel::Kind::Command ? QColor(0xd8, 0xe6, 0xf7) : QColor(0xd3, 0xef, 0xd3);
    if (httpStatus >= 500 || (kind == TimelineModel::Kind::Delivery && attempts > 0))
        return QColor(0xf7, 0xdf, 0xb4);
    if (httpStatus >= 400)
        return QColor(0xf7, 0xe9, 0xc9);
    return {};
}

} // namespace

bool TimelineModel::Filter::isEmpty() const
{
    return sessionUuid.isEmpty() && roomId.isEmpty() && event.isEmpty() && status == StatusFilter::Any
        && text.isEmpty();
}

TimelineModel::TimelineModel(Clock &uiClock, QObject *parent)
    : QAbstractTableModel(parent)
    , m_clock(uiClock)
    , m_utcOffsetMs(qint64(QDateTime::currentDateTime().offsetFromUtc()) * 1000)
{
}

TimelineModel::~TimelineModel() = default;

int TimelineModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid())
        return 0;
    return int(m_filtered ? m_visible.size() : m_rows.size());
}

int TimelineModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TimelineModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn: return tr("Time");
    case KindColumn: return tr("Kind");
    case StreamColumn: return tr("Stream");
    case SequenceColumn: return tr("Seq");
    case WhatColumn: return tr("Command / event");
    case StatusColumn: return tr("HTTP");
    case AttemptsColumn: return tr("Attempts");
    case LatencyColumn: return tr("Latency");
    default: return {};
    }
}

QVariant TimelineModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[size_t(sourceRow(index.row()))];
    switch (role) {
    case Qt::DisplayRole:
        return display(row, index.column());
    case Qt::BackgroundRole: {
        const QColor colour = background(row.httpStatus, row.kind, row.delivery, row.attempts);
        return colour.isValid() ? QVariant(colour) : QVariant();
    }
    case Qt::TextAlignmentRole:
        if (index.column() == SequenceColumn || index.column() == StatusColumn || index.column() == AttemptsColumn
            || index.column() == LatencyColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case KindRole: return int(row.kind);
    case RefRole: return row.ref;
    case StreamRole: return m_strings[qsizetype(row.stream)];
    case WhatRole: return m_strings[qsizetype(row.what)];
    default: return {};
    }
}

QVariant TimelineModel::display(const Row &row, int column) const
{
    const bool delivery = row.kind == Kind::Delivery;
    switch (column) {
    case TimeColumn: {
        // Formatted by hand: QDateTime's time zone lookup per cell was most of a repaint.
        const qint64 local = (row.atMs + m_utcOffsetMs) % (24 * 3600 * 1000);
        const qint64 ms = local < 0 ? local + 24 * 3600 * 1000 : local;
        char text[16];
        std::snprintf(text, sizeof text, "%02d:%02d:%02d.%03d", int(ms / 3'600'000), int(ms / 60'000 % 60),
                      int(ms / 1000 % 60), int(ms % 1000));
        return QString::fromLatin1(text);
    }
    case KindColumn:
        return delivery ? tr("webhook") : row.kind == Kind::Caller ? tr("caller") : tr("command");
    case StreamColumn:
        return m_strings[qsizetype(row.stream)];
    case SequenceColumn:
        return delivery ? QVariant(row.sequence) : QVariant();
    case WhatColumn:
        return m_strings[qsizetype(row.what)];
    case StatusColumn:
        if (row.httpStatus > 0)
            return int(row.httpStatus);
        if (delivery && row.delivery == DeliveryStatus::Dead && row.attempts == 0)
            return tr("no URL");
        return delivery && row.attempts > 0 ? tr("no answer") : (delivery ? tr("pending") : QString());
    case AttemptsColumn:
        return delivery ? QVariant(int(row.attempts)) : QVariant();
    case LatencyColumn:
        if (row.latencyUs < 0)
            return {};
        return delivery ? tr("%1 ms").arg(row.latencyUs / 1000) : tr("%1 ms").arg(row.latencyUs / 1000.0, 0, 'f', 2);
    default:
        return {};
    }
}

void TimelineModel::commandReceived(quint64 serial, qint64 atMs)
{
    // The row takes its place now, before the events the command publishes while it is handled.
    Row row;
    row.atMs = atMs;
    row.ref = m_nextCommand++;
    row.kind = Kind::Command;
    m_openCommands.insert(serial, qint64(m_rows.size() + m_pending.size()));
    m_pending.push_back(row);
    m_commands.emplace_back();
    if (m_commands.size() > size_t(kCommandsKept))
        m_commands.pop_front();
    scheduleFlush();
}

void TimelineModel::addCommand(const HttpExchange &exchange)
{
    if (!m_openCommands.contains(exchange.serial) || exchange.serial == 0)
        commandReceived(exchange.serial, exchange.atMs);
    const qint64 absolute = m_openCommands.take(exchange.serial);
    bool flushed = false;
    Row *row = openRow(absolute, &flushed);
    if (!row)
        return;
    const bool before = flushed && (!m_filtered || matches(*row));
    row->stream = intern(exchange.sessionUuid.isEmpty() ? exchange.roomId : exchange.sessionUuid);
    row->what = intern(QString::fromLatin1(exchange.method) + u' ' + QString::fromUtf8(exchange.path));
    row->httpStatus = qint16(exchange.status);
    row->latencyUs = qint32(std::min<qint64>(exchange.durationUs, std::numeric_limits<qint32>::max()));
    const qint64 first = m_nextCommand - qint64(m_commands.size());
    if (row->ref >= first)
        m_commands[size_t(row->ref - first)] = {exchange.method, exchange.path, exchange.status, exchange.atMs,
                                                exchange.durationUs, exchange.requestBody, exchange.responseBody};
    closeRow(absolute, flushed, before);
}

void TimelineModel::addDelivery(const JournalEvent &event)
{
    Row row;
    row.atMs = event.createdMs;
    row.ref = event.row;
    row.kind = Kind::Delivery;
    row.stream = intern(event.streamId);
    row.what = intern(event.type);
    m_eventTypes.insert(row.what);
    row.sequence = qint32(event.sequence);
    row.httpStatus = qint16(event.lastStatusCode);
    row.attempts = quint8(std::min(event.attemptCount, 255));
    row.delivery = event.status;
    m_pending.push_back(row);
    scheduleFlush();
}

qint64 TimelineModel::addCallerAction(qint64 atMs, const QString &sessionUuid, const QString &text)
{
    Row row;
    row.atMs = atMs;
    row.kind = Kind::Caller;
    row.stream = intern(sessionUuid);
    row.what = intern(text);
    m_pending.push_back(row);
    scheduleFlush();
    return qint64(m_rows.size() + m_pending.size()) - 1;
}

void TimelineModel::setCallerAction(qint64 action, const QString &sessionUuid, const QString &text)
{
    bool flushed = false;
    Row *row = openRow(action, &flushed);
    if (!row || row->kind != Kind::Caller)
        return;
    const bool before = flushed && (!m_filtered || matches(*row));
    row->stream = intern(sessionUuid);
    row->what = intern(text);
    closeRow(action, flushed, before);
}

QList<TimelineModel::RowInfo> TimelineModel::rowsOf(const QString &stream, int limit) const
{
    QList<RowInfo> out;
    const auto it = m_stringIds.constFind(stream);
    if (it == m_stringIds.constEnd())
        return out;
    const quint32 id = *it;
    for (auto r = m_rows.rbegin(); r != m_rows.rend() && out.size() < limit; ++r)
        if (r->stream == id)
            out.append({r->kind, r->atMs, m_strings[qsizetype(r->what)], r->httpStatus, r->sequence, r->delivery});
    std::reverse(out.begin(), out.end());
    return out;
}

void TimelineModel::updateDelivery(const JournalEvent &event, const JournalAttempt &attempt)
{
    m_updates.push_back({event.row, event.status, attempt.statusCode, event.attemptCount, attempt.latencyMs});
    scheduleFlush();
}

void TimelineModel::scheduleFlush()
{
    if (m_flushScheduled)
        return;
    m_flushScheduled = true;
    m_clock.callAfter(kFlushMs, this, [this] { flush(); });
}

void TimelineModel::flush()
{
    m_flushScheduled = false;
    if (!m_pending.empty()) {
        const int first = int(m_rows.size());
        std::vector<qint32> matching;
        if (m_filtered) {
            for (size_t i = 0; i < m_pending.size(); ++i)
                if (matches(m_pending[i]))
                    matching.push_back(first + qint32(i));
        }
        const int visibleBefore = rowCount();
        const int added = m_filtered ? int(matching.size()) : int(m_pending.size());
        if (added > 0)
            beginInsertRows({}, visibleBefore, visibleBefore + added - 1);
        for (size_t i = 0; i < m_pending.size(); ++i) {
            const Row &row = m_pending[i];
            if (row.kind == Kind::Delivery
                && (m_deliveries.empty() || m_rows[size_t(m_deliveries.back())].ref < row.ref))
                m_deliveries.push_back(first + qint32(i));
            m_rows.push_back(row);
        }
        m_visible.insert(m_visible.end(), matching.begin(), matching.end());
        m_pending.clear();
        if (added > 0) {
            endInsertRows();
            Q_EMIT rowsAppended();
        }
    }

    int changedFirst = std::numeric_limits<int>::max();
    int changedLast = -1;
    for (const Update &update : m_updates) {
        const int source = findDelivery(update.journalRow);
        if (source < 0)
            continue;
        Row &row = m_rows[size_t(source)];
        const bool before = !m_filtered || matches(row);
        row.delivery = update.status;
        row.httpStatus = qint16(update.httpStatus);
        row.attempts = quint8(std::min(update.attempts, 255));
        row.latencyUs = qint32(std::min<qint64>(update.latencyMs * 1000, std::numeric_limits<qint32>::max()));
        reconcile(source, before, &changedFirst, &changedLast);
    }
    m_updates.clear();
    if (changedLast >= 0)
        Q_EMIT dataChanged(index(changedFirst, 0), index(changedLast, ColumnCount - 1));
}

void TimelineModel::reconcile(int source, bool before, int *changedFirst, int *changedLast)
{
    const auto flushChanged = [&] {
        if (*changedLast >= 0)
            Q_EMIT dataChanged(index(*changedFirst, 0), index(*changedLast, ColumnCount - 1));
        *changedFirst = std::numeric_limits<int>::max();
        *changedLast = -1;
    };
    if (!m_filtered) {
        *changedFirst = std::min(*changedFirst, source);
        *changedLast = std::max(*changedLast, source);
        return;
    }
    const bool after = matches(m_rows[size_t(source)]);
    const auto at = std::lower_bound(m_visible.begin(), m_visible.end(), source);
    const int position = int(at - m_visible.begin());
    if (before && after) {
        *changedFirst = std::min(*changedFirst, position);
        *changedLast = std::max(*changedLast, position);
    } else if (before) {
        // A filter no longer matches (a status changed): the row leaves the view. The range
        // gathered so far goes out first, while its positions are still right.
        if (*changedLast >= position)
            flushChanged();
        beginRemoveRows({}, position, position);
        m_visible.erase(at);
        endRemoveRows();
    } else if (after) {
        if (*changedLast >= position)
            flushChanged();
        beginInsertRows({}, position, position);
        m_visible.insert(at, source);
        endInsertRows();
    }
}

TimelineModel::Row *TimelineModel::openRow(qint64 absolute, bool *flushed)
{
    *flushed = absolute < qint64(m_rows.size());
    if (*flushed)
        return &m_rows[size_t(absolute)];
    const qint64 pending = absolute - qint64(m_rows.size());
    return pending < qint64(m_pending.size()) ? &m_pending[size_t(pending)] : nullptr;
}

void TimelineModel::closeRow(qint64 absolute, bool flushed, bool before)
{
    if (!flushed)
        return;
    int first = std::numeric_limits<int>::max();
    int last = -1;
    reconcile(int(absolute), before, &first, &last);
    if (last >= 0)
        Q_EMIT dataChanged(index(first, 0), index(last, ColumnCount - 1));
}

int TimelineModel::findDelivery(qint64 journalRow) const
{
    const auto it = std::lower_bound(m_deliveries.begin(), m_deliveries.end(), journalRow,
                                     [this](qint32 index, qint64 ref) { return m_rows[size_t(index)].ref < ref; });
    if (it == m_deliveries.end() || m_rows[size_t(*it)].ref != journalRow)
        return -1;
    return *it;
}

quint32 TimelineModel::intern(const QString &text)
{
    if (text.isEmpty())
        return 0;
    const auto it = m_stringIds.constFind(text);
    if (it != m_stringIds.constEnd())
        return *it;
    const quint32 id = quint32(m_strings.size());
    m_strings.append(text);
    m_stringIds.insert(text, id);
    m_flags.push_back(flagsFor(text));
    return id;
}

quint8 TimelineModel::flagsFor(const QString &text) const
{
    quint8 flags = 0;
    if (!m_filter.text.isEmpty() && text.contains(m_filter.text, Qt::CaseInsensitive))
        flags |= MatchesText;
    if (!m_filter.sessionUuid.isEmpty() && text == m_filter.sessionUuid)
        flags |= IsSession;
    if (!m_filter.roomId.isEmpty() && text == m_filter.roomId)
        flags |= IsRoom;
    if (!m_filter.event.isEmpty() && text == m_filter.event)
        flags |= IsEvent;
    return flags;
}

bool TimelineModel::matches(const Row &row) const
{
    const quint8 stream = m_flags[row.stream];
    const quint8 what = m_flags[row.what];
    if (!m_filter.sessionUuid.isEmpty() && !(stream & IsSession))
        return false;
    if (!m_filter.roomId.isEmpty() && !(stream & IsRoom))
        return false;
    if (!m_filter.event.isEmpty() && !(row.kind == Kind::Delivery && (what & IsEvent)))
        return false;
    if (!m_filter.text.isEmpty() && !((stream | what) & MatchesText))
        return false;
    const bool delivery = row.kind == Kind::Delivery;
    switch (m_filter.status) {
    case StatusFilter::Any: return true;
    case StatusFilter::Success: return row.httpStatus >= 200 && row.httpStatus < 300;
    case StatusFilter::ClientError: return row.httpStatus >= 400 && row.httpStatus < 500;
    case StatusFilter::ServerError: return row.httpStatus >= 500;
    case StatusFilter::NoAnswer: return delivery && row.attempts > 0 && row.httpStatus == 0;
    case StatusFilter::Undelivered:
        return delivery && (row.delivery == DeliveryStatus::Pending || row.delivery == DeliveryStatus::Failed);
    case StatusFilter::Dead: return delivery && row.delivery == DeliveryStatus::Dead;
    }
    return true;
}

void TimelineModel::setFilter(const Filter &filter)
{
    if (filter == m_filter)
        return;
    beginResetModel();
    m_filter = filter;
    m_filtered = !filter.isEmpty();
    // One pass over the strings, then every row is a few table lookups.
    for (size_t i = 1; i < m_flags.size(); ++i)
        m_flags[i] = flagsFor(m_strings[qsizetype(i)]);
    m_visible.clear();
    if (m_filtered) {
        for (size_t i = 0; i < m_rows.size(); ++i)
            if (matches(m_rows[i]))
                m_visible.push_back(qint32(i));
        m_visible.shrink_to_fit();
    }
    endResetModel();
}

QStringList TimelineModel::eventTypes() const
{
    QStringList out;
    for (quint32 id : m_eventTypes)
        out.append(m_strings[qsizetype(id)]);
    out.sort();
    return out;
}

TimelineModel::Kind TimelineModel::kind(int row) const
{
    return m_rows[size_t(sourceRow(row))].kind;
}

qint64 TimelineModel::journalRow(int row) const
{
    const Row &r = m_rows[size_t(sourceRow(row))];
    return r.kind == Kind::Delivery ? r.ref : 0;
}

std::optional<TimelineModel::CommandDetail> TimelineModel::command(int row) const
{
    const Row &r = m_rows[size_t(sourceRow(row))];
    if (r.kind != Kind::Command)
        return std::nullopt;
    const qint64 first = m_nextCommand - qint64(m_commands.size());
    if (r.ref < first)
        return std::nullopt; // older than the newest kCommandsKept
    return m_commands[size_t(r.ref - first)];
}

QString TimelineModel::stream(int row) const
{
    return m_strings[qsizetype(m_rows[size_t(sourceRow(row))].stream)];
}

qsizetype TimelineModel::bytesUsed() const
{
    qsizetype strings = 0;
    for (const QString &s : m_strings)
        strings += s.size() * 2 + 32 /* header */ + 24 /* hash entry */;
    return qsizetype(m_rows.capacity() * sizeof(Row) + m_deliveries.capacity() * sizeof(qint32)
                     + m_visible.capacity() * sizeof(qint32) + m_flags.capacity())
        + strings;
}

} // namespace VoiceSim
