// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "deliveryjournal.h"

#include <QPointer>

#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace VoiceSim {

namespace {

// Rows the writer gathers before it adds them to the stream index in one sorted insert; a
// stream query scans at most this many (plus one batch) unindexed rows.
constexpr qint64 kIndexBatch = 4096;

constexpr const char *kSelectEvent =
    "SELECT row, id, app_id, stream_kind, stream_id, sequence, type, created_ms, body, status, attempt_count, "
    "last_status_code, next_attempt_ms FROM events ";

// A prepared statement that resets itself, so one can be stepped again and again.
class Statement
{
public:
    Statement() = default;
    Statement(sqlite3 *db, const QByteArray &sql) { sqlite3_prepare_v3(db, sql.constData(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr); }
    ~Statement() { sqlite3_finalize(m_stmt); }
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;
    Statement(Statement &&other) noexcept : m_stmt(std::exchange(other.m_stmt, nullptr)) {}
    Statement &operator=(Statement &&other) noexcept
    {
        std::swap(m_stmt, other.m_stmt);
        return *this;
    }

    bool isValid() const { return m_stmt != nullptr; }
    // The values must outlive step(): blobs and texts are bound without a copy.
    void bind(int i, qint64 v) { sqlite3_bind_int64(m_stmt, i, v); }
    void bind(int i, const QByteArray &v) { sqlite3_bind_blob(m_stmt, i, v.constData(), int(v.size()), SQLITE_STATIC); }
    void bindText(int i, const QByteArray &utf8) { sqlite3_bind_text(m_stmt, i, utf8.constData(), int(utf8.size()), SQLITE_STATIC); }
    // SQLITE_ROW or SQLITE_DONE on success.
    int step() { return sqlite3_step(m_stmt); }
    void reset()
    {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }
    qint64 integer(int i) const { return sqlite3_column_int64(m_stmt, i); }
    QByteArray blob(int i) const
    {
        return QByteArray(static_cast<const char *>(sqlite3_column_blob(m_stmt, i)), sqlite3_column_bytes(m_stmt, i));
    }
    QString text(int i) const
    {
        return QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, i)), sqlite3_column_bytes(m_stmt, i));
    }

private:
    sqlite3_stmt *m_stmt = nullptr;
};

JournalEvent eventFrom(const Statement &q)
{
    JournalEvent e;
    e.row = q.integer(0);
    e.id = q.text(1);
    e.appId = q.text(2);
    e.kind = q.integer(3) == 1 ? StreamKind::Room : StreamKind::Session;
    e.streamId = q.text(4);
    e.sequence = q.integer(5);
    e.type = q.text(6);
    e.createdMs = q.integer(7);
    e.body = q.blob(8);
    e.status = DeliveryStatus(q.integer(9));
    e.attemptCount = int(q.integer(10));
    e.lastStatusCode = int(q.integer(11));
    e.nextAttemptMs = q.integer(12);
    return e;
}

} // namespace

QString deliveryStatusName(DeliveryStatus status)
{
    switch (status) {
    case DeliveryStatus::Pending:
        return QStringLiteral("pending");
    case DeliveryStatus::Delivered:
        return QStringLiteral("delivered");
    case DeliveryStatus::Failed:
        return QStringLiteral("failed");
    case DeliveryStatus::Dead:
        return QStringLiteral("dead");
    }
    return {};
}

bool parseDeliveryStatus(const QString &name, DeliveryStatus *status)
{
    for (DeliveryStatus s : {DeliveryStatus::Pending, DeliveryStatus::Delivered, DeliveryStatus::Failed, DeliveryStatus::Dead}) {
        if (deliveryStatusName(s) == name) {
            *status = s;
            return true;
        }
    }
    return false;
}

struct DeliveryJournal::Op
{
    enum class Kind { Append, Attempt, Status };
    Kind kind = Kind::Append;
    JournalEvent event;     // Append; Status uses row, status and counts
    JournalAttempt attempt; // Attempt
};

