// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "callsmodel.h"

#include <clock/clock.h>
#include <engine/engine.h>

#include <QFileInfo>
#include <QSet>
#include <QUrl>

namespace VoiceSim {

namespace {

QString duration(qint64 ms)
{
    const qint64 s = std::max<qint64>(0, ms) / 1000;
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

QString fileName(const QStringList &urls)
{
    if (urls.isEmpty())
        return {};
    const QString name = QFileInfo(QUrl(urls.constFirst()).path()).fileName();
    return name.isEmpty() ? urls.constFirst() : name;
}

QString playing(const Session &s)
{
    using P = PlaybackState::Phase;
    switch (s.playback.phase) {
    case P::Fetching: return CallsModel::tr("fetching %1").arg(fileName(s.playback.urls));
    case P::Playing:
        return s.playback.paused ? CallsModel::tr("%1 (paused)").arg(fileName(s.playback.urls)) : fileName(s.playback.urls);
    case P::Silence: return CallsModel::tr("silence");
    case P::Idle: break;
    }
    if (s.collect.phase == DigitCollection::Phase::Prompting)
        return CallsModel::tr("prompt %1").arg(fileName(s.collect.urls));
    if (s.collect.phase == DigitCollection::Phase::Waiting)
        return CallsModel::tr("waiting for digits");
    return {};
}

} // namespace

CallsModel::CallsModel(Engine &engine, Clock &clock, QObject *parent)
    : QAbstractTableModel(parent)
    , m_engine(engine)
    , m_clock(clock)
{
    refresh();
}

int CallsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_uuids.size());
}

int CallsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CallsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case CallerColumn: return tr("Caller");
    case DidColumn: return tr("DID");
    case StateColumn: return tr("State");
    case DurationColumn: return tr("Duration");
    case PlayingColumn: return tr("Playing");
    case RecordingColumn: return tr("Rec");
    case RoomColumn: return tr("Room");
    default: return {};
    }
}

QVariant CallsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QString &uuid = m_uuids[index.row()];
    if (role == UuidRole)
        return uuid;
    const Session *s = m_engine.session(uuid);
    if (!s || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return {};
    if (role == Qt::ToolTipRole)
        return uuid;
    switch (index.column()) {
    case CallerColumn: return s->callerId;
    case DidColumn: return s->did;
    case StateColumn:
        if (s->state != CallState::Ended && !s->channelUp)
            return tr("dropped");
        return callStateName(s->state);
    case DurationColumn: {
        const qint64 end = s->endedMs >= 0 ? s->endedMs : m_clock.nowMs();
        return duration(end - s->createdMs);
    }
    case PlayingColumn: return playing(*s);
    case RecordingColumn: return s->recording.active ? QStringLiteral("\u25cf REC") : QString();
    case RoomColumn: return s->roomId;
    default: return {};
    }
}

void CallsModel::refresh()
{
    QStringList now;
    QSet<QString> live; // sets: a thousand calls refresh five times a second
    const QList<const Session *> sessions = m_engine.sessions();
    now.reserve(sessions.size());
    for (const Session *s : sessions) {
        now.append(s->uuid);
        live.insert(s->uuid);
    }
    for (int i = int(m_uuids.size()) - 1; i >= 0; --i) {
        if (!live.contains(m_uuids[i])) {
            beginRemoveRows({}, i, i);
            m_uuids.removeAt(i);
            endRemoveRows();
        }
    }
    const QSet<QString> shown(m_uuids.cbegin(), m_uuids.cend());
    QStringList added;
    for (const QString &uuid : std::as_const(now))
        if (!shown.contains(uuid))
            added.append(uuid);
    if (!added.isEmpty()) {
        beginInsertRows({}, int(m_uuids.size()), int(m_uuids.size() + added.size()) - 1);
        m_uuids.append(added);
        endInsertRows();
    }
    if (!m_uuids.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_uuids.size()) - 1, ColumnCount - 1));
}

} // namespace VoiceSim
