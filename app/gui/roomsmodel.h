// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractItemModel>

#include <functional>
#include <vector>

namespace VoiceSim {

class Conferences;

// Conference rooms (top level) and their members (children), with mute, talking and playback.
class RoomsModel final : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, MutedColumn, TalkingColumn, PlaybackColumn, VolumeColumn, ColumnCount };
    enum Role { IdRole = Qt::UserRole + 1 }; // room id, or a member's session uuid
    using TalkingProbe = std::function<bool(const QString &sessionUuid)>;

    RoomsModel(const Conferences &conferences, TalkingProbe talking, QObject *parent = nullptr);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Reads the rooms again: a reset when rooms or members changed, else updated values.
    void refresh();

private:
    struct Member
    {
        QString uuid;
        QString callerId;
        bool muted = true;
        bool talking = false;
    };
    struct Room
    {
        QString id;
        QString name;
        QString playback;
        int volume = 0;
        std::vector<Member> members;
    };
    std::vector<Room> snapshot() const;

    const Conferences &m_conferences;
    TalkingProbe m_talking;
    std::vector<Room> m_rooms;
};

} // namespace VoiceSim