struct DeliveryJournal::Db
{
    sqlite3 *db = nullptr;
    Statement begin, commit, rollback, insertEvent, insertAttempt, updateStatus, indexStreams, setIndexedUpTo;
    qint64 indexedUpTo = 0; // stream_rows holds every row up to here
    qint64 lastRow = 0;     // the highest row written

    ~Db()
    {
        // Statements first: a connection with live statements does not close.
        for (Statement *s : {&begin, &commit, &rollback, &insertEvent, &insertAttempt, &updateStatus, &indexStreams, &setIndexedUpTo})
            *s = Statement();
        sqlite3_close(db);
    }
    QString error() const { return QString::fromUtf8(sqlite3_errmsg(db)); }
    bool exec(const char *sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK; }
    bool write(const Op &op);
    // Adds the rows written since the last call to stream_rows, sorted, in the open transaction.
    bool indexNewRows();
    // One transaction for the whole batch; an error message, or empty on success.
    QString writeBatch(const std::vector<Op> &ops);
};

// What the owner thread and the writer thread share. The connection is used under dbMutex by
// whichever thread holds it: the writer for batches, the owner for reads.
struct DeliveryJournal::Writer
{
    std::mutex dbMutex;
    std::mutex queueMutex;
    std::condition_variable wake;      // the writer: work or stop
    std::condition_variable committed; // flush(): a batch is done or failed
    std::vector<Op> queued; // handed over, not yet taken by the writer
    quint64 queuedTicket = 0;
    bool stop = false;
    QString error; // the last write error, until a batch succeeds
    std::atomic<quint64> committedTicket{0};
    std::atomic<quint64> transactions{0};
    std::mutex listenerMutex;
    QPointer<QObject> listenerContext;
    std::function<void()> listener;
    std::thread thread;
};

bool DeliveryJournal::Db::write(const Op &op)
{
    Statement *q = nullptr;
    // Converted once per op and kept alive until the step, since binding does not copy.
    QByteArray t1, t2, t3, t4;
    if (op.kind == Op::Kind::Append) {
        const JournalEvent &e = op.event;
        q = &insertEvent;
        t1 = e.id.toUtf8();
        t2 = e.appId.toUtf8();
        t3 = e.streamId.toUtf8();
        t4 = e.type.toUtf8();
        q->bind(1, e.row);
        q->bindText(2, t1);
        q->bindText(3, t2);
        q->bind(4, e.kind == StreamKind::Room ? 1 : 0);
        q->bindText(5, t3);
        q->bind(6, e.sequence);
        q->bindText(7, t4);
        q->bind(8, e.createdMs);
        q->bind(9, e.body);
        q->bind(10, qint64(e.status));
        q->bind(11, e.attemptCount);
        q->bind(12, e.lastStatusCode);
        q->bind(13, e.nextAttemptMs);
    } else if (op.kind == Op::Kind::Attempt) {
        const JournalAttempt &a = op.attempt;
        q = &insertAttempt;
        t1 = a.url.toUtf8();
        t2 = a.error.toUtf8();
        t3 = a.fault.toUtf8();
        q->bind(1, a.eventRow);
        q->bind(2, a.atMs);
        q->bindText(3, t1);
        q->bind(4, a.requestHeaders);
        q->bind(5, a.statusCode);
        q->bind(6, a.responseHeaders);
        q->bind(7, a.responseBody);
        q->bind(8, a.latencyMs);
        q->bindText(9, t2);
        q->bindText(10, t3);
    } else {
        const JournalEvent &e = op.event;
        q = &updateStatus;
        q->bind(1, qint64(e.status));
        q->bind(2, e.attemptCount);
        q->bind(3, e.lastStatusCode);
        q->bind(4, e.nextAttemptMs);
        q->bind(5, e.row);
    }
    const bool ok = q->step() == SQLITE_DONE;
    q->reset();
    return ok;
}

