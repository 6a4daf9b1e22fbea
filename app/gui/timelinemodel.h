// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <http/requestlog.h>
#include <webhooks/deliveryjournal.h>

#include <QAbstractTableModel>
#include <QHash>
#include <QSet>
#include <QStringList>

#include <deque>
#include <optional>
#include <vector>

namespace VoiceSim {

class Clock;

// The live timeline: one row per HTTP command received and per webhook delivery, filtered in
// place. Rows are 40-byte records with their strings interned; bodies stay in the journal and
// are read when a row is opened. Changes are gathered and applied in one batch per kFlushMs of
// the UI clock, so 20,000 rows a second cost the view a few inserts a second.
class TimelineModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum class Kind : quint8 { Command, Delivery, Caller };
    enum Column { TimeColumn, KindColumn, StreamColumn, SequenceColumn, WhatColumn, StatusColumn, AttemptsColumn,
                  LatencyColumn, ColumnCount };
    enum Role { KindRole = Qt::UserRole + 1, RefRole, StreamRole, WhatRole };
    enum class StatusFilter { Any, Success, ClientError, ServerError, NoAnswer, Undelivered, Dead };

    struct Filter
    {
        QString sessionUuid = {}; // rows of this call's stream
        QString roomId = {};      // rows of this room's stream
        QString event = {};       // deliveries of this event type (hides commands)
        StatusFilter status = StatusFilter::Any;
        QString text = {};        // case-insensitive, in the stream, the event or the path
        bool isEmpty() const;
        bool operator==(const Filter &) const = default;
    };
    // What the timeline keeps of a command for its detail pane (the newest kCommandsKept).
    struct CommandDetail
    {
        QByteArray method;
        QByteArray path;
        int status = 0;
        qint64 atMs = 0;
        qint64 durationUs = 0;
        QByteArray requestBody;
        QByteArray responseBody;
    };

    static constexpr int kFlushMs = 50;
    static constexpr int kCommandsKept = 10'000;

    explicit TimelineModel(Clock &uiClock, QObject *parent = nullptr);
    ~TimelineModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Queued; they show at the next flush. A command takes its place when it is received
    // (RequestLog::received) and is filled in once handled; addCommand alone does both.
    void commandReceived(quint64 serial, qint64 atMs);
    void addCommand(const HttpExchange &exchange);
    void addDelivery(const JournalEvent &event);
    void updateDelivery(const JournalEvent &event, const JournalAttempt &attempt);
    // Something the caller did from the desktop (keys, hang up, speak): it has no HTTP request.
    // It is added before it is done, so it precedes the events it causes; setCallerAction()
    // fills in what is known only afterwards (a new call's uuid, a refusal).
    qint64 addCallerAction(qint64 atMs, const QString &sessionUuid, const QString &text);
    void setCallerAction(qint64 action, const QString &sessionUuid, const QString &text);
    // Applies what is queued now (the UI clock does it every kFlushMs).
    void flush();
    int pendingChanges() const { return int(m_pending.size() + m_updates.size()); }

    const Filter &filter() const { return m_filter; }
    void setFilter(const Filter &filter);
    int totalRows() const { return int(m_rows.size()); }
    // The event types and streams seen so far, for the filter boxes.
    QStringList eventTypes() const;

    Kind kind(int row) const;
    qint64 journalRow(int row) const;                  // deliveries; 0 otherwise
    std::optional<CommandDetail> command(int row) const; // commands still kept
    QString stream(int row) const;

    // One stream's rows in time order (the newest `limit`), for the call-flow ladder.
    struct RowInfo
    {
        Kind kind;
        qint64 atMs;
        QString what;
        int httpStatus;
        qint64 sequence;
        DeliveryStatus delivery;
    };
    QList<RowInfo> rowsOf(const QString &stream, int limit = 500) const;

    // Memory the rows and their index hold, for the benchmark.
    qsizetype bytesUsed() const;

Q_SIGNALS:
    void rowsAppended();

private:
    struct Row
    {
        qint64 atMs = 0;
        qint64 ref = 0;       // journal row, or the command's serial
        quint32 stream = 0;   // string id; 0: none
        quint32 what = 0;     // string id: event type or "METHOD path"
        qint32 sequence = 0;
        qint32 latencyUs = -1;
        qint16 httpStatus = 0;
        quint8 attempts = 0;
        Kind kind = Kind::Command;
        DeliveryStatus delivery = DeliveryStatus::Pending;
    };
    struct Update
    {
        qint64 journalRow;
        DeliveryStatus status;
        int httpStatus;
        int attempts;
        qint64 latencyMs;
    };
    // Per interned string: what the current filter says of it.
    enum StringFlag : quint8 { MatchesText = 1, IsSession = 2, IsRoom = 4, IsEvent = 8 };

    quint32 intern(const QString &text);
    quint8 flagsFor(const QString &text) const;
    bool matches(const Row &row) const;
    int sourceRow(int row) const { return m_filtered ? m_visible[size_t(row)] : row; }
    int findDelivery(qint64 journalRow) const; // timeline index, or -1
    void scheduleFlush();
    // A row changed: into or out of the filtered view, or into the changed range.
    void reconcile(int source, bool before, int *changedFirst, int *changedLast);
    // A row by its absolute index, shown (flushed) or still pending; nullptr if there is none.
    Row *openRow(qint64 absolute, bool *flushed);
    void closeRow(qint64 absolute, bool flushed, bool before);
    QVariant display(const Row &row, int column) const;

    Clock &m_clock;
    qint64 m_utcOffsetMs; // local time of the rows (taken at start: a DST change shows after a restart)
    std::vector<Row> m_rows;
    std::vector<qint32> m_deliveries; // indexes of delivery rows, journal rows ascending
    std::vector<qint32> m_visible;    // indexes of matching rows while filtered
    bool m_filtered = false;
    Filter m_filter;

    QStringList m_strings{QString()};
    QHash<QString, quint32> m_stringIds;
    std::vector<quint8> m_flags{0};
    QSet<quint32> m_eventTypes;

    std::deque<CommandDetail> m_commands; // the newest kCommandsKept
    qint64 m_nextCommand = 1;             // serial of the next command
    QHash<quint64, qint64> m_openCommands; // received, not yet handled: RequestLog serial → row

    std::vector<Row> m_pending;
    std::vector<Update> m_updates;
    bool m_flushScheduled = false;
};

} // namespace VoiceSim
