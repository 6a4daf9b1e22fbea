// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "roomsmodel.h"

#include <engine/conferences.h>

namespace VoiceSim {

namespace {
constexpr quintptr kRoomLevel = 0; // a member's internal id is its room's row + 1
}

RoomsModel::RoomsModel(const Conferences &conferences, TalkingProbe talking, QObject *parent)
    : QAbstractItemModel(parent)
    , m_conferences(conferences)
    , m_talking(std::move(talking))
    , m_rooms(snapshot())
{
}

QModelIndex RoomsModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    if (!parent.isValid())
        return createIndex(row, column, kRoomLevel);
    return createIndex(row, column, quintptr(parent.row()) + 1);
}

QModelIndex RoomsModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == kRoomLevel)
        return {};
    return createIndex(int(child.internalId() - 1), 0, kRoomLevel);
}

int RoomsModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_rooms.size());
    if (parent.internalId() != kRoomLevel || parent.column() != 0)
        return 0;
    return int(m_rooms[size_t(parent.row())].members.size());
}

int RoomsModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant RoomsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Room / member");
    case MutedColumn: return tr("Muted");
    case TalkingColumn: return tr("Talking");
    case PlaybackColumn: return tr("Playback");
    case VolumeColumn: return tr("Volume");
    default: return {};
    }
}

QVariant RoomsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (index.internalId() == kRoomLevel) {
        const Room &room = m_rooms[size_t(index.row())];
        if (role == IdRole)
            return room.id;
        if (role == Qt::ToolTipRole)
            return room.id;
        if (role != Qt::DisplayRole)
            return {};
        switch (index.column()) {
        case NameColumn: return room.name.isEmpty() ? room.id : room.name;
        case PlaybackColumn: return room.playback;
        case VolumeColumn: return tr("%1 dB").arg(room.volume);
        default: return {};
        }
    }
    const Member &member = m_rooms[size_t(index.internalId() - 1)].members[size_t(index.row())];
    if (role == IdRole || role == Qt::ToolTipRole)
        return member.uuid;
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case NameColumn: return member.callerId;
    case MutedColumn: return member.muted ? tr("muted") : QString();
    case TalkingColumn: return member.talking ? QStringLiteral("\u25cf ") + tr("talking") : QString();
    default: return {};
    }
}

std::vector<RoomsModel::Room> RoomsModel::snapshot() const
{
    std::vector<Room> out;
    const QList<const Conferences::Room *> rooms = m_conferences.rooms();
    for (const Conferences::Room *r : rooms) {
        Room room{r->id, r->name, {}, r->volume, {}};
        switch (r->playback) {
        case Conferences::Room::Playback::Idle: break;
        case Conferences::Room::Playback::Playing: room.playback = tr("playing"); break;
        case Conferences::Room::Playback::Paused: room.playback = tr("paused"); break;
        }
        for (const Conferences::Member &m : r->members)
            room.members.push_back({m.sessionUuid, m.callerId, m.muted, m_talking && m_talking(m.sessionUuid)});
        out.push_back(std::move(room));
    }
    return out;
}

void RoomsModel::refresh()
{
    std::vector<Room> now = snapshot();
    const auto sameShape = [&] {
        if (now.size() != m_rooms.size())
            return false;
        for (size_t i = 0; i < now.size(); ++i) {
            if (now[i].id != m_rooms[i].id || now[i].members.size() != m_rooms[i].members.size())
                return false;
            for (size_t j = 0; j < now[i].members.size(); ++j)
                if (now[i].members[j].uuid != m_rooms[i].members[j].uuid)
                    return false;
        }
        return true;
    };
    if (!sameShape()) {
        beginResetModel();
        m_rooms = std::move(now);
        endResetModel();
        return;
    }
    m_rooms = std::move(now);
    for (size_t i = 0; i < m_rooms.size(); ++i) {
        const QModelIndex room = index(int(i), 0);
        Q_EMIT dataChanged(room, index(int(i), ColumnCount - 1));
        if (!m_rooms[i].members.empty())
            Q_EMIT dataChanged(index(0, 0, room), index(int(m_rooms[i].members.size()) - 1, ColumnCount - 1, room));
    }
}

} // namespace VoiceSim
