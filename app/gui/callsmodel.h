// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractTableModel>
#include <QStringList>

namespace VoiceSim {

class Clock;
class Engine;

// The calls the engine knows, live and recently ended, in the order they arrived.
class CallsModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { CallerColumn, DidColumn, StateColumn, DurationColumn, PlayingColumn, RecordingColumn,
                  RoomColumn, ColumnCount };
    enum Role { UuidRole = Qt::UserRole + 1 };

    // clock: the engine's, for the durations of calls under way.
    CallsModel(Engine &engine, Clock &clock, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Follows the engine: rows for new calls, rows of retired calls removed, the rest updated.
    void refresh();
    QString uuid(int row) const { return m_uuids.value(row); }
    int rowOf(const QString &uuid) const { return int(m_uuids.indexOf(uuid)); }

private:
    Engine &m_engine;
    Clock &m_clock;
    QStringList m_uuids;
};

} // namespace VoiceSim