QString DeliveryJournal::Db::writeBatch(const std::vector<Op> &ops)
{
    const auto once = [](Statement &s) {
        const bool ok = s.step() == SQLITE_DONE;
        s.reset();
        return ok;
    };
    if (!once(begin))
        return QStringLiteral("cannot write the delivery journal: ") + error();
    const qint64 indexedBefore = indexedUpTo, lastBefore = lastRow;
    for (const Op &op : ops) {
        if (!write(op)) {
            const QString message = QStringLiteral("cannot write the delivery journal: ") + error();
            once(rollback);
            lastRow = lastBefore;
            return message;
        }
        if (op.kind == Op::Kind::Append)
            lastRow = std::max(lastRow, op.event.row);
    }
    if (lastRow - indexedUpTo >= kIndexBatch && !indexNewRows()) {
        const QString message = QStringLiteral("cannot index the delivery journal: ") + error();
        once(rollback);
        indexedUpTo = indexedBefore;
        lastRow = lastBefore;
        return message;
    }
    if (!once(commit)) {
        const QString message = QStringLiteral("cannot commit the delivery journal: ") + error();
        once(rollback);
        indexedUpTo = indexedBefore;
        lastRow = lastBefore;
        return message;
    }
    return {};
}

bool DeliveryJournal::Db::indexNewRows()
{
    indexStreams.bind(1, indexedUpTo);
    indexStreams.bind(2, lastRow);
    bool ok = indexStreams.step() == SQLITE_DONE;
    indexStreams.reset();
    if (!ok)
        return false;
    setIndexedUpTo.bind(1, lastRow);
    ok = setIndexedUpTo.step() == SQLITE_DONE;
    setIndexedUpTo.reset();
    if (ok)
        indexedUpTo = lastRow;
    return ok;
}

DeliveryJournal::DeliveryJournal(QString path)
    : m_path(std::move(path))
    , m_writer(std::make_unique<Writer>())
{
}

DeliveryJournal::~DeliveryJournal()
{
    if (!m_writer->thread.joinable())
        return;
    commit(); // a clean shutdown keeps everything
    {
        std::lock_guard lock(m_writer->queueMutex);
        m_writer->stop = true;
    }
    m_writer->wake.notify_all();
    m_writer->thread.join();
}

QString DeliveryJournal::errorString() const
{
    if (!m_db)
        return m_openError;
    std::lock_guard lock(m_writer->queueMutex);
    return m_writer->error;
}

quint64 DeliveryJournal::committedTicket() const
{
    return m_writer->committedTicket.load();
}

quint64 DeliveryJournal::transactions() const
{
    return m_writer->transactions.load();
}

void DeliveryJournal::setCommitListener(QObject *context, std::function<void()> listener)
{
    // Kept from before open() too: the dispatcher may be built first.
    std::lock_guard lock(m_writer->listenerMutex);
    m_writer->listenerContext = context;
    m_writer->listener = std::move(listener);
}

