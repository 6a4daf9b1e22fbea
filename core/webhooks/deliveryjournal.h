// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "../events/event.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>

#include <limits>
#include <memory>
#include <optional>
#include <vector>

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
// through SQLite's own API with prepared statements. Writes are buffered on the owner's thread
// and handed to a writer thread, which commits whatever has gathered in one transaction: under
// load the batches grow, so the journal keeps up without holding up delivery. Every write has a
// ticket; the dispatcher sends an event only once its ticket is committed. Reads wait for what
// was written before them. An empty path keeps the journal in memory (--ephemeral).
class DeliveryJournal
{
public:
    explicit DeliveryJournal(QString path = {});
    ~DeliveryJournal();
    DeliveryJournal(const DeliveryJournal &) = delete;
    DeliveryJournal &operator=(const DeliveryJournal &) = delete;

    // Opens (or creates) the database; false with errorString() when it cannot.
    bool open();
    QString errorString() const;

    // Buffered writes; a buffer of maxPendingWrites() writes is handed over on its own.
    qint64 append(JournalEvent event); // its row
    void recordAttempt(const JournalAttempt &attempt);
    void setStatus(qint64 row, DeliveryStatus status, int attemptCount, int lastStatusCode, qint64 nextAttemptMs);
    // Hands the buffered writes to the writer thread; does not wait.
    void commit();
    // commit(), then waits until everything written so far is on disk; false (with
    // errorString()) while the journal cannot be written: the writes stay queued and the writer
    // keeps trying, so nothing is lost.
    bool flush();
    qsizetype pendingWrites() const; // buffered, not yet handed over
    static constexpr qsizetype maxPendingWrites() { return 4096; }
    // Writes made so far, and writes committed (the latter from any thread).
    quint64 writtenTicket() const { return m_ticket; }
    quint64 committedTicket() const;
    // Runs listener on context's thread after each commit; (nullptr, {}) removes it.
    void setCommitListener(QObject *context, std::function<void()> listener);

    // Reads (they flush first).
    // Events still to deliver (pending or failed and waiting for a retry), in journal order:
    // what a restart resumes.
    QList<JournalEvent> undelivered(qint64 afterRow = 0, int limit = -1);
    qsizetype undeliveredCount();
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

    quint64 transactions() const;

private:
    struct Db;
    struct Op;
    void writerLoop();

    QString m_path;
    QString m_openError;
    std::unique_ptr<Db> m_db;
    qint64 m_nextRow = 1;
    quint64 m_ticket = 0;
    std::vector<Op> m_pending; // owner thread only
    struct Writer;
    std::unique_ptr<Writer> m_writer; // its thread runs once open
};

} // namespace VoiceSim
