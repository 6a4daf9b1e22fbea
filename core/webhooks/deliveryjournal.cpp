// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "deliveryjournal.h"

#include <sqlite3.h>

#include <vector>

namespace VoiceSim {

namespace {

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

struct DeliveryJournal::Db
{
    struct Op
    {
        enum class Kind { Append, Attempt, Status };
        Kind kind = Kind::Append;
        JournalEvent event;     // Append; Status uses row, status and counts
        JournalAttempt attempt; // Attempt
    };

    sqlite3 *db = nullptr;
    Statement begin, commit, rollback, insertEvent, insertAttempt, updateStatus;
    std::vector<Op> pending;

    ~Db()
    {
        // Statements first: a connection with live statements does not close.
        for (Statement *s : {&begin, &commit, &rollback, &insertEvent, &insertAttempt, &updateStatus})
            *s = Statement();
        sqlite3_close(db);
    }
    QString error() const { return QString::fromUtf8(sqlite3_errmsg(db)); }
    bool exec(const char *sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK; }
    bool write(const Op &op);
};

bool DeliveryJournal::Db::write(const Op &op)
{
    Statement *q = nullptr;
    // Converted once per op and kept alive until the step, since binding does not copy.
    QByteArray t1, t2, t3, t4, t5;
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

DeliveryJournal::DeliveryJournal(QString path)
    : m_path(std::move(path))
{
}

DeliveryJournal::~DeliveryJournal()
{
    if (m_db)
        flush(); // a clean shutdown keeps everything
}

bool DeliveryJournal::open()
{
    auto db = std::make_unique<Db>();
    const QByteArray name = m_path.isEmpty() ? QByteArrayLiteral(":memory:") : m_path.toUtf8();
    if (sqlite3_open_v2(name.constData(), &db->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
        m_error = QStringLiteral("cannot open the delivery journal ") + m_path + QStringLiteral(": ") + db->error();
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
        "CREATE INDEX IF NOT EXISTS events_by_stream ON events (stream_id, row)",
        // Attempts point at their event by row: an integer index is cheaper than the text id.
        "CREATE TABLE IF NOT EXISTS attempts (row INTEGER PRIMARY KEY, event_row INTEGER NOT NULL, "
        "at_ms INTEGER NOT NULL, url TEXT NOT NULL, request_headers BLOB, status_code INTEGER NOT NULL, response_headers BLOB, "
        "response_body BLOB, latency_ms INTEGER NOT NULL, error TEXT, fault TEXT)",
        "CREATE INDEX IF NOT EXISTS attempts_by_event ON attempts (event_row, row)",
    };
    for (const char *statement : setup) {
        if (!db->exec(statement)) {
            m_error = QStringLiteral("cannot set up the delivery journal ") + m_path + QStringLiteral(": ") + db->error();
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
    Statement last(db->db, "SELECT COALESCE(MAX(row), 0) + 1 FROM events");
    if (!last.isValid() || last.step() != SQLITE_ROW) {
        m_error = QStringLiteral("cannot read the delivery journal ") + m_path + QStringLiteral(": ") + db->error();
        return false;
    }
    m_nextRow = last.integer(0);
    m_db = std::move(db);
    return true;
}

qint64 DeliveryJournal::append(JournalEvent event)
{
    event.row = m_nextRow++;
    const qint64 row = event.row;
    if (m_db) {
        m_db->pending.push_back({Db::Op::Kind::Append, std::move(event), {}});
        if (qsizetype(m_db->pending.size()) >= maxPendingWrites())
            flush();
    }
    return row;
}

void DeliveryJournal::recordAttempt(const JournalAttempt &attempt)
{
    if (!m_db)
        return;
    m_db->pending.push_back({Db::Op::Kind::Attempt, {}, attempt});
    if (qsizetype(m_db->pending.size()) >= maxPendingWrites())
        flush();
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
    m_db->pending.push_back({Db::Op::Kind::Status, std::move(e), {}});
    if (qsizetype(m_db->pending.size()) >= maxPendingWrites())
        flush();
}

qsizetype DeliveryJournal::pendingWrites() const
{
    return m_db ? qsizetype(m_db->pending.size()) : 0;
}

bool DeliveryJournal::flush()
{
    if (!m_db || m_db->pending.empty())
        return m_db != nullptr;
    Db &db = *m_db;
    const auto once = [](Statement &s) {
        const bool ok = s.step() == SQLITE_DONE;
        s.reset();
        return ok;
    };
    if (!once(db.begin)) {
        m_error = QStringLiteral("cannot write the delivery journal: ") + db.error();
        return false;
    }
    for (const Db::Op &op : db.pending) {
        if (!db.write(op)) {
            m_error = QStringLiteral("cannot write the delivery journal: ") + db.error();
            once(db.rollback);
            return false; // the writes stay buffered: nothing is lost, the next flush tries again
        }
    }
    if (!once(db.commit)) {
        m_error = QStringLiteral("cannot commit the delivery journal: ") + db.error();
        once(db.rollback);
        return false;
    }
    ++m_transactions;
    db.pending.clear();
    return true;
}

QList<JournalEvent> DeliveryJournal::undelivered(qint64 afterRow, int limit)
{
    QList<JournalEvent> out;
    if (!flush() && !m_db)
        return out;
    // No index on status: delivered rows are skipped by a scan in row order, which runs once
    // per restart and keeps every status change cheap.
    Statement q(m_db->db, QByteArray(kSelectEvent) + "WHERE row > ? AND status IN (0, 2) ORDER BY row LIMIT ?");
    q.bind(1, afterRow);
    q.bind(2, limit);
    while (q.step() == SQLITE_ROW)
        out.append(eventFrom(q));
    return out;
}

QList<JournalEvent> DeliveryJournal::list(const Filter &filter)
{
    QList<JournalEvent> out;
    if (!flush() && !m_db)
        return out;
    QByteArray sql = QByteArray(kSelectEvent) + "WHERE row > ?1 AND created_ms >= ?2 AND created_ms < ?3";
    const QByteArray session = filter.sessionUuid.toUtf8();
    const QByteArray room = filter.roomId.toUtf8();
    const QByteArray type = filter.event.toUtf8();
    if (!filter.sessionUuid.isEmpty())
        sql += " AND stream_kind = 0 AND stream_id = ?4";
    if (!filter.roomId.isEmpty())
        sql += " AND stream_kind = 1 AND stream_id = ?5";
    if (!filter.event.isEmpty())
        sql += " AND type = ?6";
    if (filter.status)
        sql += " AND status = ?7";
    sql += " ORDER BY row LIMIT ?8";
    Statement q(m_db->db, sql);
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
    q.bind(8, filter.limit);
    while (q.step() == SQLITE_ROW)
        out.append(eventFrom(q));
    return out;
}

std::optional<JournalEvent> DeliveryJournal::event(const QString &id)
{
    if (!flush() && !m_db)
        return std::nullopt;
    Statement q(m_db->db, QByteArray(kSelectEvent) + "WHERE id = ?");
    const QByteArray utf8 = id.toUtf8();
    q.bindText(1, utf8);
    if (q.step() != SQLITE_ROW)
        return std::nullopt;
    return eventFrom(q);
}

std::optional<JournalEvent> DeliveryJournal::event(qint64 row)
{
    if (!flush() && !m_db)
        return std::nullopt;
    Statement q(m_db->db, QByteArray(kSelectEvent) + "WHERE row = ?");
    q.bind(1, row);
    if (q.step() != SQLITE_ROW)
        return std::nullopt;
    return eventFrom(q);
}

QList<JournalAttempt> DeliveryJournal::attempts(qint64 eventRow)
{
    QList<JournalAttempt> out;
    if (!flush() && !m_db)
        return out;
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