bool DeliveryJournal::open()
{
    auto db = std::make_unique<Db>();
    const QByteArray name = m_path.isEmpty() ? QByteArrayLiteral(":memory:") : m_path.toUtf8();
    if (sqlite3_open_v2(name.constData(), &db->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
        m_openError = QStringLiteral("cannot open the delivery journal ") + m_path + QStringLiteral(": ") + db->error();
        return false;
    }
    sqlite3_busy_timeout(db->db, 5000);
    const char *setup[] = {
        "PRAGMA journal_mode=WAL",
        // WAL with NORMAL: a commit survives a crash of voicesim; only a power cut can lose the
        // last commits, which is the trade every WAL user makes.
        "PRAGMA synchronous=NORMAL",
        "CREATE TABLE IF NOT EXISTS events (row INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, "
        "app_id TEXT NOT NULL, stream_kind INTEGER NOT NULL, stream_id TEXT NOT NULL, sequence INTEGER NOT NULL, "
        "type TEXT NOT NULL, created_ms INTEGER NOT NULL, body BLOB NOT NULL, status INTEGER NOT NULL, "
        "attempt_count INTEGER NOT NULL, last_status_code INTEGER NOT NULL, next_attempt_ms INTEGER NOT NULL)",
        // Rows by stream, filled by the writer in bulk (sorted, every kIndexBatch rows) instead of
        // per event: a per-event index on 1,000 busy streams dirtied a page per event.
        "DROP INDEX IF EXISTS events_by_stream",
        "CREATE TABLE IF NOT EXISTS stream_rows (stream_id TEXT NOT NULL, row INTEGER NOT NULL, PRIMARY KEY (stream_id, row)) WITHOUT ROWID",
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)",
        "INSERT OR IGNORE INTO meta VALUES ('indexed_up_to', 0)",
        // Attempts point at their event by row: an integer index is cheaper than the text id.
        "CREATE TABLE IF NOT EXISTS attempts (row INTEGER PRIMARY KEY, event_row INTEGER NOT NULL, "
        "at_ms INTEGER NOT NULL, url TEXT NOT NULL, request_headers BLOB, status_code INTEGER NOT NULL, response_headers BLOB, "
        "response_body BLOB, latency_ms INTEGER NOT NULL, error TEXT, fault TEXT)",
        "CREATE INDEX IF NOT EXISTS attempts_by_event ON attempts (event_row, row)",
    };
    for (const char *statement : setup) {
        if (!db->exec(statement)) {
            m_openError = QStringLiteral("cannot set up the delivery journal ") + m_path + QStringLiteral(": ") + db->error();
            return false;
        }
    }
    db->begin = Statement(db->db, "BEGIN");
    db->commit = Statement(db->db, "COMMIT");
    db->rollback = Statement(db->db, "ROLLBACK");
    db->insertEvent = Statement(db->db, "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    db->insertAttempt = Statement(db->db, "INSERT INTO attempts (event_row, at_ms, url, request_headers, status_code, response_headers, "
                                          "response_body, latency_ms, error, fault) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    db->updateStatus = Statement(db->db, "UPDATE events SET status = ?, attempt_count = ?, last_status_code = ?, next_attempt_ms = ? WHERE row = ?");
    db->indexStreams = Statement(db->db, "INSERT OR IGNORE INTO stream_rows SELECT stream_id, row FROM events WHERE row > ?1 AND row <= ?2 "
                                         "ORDER BY stream_id, row");
    db->setIndexedUpTo = Statement(db->db, "UPDATE meta SET value = ?1 WHERE key = 'indexed_up_to'");
    Statement indexed(db->db, "SELECT value FROM meta WHERE key = 'indexed_up_to'");
    if (indexed.isValid() && indexed.step() == SQLITE_ROW)
        db->indexedUpTo = indexed.integer(0);
    Statement last(db->db, "SELECT COALESCE(MAX(row), 0) + 1 FROM events");
    if (!last.isValid() || last.step() != SQLITE_ROW) {
        m_openError = QStringLiteral("cannot read the delivery journal ") + m_path + QStringLiteral(": ") + db->error();
        return false;
    }
    m_nextRow = last.integer(0);
    db->lastRow = m_nextRow - 1;
    m_db = std::move(db);
    m_writer->thread = std::thread([this] { writerLoop(); });
    return true;
}

void DeliveryJournal::writerLoop()
{
    Writer &w = *m_writer;
    std::vector<Op> batch;
    quint64 batchTicket = 0;
    for (;;) {
        {
            std::unique_lock lock(w.queueMutex);
            if (batch.empty()) {
                w.wake.wait(lock, [&] { return !w.queued.empty() || w.stop; });
                if (w.queued.empty())
                    return; // stopped, and everything is written
                batch.swap(w.queued);
                batchTicket = w.queuedTicket;
            }
        }
        QString error;
        {
            std::lock_guard db(w.dbMutex);
            error = m_db->writeBatch(batch);
        }
        {
            std::lock_guard lock(w.queueMutex);
            w.error = error;
            if (error.isEmpty()) {
                batch.clear();
                w.committedTicket.store(batchTicket);
                ++w.transactions;
            }
        }
        w.committed.notify_all();
        if (!error.isEmpty()) {
            // Kept and tried again: a full disk or a locked file may come right (C-DURABLE).
            std::unique_lock lock(w.queueMutex);
            w.wake.wait_for(lock, std::chrono::seconds(1), [&] { return w.stop; });
            if (w.stop)
                return; // the journal is going away with writes it could not make
            continue;
        }
        std::lock_guard lock(w.listenerMutex);
        if (w.listener && w.listenerContext)
            QMetaObject::invokeMethod(w.listenerContext.data(), w.listener, Qt::QueuedConnection);
    }
}

qint64 DeliveryJournal::append(JournalEvent event)
{
    event.row = m_nextRow++;
    const qint64 row = event.row;
    if (m_db) {
        ++m_ticket;
        m_pending.push_back({Op::Kind::Append, std::move(event), {}});
        if (qsizetype(m_pending.size()) >= maxPendingWrites())
            commit();
    }
    return row;
}

void DeliveryJournal::recordAttempt(const JournalAttempt &attempt)
{
    if (!m_db)
        return;
    ++m_ticket;
    m_pending.push_back({Op::Kind::Attempt, {}, attempt});
    if (qsizetype(m_pending.size()) >= maxPendingWrites())
        commit();
}

void DeliveryJournal::setStatus(qint64 row, DeliveryStatus status, int attemptCount, int lastStatusCode, qint64 nextAttemptMs)
{
    if (!m_db)
        return;
    JournalEvent e;
    e.row = row;
    e.status = status;
    e.attemptCount = attemptCount;
    e.lastStatusCode = lastStatusCode;
    e.nextAttemptMs = nextAttemptMs;
    ++m_ticket;
    m_pending.push_back({Op::Kind::Status, std::move(e), {}});
    if (qsizetype(m_pending.size()) >= maxPendingWrites())
        commit();
}

qsizetype DeliveryJournal::pendingWrites() const
{
    return qsizetype(m_pending.size());
}

void DeliveryJournal::commit()
{
    if (!m_db || m_pending.empty())
        return;
    {
        std::lock_guard lock(m_writer->queueMutex);
        if (m_writer->queued.empty())
            m_writer->queued.swap(m_pending);
        else
            std::move(m_pending.begin(), m_pending.end(), std::back_inserter(m_writer->queued));
        m_writer->queuedTicket = m_ticket;
    }
    m_pending.clear();
    m_writer->wake.notify_one();
}

bool DeliveryJournal::flush()
{
    if (!m_db)
        return false;
    commit();
    const quint64 target = m_ticket;
    std::unique_lock lock(m_writer->queueMutex);
    m_writer->committed.wait(lock, [&] { return m_writer->committedTicket.load() >= target || !m_writer->error.isEmpty(); });
    return m_writer->committedTicket.load() >= target;
}

QList<JournalEvent> DeliveryJournal::undelivered(qint64 afterRow, int limit)
{
    QList<JournalEvent> out;
    if (!m_db)
        return out;
    flush();
    std::lock_guard lock(m_writer->dbMutex);
    // No index on status: delivered rows are skipped by a scan in row order, which runs once
    // per restart and keeps every status change cheap.
    Statement q(m_db->db, QByteArray(kSelectEvent) + "WHERE row > ? AND status IN (0, 2) ORDER BY row LIMIT ?");
    q.bind(1, afterRow);
    q.bind(2, limit);
    while (q.step() == SQLITE_ROW)
        out.append(eventFrom(q));
    return out;
}

qsizetype DeliveryJournal::undeliveredCount()
{
    if (!m_db)
        return 0;
    flush();
    std::lock_guard lock(m_writer->dbMutex);
    Statement q(m_db->db, "SELECT COUNT(*) FROM events WHERE status IN (0, 2)");
    return q.step() == SQLITE_ROW ? qsizetype(q.integer(0)) : 0;
}

QList<JournalEvent> DeliveryJournal::list(const Filter &filter)
{
    QList<JournalEvent> out;
    if (!m_db)
        return out;
    flush();
    std::lock_guard lock(m_writer->dbMutex);
    const QByteArray session = filter.sessionUuid.toUtf8();
    const QByteArray room = filter.roomId.toUtf8();
    const QByteArray type = filter.event.toUtf8();
    const bool byStream = !filter.sessionUuid.isEmpty() || !filter.roomId.isEmpty();
    QByteArray conditions = " AND created_ms >= ?2 AND created_ms < ?3";
    if (!filter.sessionUuid.isEmpty())
        conditions += " AND stream_kind = 0 AND stream_id = ?4";
    if (!filter.roomId.isEmpty())
        conditions += " AND stream_kind = 1 AND stream_id = ?5";
    if (!filter.event.isEmpty())
        conditions += " AND type = ?6";
    if (filter.status)
        conditions += " AND status = ?7";
    const auto run = [&](const QByteArray &where, int limit) {
        Statement q(m_db->db, QByteArray(kSelectEvent) + where + conditions + " ORDER BY row LIMIT ?8");
        q.bind(1, filter.afterRow);
        q.bind(2, filter.fromMs);
        q.bind(3, filter.toMs);
        if (!filter.sessionUuid.isEmpty())
            q.bindText(4, session);
        if (!filter.roomId.isEmpty())
            q.bindText(5, room);
        if (!filter.event.isEmpty())
            q.bindText(6, type);
        if (filter.status)
            q.bind(7, qint64(*filter.status));
        q.bind(8, limit);
        q.bindText(9, byStream ? (session.isEmpty() ? room : session) : QByteArray());
        q.bind(10, m_db->indexedUpTo);
        while (q.step() == SQLITE_ROW)
            out.append(eventFrom(q));
    };
    if (!byStream) {
        run("WHERE row > ?1", filter.limit);
        return out;
    }
    // A stream's rows up to indexedUpTo come from the stream index; the few after it, which the
    // writer has not indexed yet, from a scan of the table's end.
    run("WHERE row IN (SELECT row FROM stream_rows WHERE stream_id = ?9 AND row > ?1 AND row <= ?10)", filter.limit);
    if (filter.limit < 0 || out.size() < filter.limit)
        run("WHERE row > max(?1, ?10) AND stream_id = ?9", filter.limit < 0 ? -1 : int(filter.limit - out.size()));
    return out;
}

std::optional<JournalEvent> DeliveryJournal::event(const QString &id)
{
    if (!m_db)
        return std::nullopt;
    flush();
    std::lock_guard lock(m_writer->dbMutex);
    Statement q(m_db->db, QByteArray(kSelectEvent) + "WHERE id = ?");
    const QByteArray utf8 = id.toUtf8();
    q.bindText(1, utf8);
    if (q.step() != SQLITE_ROW)
        return std::nullopt;
    return eventFrom(q);
}

std::optional<JournalEvent> DeliveryJournal::event(qint64 row)
{
    if (!m_db)
        return std::nullopt;
    flush();
    std::lock_guard lock(m_writer->dbMutex);
    Statement q(m_db->db, QByteArray(kSelectEvent) + "WHERE row = ?");
    q.bind(1, row);
    if (q.step() != SQLITE_ROW)
        return std::nullopt;
    return eventFrom(q);
}

QList<JournalAttempt> DeliveryJournal::attempts(qint64 eventRow)
{
    QList<JournalAttempt> out;
    if (!m_db)
        return out;
    flush();
    std::lock_guard lock(m_writer->dbMutex);
    Statement q(m_db->db, "SELECT event_row, at_ms, url, request_headers, status_code, response_headers, response_body, latency_ms, "
                          "error, fault FROM attempts WHERE event_row = ? ORDER BY row");
    q.bind(1, eventRow);
    while (q.step() == SQLITE_ROW) {
        JournalAttempt a;
        a.eventRow = q.integer(0);
        a.atMs = q.integer(1);
        a.url = q.text(2);
        a.requestHeaders = q.blob(3);
        a.statusCode = int(q.integer(4));
        a.responseHeaders = q.blob(5);
        a.responseBody = q.blob(6);
        a.latencyMs = q.integer(7);
        a.error = q.text(8);
        a.fault = q.text(9);
        out.append(a);
    }
    return out;
}

} // namespace VoiceSim
