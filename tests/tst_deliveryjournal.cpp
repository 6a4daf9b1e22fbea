// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// The delivery journal (C-DURABLE and C-LOG): what is flushed survives a reopen, in order; a
// burst is one transaction on the writer thread; status, attempts, filters, paging, the stream
// index across indexed and recent rows.
#include <webhooks/deliveryjournal.h>

#include "eventwait.h"

#include <QFile>
#include <QThread>
#include <QTemporaryDir>
#include <QtTest>

using namespace VoiceSim;

namespace {

JournalEvent sessionEvent(int n, const QString &session = QStringLiteral("acW68-s1"), const QString &type = QStringLiteral("call.new"))
{
    JournalEvent e;
    e.id = QStringLiteral("evt_%1").arg(n);
    e.appId = QStringLiteral("demo-app");
    e.kind = StreamKind::Session;
    e.streamId = session;
    e.sequence = n;
    e.type = type;
    e.createdMs = 1'767'225'600'000 + n;
    e.body = "{\"event\":\"" + type.toUtf8() + "\",\"sequence\":" + QByteArray::number(n) + "}";
    return e;
}

QStringList ids(const QList<JournalEvent> &events)
{
    QStringList out;
    for (const JournalEvent &e : events)
        out << e.id;
    return out;
}

} // namespace

