// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "../events/event.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <limits>
#include <memory>
#include <optional>

namespace VoiceSim {

// Where an event's delivery stands (contract §6: pending|delivered|failed|dead).
enum class DeliveryStatus { Pending, Delivered, Failed, Dead };
QString deliveryStatusName(DeliveryStatus status);
bool parseDeliveryStatus(const QString &name, DeliveryStatus *status);

// One event as the journal keeps it: the exact body to deliver and where its delivery stands.
struct JournalEvent
{
    qint64 row = 0; // journal order, assigned by append()
    QString id;     // the webhook-id
    QString appId;
    StreamKind kind = StreamKind::Session;
    QString streamId;
    qint64 sequence = 0;
    QString type;
    qint64 createdMs = 0; // Unix ms
    QByteArray body;
    DeliveryStatus status = DeliveryStatus::Pending;
    int attemptCount = 0;
    int lastStatusCode = 0;   // 0: no HTTP answer yet
    qint64 nextAttemptMs = 0; // Unix ms; 0: at once
};

// One delivery attempt (C-LOG).
struct JournalAttempt
{
    qint64 eventRow = 0; // the event's journal row
    qint64 atMs = 0;     // Unix ms
    QString url;
    QByteArray requestHeaders;  // as sent, "Name: value" lines
    int statusCode = 0;         // 0: no answer
    QByteArray responseHeaders; // "Name: value" lines
    QByteArray responseBody;    // capped by the client
    qint64 latencyMs = 0;
    QString error;
    QString fault; // the chaos fault that faked this attempt, if one did (C-CHAOS)
};

// The delivery journal (C-DURABLE, C-LOG): events, their status and every attempt in SQLite (WAL),
// through SQLite's own API with prepared statements. Writes are buffered and go to disk in one
// transaction per flush(), so a burst of events costs one commit; the dispatcher flushes before
// it sends. Reads flush first. An empty path keeps the journal in memory (--ephemeral).
class DeliveryJournal
{
public:
    explicit DeliveryJournal(QString path = {});
    ~DeliveryJournal();
    DeliveryJournal(const DeliveryJournal &) = delete;
    DeliveryJournal &operator=(const DeliveryJournal &) = delete;

    // Opens (or creates) the database; false with errorString() when it cannot.
    bool open();
    QString errorString() const { return m_error; }

    // Buffered writes; a buffer of maxPendingWrites() operations flushes on its own.
    qint64 append(JournalEvent event); // its row
    void recordAttempt(const JournalAttempt &attempt);
    void setStatus(qint64 row, DeliveryStatus status, int attemptCount, int lastStatusCode, qint64 nextAttemptMs);
    bool flush();
    qsizetype pendingWrites() const;
    static constexpr qsizetype maxPendingWrites() { return 4096; }

    // Reads (of flushed data).
    // Events still to deliver (pending or failed and waiting for a retry), in journal order:
    // what a restart resumes.
    QList<JournalEvent> undelivered(qint64 afterRow = 0, int limit = -1);
    struct Filter
    {
        // Initialised, so designated initialisers may leave any of them out.
        QString sessionUuid = {};
        QString roomId = {};
        QString event = {};
        std::optional<DeliveryStatus> status = {};
        qint64 fromMs = 0;                     // created at or after (Unix ms)
        qint64 toMs = std::numeric_limits<qint64>::max(); // created before
        int limit = 100;                       // -1: no limit
        qint64 afterRow = 0;                   // the paging cursor
    };
    QList<JournalEvent> list(const Filter &filter); // oldest first
    std::optional<JournalEvent> event(const QString &id);
    std::optional<JournalEvent> event(qint64 row);
    QList<JournalAttempt> attempts(qint64 eventRow);
    qint64 lastRow() const { return m_nextRow - 1; }

    quint64 transactions() const { return m_transactions; }

private:
    struct Db;
    QString m_path;
    QString m_error;
    std::unique_ptr<Db> m_db;
    qint64 m_nextRow = 1;
    quint64 m_transactions = 0;
};

} // namespace VoiceSim
