// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "deliveryjournal.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

#include <vector>

namespace VoiceSim {

namespace {

constexpr const char *kSelectEvent =
    "SELECT row, id, app_id, stream_kind, stream_id, sequence, type, created_ms, body, status, attempt_count, "
    "last_status_code, next_attempt_ms FROM events ";

JournalEvent eventFrom(const QSqlQuery &q)
{
    JournalEvent e;
    e.row = q.value(0).toLongLong();
    e.id = q.value(1).toString();
    e.appId = q.value(2).toString();
    e.kind = q.value(3).toInt() == 1 ? StreamKind::Room : StreamKind::Session;
    e.streamId = q.value(4).toString();
    e.sequence = q.value(5).toLongLong();
    e.type = q.value(6).toString();
    e.createdMs = q.value(7).toLongLong();
    e.body = q.value(8).toByteArray();
    e.status = DeliveryStatus(q.value(9).toInt());
    e.attemptCount = q.value(10).toInt();
    e.lastStatusCode = q.value(11).toInt();
    e.nextAttemptMs = q.value(12).toLongLong();
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
        JournalEvent event;     // Append; Status uses id, status, counts
        JournalAttempt attempt; // Attempt
    };

    QString connection = QStringLiteral("voicesim-journal-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    QSqlDatabase db;
    std::vector<Op> pending;

    ~Db()
    {
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(connection);
    }
};

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
    db->db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), db->connection);
    db->db.setDatabaseName(m_path.isEmpty() ? QStringLiteral(":memory:") : m_path);
    if (!db->db.open()) {
        m_error = QStringLiteral("cannot open the delivery journal ") + m_path + QStringLiteral(": ") + db->db.lastError().text();
        return false;
    }
    const QStringList setup = {
        QStringLiteral("PRAGMA journal_mode=WAL"),
        // WAL with NORMAL: a commit survives a crash of voicesim; only a power cut can lose the
        // last commits, which is the trade every WAL user makes.
        QStringLiteral("PRAGMA synchronous=NORMAL"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS events (row INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, "
                       "app_id TEXT NOT NULL, stream_kind INTEGER NOT NULL, stream_id TEXT NOT NULL, sequence INTEGER NOT NULL, "
                       "type TEXT NOT NULL, created_ms INTEGER NOT NULL, body BLOB NOT NULL, status INTEGER NOT NULL, "
                       "attempt_count INTEGER NOT NULL, last_status_code INTEGER NOT NULL, next_attempt_ms INTEGER NOT NULL)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS events_by_stream ON events (stream_id, row)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS events_by_status ON events (status, row)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS attempts (row INTEGER PRIMARY KEY, event_id TEXT NOT NULL, "
                       "at_ms INTEGER NOT NULL, request_headers BLOB, status_code INTEGER NOT NULL, response_headers BLOB, "
                       "response_body BLOB, latency_ms INTEGER NOT NULL, error TEXT, fault TEXT)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS attempts_by_event ON attempts (event_id, row)"),
    };
    QSqlQuery q(db->db);
    for (const QString &statement : setup) {
        if (!q.exec(statement)) {
            m_error = QStringLiteral("cannot set up the delivery journal: ") + q.lastError().text();
            return false;
        }
    }
    if (!q.exec(QStringLiteral("SELECT COALESCE(MAX(row), 0) + 1 FROM events")) || !q.next()) {
        m_error = QStringLiteral("cannot read the delivery journal: ") + q.lastError().text();
        return false;
    }
    m_nextRow = q.value(0).toLongLong();
    q.finish();
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

void DeliveryJournal::setStatus(const QString &eventId, DeliveryStatus status, int attemptCount, int lastStatusCode,
                                qint64 nextAttemptMs)
{
    if (!m_db)
        return;
    JournalEvent e;
    e.id = eventId;
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
    QSqlDatabase &db = m_db->db;
    if (!db.transaction()) {
        m_error = QStringLiteral("cannot write the delivery journal: ") + db.lastError().text();
        return false;
    }
    QSqlQuery insertEvent(db), insertAttempt(db), updateStatus(db);
    insertEvent.prepare(QStringLiteral("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    insertAttempt.prepare(QStringLiteral("INSERT INTO attempts (event_id, at_ms, request_headers, status_code, response_headers, "
                                         "response_body, latency_ms, error, fault) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    updateStatus.prepare(QStringLiteral("UPDATE events SET status = ?, attempt_count = ?, last_status_code = ?, next_attempt_ms = ? WHERE id = ?"));
    bool ok = true;
    for (const Db::Op &op : m_db->pending) {
        QSqlQuery *q = nullptr;
        if (op.kind == Db::Op::Kind::Append) {
            const JournalEvent &e = op.event;
            q = &insertEvent;
            for (const QVariant &v : {QVariant(e.row), QVariant(e.id), QVariant(e.appId), QVariant(e.kind == StreamKind::Room ? 1 : 0),
                                      QVariant(e.streamId), QVariant(e.sequence), QVariant(e.type), QVariant(e.createdMs),
                                      QVariant(e.body), QVariant(int(e.status)), QVariant(e.attemptCount), QVariant(e.lastStatusCode),
                                      QVariant(e.nextAttemptMs)})
                q->addBindValue(v);
        } else if (op.kind == Db::Op::Kind::Attempt) {
            const JournalAttempt &a = op.attempt;
            q = &insertAttempt;
            for (const QVariant &v : {QVariant(a.eventId), QVariant(a.atMs), QVariant(a.requestHeaders), QVariant(a.statusCode),
                                      QVariant(a.responseHeaders), QVariant(a.responseBody), QVariant(a.latencyMs), QVariant(a.error),
                                      QVariant(a.fault)})
                q->addBindValue(v);
        } else {
            const JournalEvent &e = op.event;
            q = &updateStatus;
            for (const QVariant &v : {QVariant(int(e.status)), QVariant(e.attemptCount), QVariant(e.lastStatusCode),
                                      QVariant(e.nextAttemptMs), QVariant(e.id)})
                q->addBindValue(v);
        }
        if (!q->exec()) {
            m_error = QStringLiteral("cannot write the delivery journal: ") + q->lastError().text();
            ok = false;
            break;
        }
    }
    if (!ok || !db.commit()) {
        if (ok)
            m_error = QStringLiteral("cannot commit the delivery journal: ") + db.lastError().text();
        db.rollback();
        return false; // the writes stay buffered: nothing is lost, the next flush tries again
    }
    ++m_transactions;
    m_db->pending.clear();
    return true;
}

QList<JournalEvent> DeliveryJournal::undelivered()
{
    QList<JournalEvent> out;
    if (!flush() && !m_db)
        return out;
    QSqlQuery q(m_db->db);
    q.exec(QLatin1String(kSelectEvent) + QStringLiteral("WHERE status IN (0, 2) ORDER BY row"));
    while (q.next())
        out.append(eventFrom(q));
    return out;
}

QList<JournalEvent> DeliveryJournal::list(const Filter &filter)
{
    QList<JournalEvent> out;
    if (!flush() && !m_db)
        return out;
    QString sql = QLatin1String(kSelectEvent) + QStringLiteral("WHERE row > ?");
    QVariantList values{filter.afterRow};
    if (!filter.sessionUuid.isEmpty()) {
        sql += QStringLiteral(" AND stream_kind = 0 AND stream_id = ?");
        values << filter.sessionUuid;
    }
    if (!filter.roomId.isEmpty()) {
        sql += QStringLiteral(" AND stream_kind = 1 AND stream_id = ?");
        values << filter.roomId;
    }
    if (!filter.event.isEmpty()) {
        sql += QStringLiteral(" AND type = ?");
        values << filter.event;
    }
    if (filter.status) {
        sql += QStringLiteral(" AND status = ?");
        values << int(*filter.status);
    }
    sql += QStringLiteral(" ORDER BY row LIMIT ?");
    values << filter.limit;
    QSqlQuery q(m_db->db);
    q.prepare(sql);
    for (const QVariant &v : std::as_const(values))
        q.addBindValue(v);
    q.exec();
    while (q.next())
        out.append(eventFrom(q));
    return out;
}

std::optional<JournalEvent> DeliveryJournal::event(const QString &id)
{
    if (!flush() && !m_db)
        return std::nullopt;
    QSqlQuery q(m_db->db);
    q.prepare(QLatin1String(kSelectEvent) + QStringLiteral("WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return eventFrom(q);
}

QList<JournalAttempt> DeliveryJournal::attempts(const QString &eventId)
{
    QList<JournalAttempt> out;
    if (!flush() && !m_db)
        return out;
    QSqlQuery q(m_db->db);
    q.prepare(QStringLiteral("SELECT event_id, at_ms, request_headers, status_code, response_headers, response_body, latency_ms, "
                             "error, fault FROM attempts WHERE event_id = ? ORDER BY row"));
    q.addBindValue(eventId);
    q.exec();
    while (q.next()) {
        JournalAttempt a;
        a.eventId = q.value(0).toString();
        a.atMs = q.value(1).toLongLong();
        a.requestHeaders = q.value(2).toByteArray();
        a.statusCode = q.value(3).toInt();
        a.responseHeaders = q.value(4).toByteArray();
        a.responseBody = q.value(5).toByteArray();
        a.latencyMs = q.value(6).toLongLong();
        a.error = q.value(7).toString();
        a.fault = q.value(8).toString();
        out.append(a);
    }
    return out;
}

} // namespace VoiceSim