class TestDeliveryJournal : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void flushedEventsSurviveAReopenInOrder()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("journal.sqlite"));
        JournalEvent room = sessionEvent(3);
        room.kind = StreamKind::Room;
        room.streamId = QStringLiteral("acW68-room-1");
        {
            DeliveryJournal journal(path);
            QVERIFY2(journal.open(), qPrintable(journal.errorString()));
            QCOMPARE(journal.append(sessionEvent(1)), 1);
            QCOMPARE(journal.append(sessionEvent(2)), 2);
            journal.append(room);
            QCOMPARE(journal.pendingWrites(), 3);
            QVERIFY(journal.flush());
            QCOMPARE(journal.pendingWrites(), 0);
        }
        DeliveryJournal reopened(path);
        QVERIFY(reopened.open());
        const QList<JournalEvent> events = reopened.undelivered();
        QCOMPARE(ids(events), (QStringList{QStringLiteral("evt_1"), QStringLiteral("evt_2"), QStringLiteral("evt_3")}));
        const JournalEvent &first = events.first();
        QCOMPARE(first.row, 1);
        QCOMPARE(first.appId, QStringLiteral("demo-app"));
        QCOMPARE(first.kind, StreamKind::Session);
        QCOMPARE(first.streamId, QStringLiteral("acW68-s1"));
        QCOMPARE(first.sequence, 1);
        QCOMPARE(first.type, QStringLiteral("call.new"));
        QCOMPARE(first.createdMs, 1'767'225'600'001);
        QCOMPARE(first.body, QByteArray("{\"event\":\"call.new\",\"sequence\":1}"));
        QCOMPARE(first.status, DeliveryStatus::Pending);
        QCOMPARE(events.last().kind, StreamKind::Room);
        QCOMPARE(events.last().streamId, QStringLiteral("acW68-room-1"));
        // New rows continue after the old ones.
        QCOMPARE(reopened.append(sessionEvent(4)), 4);
        // The file is in WAL mode.
        QVERIFY(QFile::exists(path + QStringLiteral("-wal")));
    }

    void aBurstIsOneTransaction()
    {
        DeliveryJournal journal;
        QVERIFY(journal.open());
        for (int i = 1; i <= 1000; ++i) {
            journal.append(sessionEvent(i));
            journal.recordAttempt({i, 1, QStringLiteral("http://127.0.0.1/hooks"), "A: b", 200, {}, {}, 3, {}, {}});
            journal.setStatus(i, DeliveryStatus::Delivered, 1, 200, 0);
        }
        QCOMPARE(journal.transactions(), 0u);
        QVERIFY(journal.flush());
        QCOMPARE(journal.transactions(), 1u);
        QVERIFY(journal.flush()); // nothing to write: no transaction
        QCOMPARE(journal.transactions(), 1u);
        QCOMPARE(journal.undelivered().size(), 0);
        QCOMPARE(journal.list({.status = DeliveryStatus::Delivered, .limit = 5000}).size(), 1000);
    }

    void aFullBufferIsHandedOverOnItsOwn()
    {
        DeliveryJournal journal;
        QVERIFY(journal.open());
        for (qsizetype i = 1; i <= DeliveryJournal::maxPendingWrites(); ++i)
            journal.append(sessionEvent(int(i)));
        QCOMPARE(journal.pendingWrites(), 0); // with the writer thread now
        QVERIFY(journal.flush());
        QCOMPARE(journal.transactions(), 1u);
        QCOMPARE(journal.committedTicket(), quint64(DeliveryJournal::maxPendingWrites()));
    }

    void commitsAreReportedOnTheOwnersThread()
    {
        DeliveryJournal journal;
        QVERIFY(journal.open());
        QObject context;
        QEventLoop loop;
        Qt::HANDLE reportedOn = nullptr;
        journal.setCommitListener(&context, [&] {
            reportedOn = QThread::currentThreadId();
            loop.quit();
        });
        journal.append(sessionEvent(1));
        journal.setStatus(1, DeliveryStatus::Delivered, 1, 200, 0);
        QCOMPARE(journal.writtenTicket(), 2u);
        QCOMPARE(journal.committedTicket(), 0u); // buffered until handed over
        journal.commit();
        QVERIFY(VoiceSim::Test::runUntilQuit(loop));
        QCOMPARE(reportedOn, QThread::currentThreadId());
        QCOMPARE(journal.committedTicket(), 2u);
        QCOMPARE(journal.event(1)->status, DeliveryStatus::Delivered);
        journal.setCommitListener(nullptr, {});
    }

    void statusAndAttemptsAreKept()
    {
        DeliveryJournal journal;
        QVERIFY(journal.open());
        journal.append(sessionEvent(1));
        journal.recordAttempt({1, 100, QStringLiteral("http://127.0.0.1:9/hooks"), "webhook-id: evt_1\r\n", 503, "Retry-After: 2\r\n", "busy", 12,
                               QString(), QString()});
        journal.setStatus(1, DeliveryStatus::Failed, 1, 503, 2100);
        journal.recordAttempt({1, 2100, QStringLiteral("http://127.0.0.1:9/hooks"), "webhook-id: evt_1\r\n", 0, {}, {}, 10'000,
                               QStringLiteral("no response within 10000 ms"), QStringLiteral("delay")});
        journal.setStatus(1, DeliveryStatus::Dead, 2, 503, 0);
        const std::optional<JournalEvent> e = journal.event(QStringLiteral("evt_1"));
        QVERIFY(e);
        QCOMPARE(e->status, DeliveryStatus::Dead);
        QCOMPARE(e->attemptCount, 2);
        QCOMPARE(e->lastStatusCode, 503);
        const QList<JournalAttempt> attempts = journal.attempts(1);
        QCOMPARE(attempts.size(), 2);
        QCOMPARE(attempts.at(0).eventRow, 1);
        QCOMPARE(attempts.at(0).url, QStringLiteral("http://127.0.0.1:9/hooks"));
        QCOMPARE(attempts.at(0).statusCode, 503);
        QCOMPARE(attempts.at(0).responseHeaders, QByteArray("Retry-After: 2\r\n"));
        QCOMPARE(attempts.at(0).responseBody, QByteArray("busy"));
        QCOMPARE(attempts.at(0).latencyMs, 12);
        QCOMPARE(attempts.at(1).atMs, 2100);
        QCOMPARE(attempts.at(1).error, QStringLiteral("no response within 10000 ms"));
        QCOMPARE(attempts.at(1).fault, QStringLiteral("delay"));
        QVERIFY(journal.undelivered().isEmpty()); // dead letters are not resumed
        QVERIFY(!journal.event(QStringLiteral("evt_nope")));
    }

    void failedEventsAreResumedWithPendingOnes()
    {
        DeliveryJournal journal;
        QVERIFY(journal.open());
        for (int i = 1; i <= 4; ++i)
            journal.append(sessionEvent(i));
        journal.setStatus(1, DeliveryStatus::Delivered, 1, 200, 0);
        journal.setStatus(3, DeliveryStatus::Failed, 1, 500, 5000);
        QCOMPARE(ids(journal.undelivered()), (QStringList{QStringLiteral("evt_2"), QStringLiteral("evt_3"), QStringLiteral("evt_4")}));
    }

    void listFiltersAndPages()
    {
        DeliveryJournal journal;
        QVERIFY(journal.open());
        for (int i = 1; i <= 6; ++i)
            journal.append(sessionEvent(i, i % 2 ? QStringLiteral("acW68-a") : QStringLiteral("acW68-b"),
                                        i <= 2 ? QStringLiteral("call.new") : QStringLiteral("dtmf")));
        JournalEvent room = sessionEvent(7, QStringLiteral("acW68-room-1"), QStringLiteral("conference.created"));
        room.kind = StreamKind::Room;
        journal.append(room);
        journal.setStatus(5, DeliveryStatus::Dead, 9, 500, 0);

        QCOMPARE(ids(journal.list({.sessionUuid = QStringLiteral("acW68-a")})),
                 (QStringList{QStringLiteral("evt_1"), QStringLiteral("evt_3"), QStringLiteral("evt_5")}));
        // A room id is not a session id, and the other way round.
        QCOMPARE(ids(journal.list({.sessionUuid = QStringLiteral("acW68-room-1")})), QStringList());
        QCOMPARE(ids(journal.list({.roomId = QStringLiteral("acW68-room-1")})), QStringList{QStringLiteral("evt_7")});
        QCOMPARE(ids(journal.list({.event = QStringLiteral("call.new")})), (QStringList{QStringLiteral("evt_1"), QStringLiteral("evt_2")}));
        QCOMPARE(ids(journal.list({.status = DeliveryStatus::Dead})), QStringList{QStringLiteral("evt_5")});
        QCOMPARE(ids(journal.list({.sessionUuid = QStringLiteral("acW68-b"), .event = QStringLiteral("dtmf")})),
                 (QStringList{QStringLiteral("evt_4"), QStringLiteral("evt_6")}));
        // Pages of 3 with the last row as the cursor.
        const QList<JournalEvent> page1 = journal.list({.limit = 3});
        QCOMPARE(ids(page1), (QStringList{QStringLiteral("evt_1"), QStringLiteral("evt_2"), QStringLiteral("evt_3")}));
        const QList<JournalEvent> page2 = journal.list({.limit = 3, .afterRow = page1.last().row});
        QCOMPARE(ids(page2), (QStringList{QStringLiteral("evt_4"), QStringLiteral("evt_5"), QStringLiteral("evt_6")}));
        QCOMPARE(ids(journal.list({.limit = 3, .afterRow = page2.last().row})), QStringList{QStringLiteral("evt_7")});
    }

    void streamFiltersSpanIndexedAndRecentRows()
    {
        // The writer indexes rows by stream in bulk; a query must see both the indexed rows and
        // those after them, in order, page after page, and survive a reopen.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("journal.sqlite"));
        const QStringList sessions{QStringLiteral("acW68-a"), QStringLiteral("acW68-b"), QStringLiteral("acW68-c")};
        {
            DeliveryJournal journal(path);
            QVERIFY(journal.open());
            for (int i = 1; i <= 5000; ++i)
                journal.append(sessionEvent(i, sessions.at(i % 3)));
            QVERIFY(journal.flush()); // indexed in this commit
            for (int i = 5001; i <= 5100; ++i)
                journal.append(sessionEvent(i, sessions.at(i % 3)));
            QVERIFY(journal.flush()); // too few to index yet
        }
        DeliveryJournal journal(path);
        QVERIFY(journal.open());
        journal.append(sessionEvent(5101, sessions.at(5101 % 3)));
        QList<qint64> expected;
        for (int i = 1; i <= 5101; ++i)
            if (i % 3 == 1)
                expected << i;
        QList<qint64> all, paged;
        for (const JournalEvent &e : journal.list({.sessionUuid = sessions.at(1), .limit = -1}))
            all << e.row;
        QCOMPARE(all, expected);
        qint64 cursor = 0;
        for (;;) {
            const QList<JournalEvent> page = journal.list({.sessionUuid = sessions.at(1), .limit = 400, .afterRow = cursor});
            for (const JournalEvent &e : page)
                paged << e.row;
            if (page.size() < 400)
                break;
            cursor = page.last().row;
        }
        QCOMPARE(paged, expected);
        QCOMPARE(journal.list({.sessionUuid = sessions.at(1), .event = QStringLiteral("dtmf")}).size(), 0);
    }

    void journalsInMemoryAreSeparate()
    {
        DeliveryJournal a, b;
        QVERIFY(a.open());
        QVERIFY(b.open());
        a.append(sessionEvent(1));
        QCOMPARE(a.undelivered().size(), 1);
        QCOMPARE(b.undelivered().size(), 0);
    }

    void anUnwritableLocationIsAClearError()
    {
        DeliveryJournal journal(QStringLiteral("/proc/voicesim-no/journal.sqlite"));
        QVERIFY(!journal.open());
        QVERIFY2(journal.errorString().startsWith(QStringLiteral("cannot open the delivery journal /proc/voicesim-no/journal.sqlite: ")),
                 qPrintable(journal.errorString()));
    }

    void statusNamesRoundTrip()
    {
        for (DeliveryStatus s : {DeliveryStatus::Pending, DeliveryStatus::Delivered, DeliveryStatus::Failed, DeliveryStatus::Dead}) {
            DeliveryStatus parsed = DeliveryStatus::Pending;
            QVERIFY(parseDeliveryStatus(deliveryStatusName(s), &parsed));
            QCOMPARE(parsed, s);
        }
        DeliveryStatus unused;
        QVERIFY(!parseDeliveryStatus(QStringLiteral("sent"), &unused));
    }
};

QTEST_GUILESS_MAIN(TestDeliveryJournal)
#include "tst_deliveryjournal.moc"
