// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// The timeline's model on its own: batching on the UI clock, delivery updates, every filter,
// rows entering and leaving a status filter, and the small pure helpers of the desktop.
#include <gui/callflowlayout.h>
#include <gui/curlcommand.h>
#include <gui/levelmeter.h>
#include <gui/timelinemodel.h>

#include <clock/virtualclock.h>

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace VoiceSim;
using Model = TimelineModel;

namespace {

JournalEvent delivery(qint64 row, const QString &stream, qint64 sequence, const QString &type)
{
    JournalEvent e;
    e.row = row;
    e.id = QStringLiteral("evt_%1").arg(row);
    e.streamId = stream;
    e.sequence = sequence;
    e.type = type;
    e.createdMs = 1'767'225'600'000 + row;
    return e;
}

HttpExchange command(const QByteArray &path, int status, const QString &session = {})
{
    HttpExchange x;
    x.atMs = 1'767'225'600'000;
    x.method = "POST";
    x.path = path;
    x.status = status;
    x.durationUs = 250;
    x.sessionUuid = session;
    x.requestBody = "{\"command_uid\":\"a\"}";
    x.responseBody = "{\"status\":\"accepted\"}";
    return x;
}

JournalAttempt attempt(int status, qint64 latencyMs = 3)
{
    JournalAttempt a;
    a.statusCode = status;
    a.latencyMs = latencyMs;
    return a;
}

QString cell(const Model &m, int row, int column)
{
    return m.index(row, column).data().toString();
}

} // namespace

class TimelineModelTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_clock = std::make_unique<VirtualClock>(0);
        m_model = std::make_unique<Model>(*m_clock);
        m_tester = std::make_unique<QAbstractItemModelTester>(m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    }
    void cleanup()
    {
        m_tester.reset();
        m_model.reset();
        m_clock.reset();
    }

    void rowsAppearInOneBatchAfterTheFlushInterval()
    {
        QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
        for (int i = 1; i <= 500; ++i)
            m_model->addDelivery(delivery(i, QStringLiteral("s1"), i, QStringLiteral("dtmf")));
        QCOMPARE(m_model->rowCount(), 0);
        QCOMPARE(m_model->pendingChanges(), 500);
        m_clock->advance(Model::kFlushMs - 1);
        QCOMPARE(m_model->rowCount(), 0);
        m_clock->advance(1);
        QCOMPARE(m_model->rowCount(), 500);
        QCOMPARE(inserted.size(), 1); // one insert for the whole batch
        QCOMPARE(inserted.at(0).at(1).toInt(), 0);
        QCOMPARE(inserted.at(0).at(2).toInt(), 499);
    }

    void commandRowShowsMethodPathStatusAndKeepsBodies()
    {
        m_model->addCommand(command("/api/v1/sessions/s1/commands/answer", 202, QStringLiteral("s1")));
        m_model->flush();
        QCOMPARE(cell(*m_model, 0, Model::KindColumn), QStringLiteral("command"));
        QCOMPARE(cell(*m_model, 0, Model::StreamColumn), QStringLiteral("s1"));
        QCOMPARE(cell(*m_model, 0, Model::WhatColumn), QStringLiteral("POST /api/v1/sessions/s1/commands/answer"));
        QCOMPARE(cell(*m_model, 0, Model::StatusColumn), QStringLiteral("202"));
        QCOMPARE(cell(*m_model, 0, Model::LatencyColumn), QStringLiteral("0.25 ms"));
        const auto detail = m_model->command(0);
        QVERIFY(detail);
        QCOMPARE(detail->requestBody, QByteArray("{\"command_uid\":\"a\"}"));
        QCOMPARE(detail->responseBody, QByteArray("{\"status\":\"accepted\"}"));
        QCOMPARE(m_model->journalRow(0), 0);
    }

    void deliveryUpdatesStatusAttemptsAndLatency()
    {
        m_model->addDelivery(delivery(7, QStringLiteral("s1"), 1, QStringLiteral("call.new")));
        m_model->flush();
        QCOMPARE(cell(*m_model, 0, Model::StatusColumn), QStringLiteral("pending"));
        QCOMPARE(cell(*m_model, 0, Model::AttemptsColumn), QStringLiteral("0"));
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        JournalEvent e = delivery(7, QStringLiteral("s1"), 1, QStringLiteral("call.new"));
        e.status = DeliveryStatus::Failed;
        e.attemptCount = 1;
        m_model->updateDelivery(e, attempt(0, 10'000));
        m_model->flush();
        QCOMPARE(changed.size(), 1);
        QCOMPARE(cell(*m_model, 0, Model::StatusColumn), QStringLiteral("no answer"));
        e.status = DeliveryStatus::Delivered;
        e.attemptCount = 2;
        m_model->updateDelivery(e, attempt(200, 4));
        m_model->flush();
        QCOMPARE(cell(*m_model, 0, Model::StatusColumn), QStringLiteral("200"));
        QCOMPARE(cell(*m_model, 0, Model::AttemptsColumn), QStringLiteral("2"));
        QCOMPARE(cell(*m_model, 0, Model::LatencyColumn), QStringLiteral("4 ms"));
        QCOMPARE(m_model->journalRow(0), 7);
    }

    void updateBeforeItsRowIsShownStillApplies()
    {
        // Both arrive inside one flush interval: the row shows with the attempt's outcome.
        m_model->addDelivery(delivery(1, QStringLiteral("s1"), 1, QStringLiteral("call.new")));
        JournalEvent e = delivery(1, QStringLiteral("s1"), 1, QStringLiteral("call.new"));
        e.status = DeliveryStatus::Delivered;
        e.attemptCount = 1;
        m_model->updateDelivery(e, attempt(204));
        m_clock->advance(Model::kFlushMs);
        QCOMPARE(cell(*m_model, 0, Model::StatusColumn), QStringLiteral("204"));
    }

    void filtersByCallRoomEventAndText()
    {
        m_model->addCommand(command("/api/v1/sessions/s1/commands/answer", 202, QStringLiteral("s1")));
        m_model->addDelivery(delivery(1, QStringLiteral("s1"), 1, QStringLiteral("call.new")));
        m_model->addDelivery(delivery(2, QStringLiteral("s2"), 1, QStringLiteral("call.new")));
        m_model->addDelivery(delivery(3, QStringLiteral("s1"), 2, QStringLiteral("dtmf")));
        m_model->addDelivery(delivery(4, QStringLiteral("room-1"), 1, QStringLiteral("conference.created")));
        m_model->addCallerAction(1, QStringLiteral("s2"), QStringLiteral("presses 5"));
        m_model->flush();
        QCOMPARE(m_model->rowCount(), 6);

        m_model->setFilter({.sessionUuid = QStringLiteral("s1")});
        QCOMPARE(m_model->rowCount(), 3);
        for (int r = 0; r < 3; ++r)
            QCOMPARE(m_model->stream(r), QStringLiteral("s1"));

        m_model->setFilter({.sessionUuid = QStringLiteral("s1"), .event = QStringLiteral("dtmf")});
        QCOMPARE(m_model->rowCount(), 1);
        QCOMPARE(cell(*m_model, 0, Model::WhatColumn), QStringLiteral("dtmf"));

        m_model->setFilter({.roomId = QStringLiteral("room-1")});
        QCOMPARE(m_model->rowCount(), 1);
        QCOMPARE(cell(*m_model, 0, Model::WhatColumn), QStringLiteral("conference.created"));

        m_model->setFilter({.text = QStringLiteral("ANSWER")}); // case-insensitive, in the path
        QCOMPARE(m_model->rowCount(), 1);
        QCOMPARE(m_model->kind(0), Model::Kind::Command);

        m_model->setFilter({.text = QStringLiteral("presses")});
        QCOMPARE(m_model->rowCount(), 1);
        QCOMPARE(m_model->kind(0), Model::Kind::Caller);

        m_model->setFilter({.sessionUuid = QStringLiteral("nobody")});
        QCOMPARE(m_model->rowCount(), 0);
        m_model->setFilter({});
        QCOMPARE(m_model->rowCount(), 6);
    }

    void newRowsJoinAFilteredViewOnlyWhenTheyMatch()
    {
        m_model->setFilter({.sessionUuid = QStringLiteral("s2")});
        m_model->addDelivery(delivery(1, QStringLiteral("s1"), 1, QStringLiteral("call.new")));
        m_model->addDelivery(delivery(2, QStringLiteral("s2"), 1, QStringLiteral("call.new")));
        m_model->flush();
        QCOMPARE(m_model->rowCount(), 1);
        QCOMPARE(m_model->journalRow(0), 2);
        QCOMPARE(m_model->totalRows(), 2);
    }

    void statusFilterFollowsDeliveryOutcomes()
    {
        for (int i = 1; i <= 4; ++i)
            m_model->addDelivery(delivery(i, QStringLiteral("s1"), i, QStringLiteral("dtmf")));
        m_model->flush();
        m_model->setFilter({.status = Model::StatusFilter::Undelivered});
        QCOMPARE(m_model->rowCount(), 4);

        // Row 2 is delivered: it leaves the "undelivered" view; row 3 fails with a 503.
        JournalEvent two = delivery(2, QStringLiteral("s1"), 2, QStringLiteral("dtmf"));
        two.status = DeliveryStatus::Delivered;
        two.attemptCount = 1;
        JournalEvent three = delivery(3, QStringLiteral("s1"), 3, QStringLiteral("dtmf"));
        three.status = DeliveryStatus::Failed;
        three.attemptCount = 1;
        m_model->updateDelivery(two, attempt(200));
        m_model->updateDelivery(three, attempt(503));
        m_model->flush();
        QCOMPARE(m_model->rowCount(), 3);
        QCOMPARE(m_model->journalRow(0), 1);
        QCOMPARE(m_model->journalRow(1), 3);
        QCOMPARE(m_model->journalRow(2), 4);

        m_model->setFilter({.status = Model::StatusFilter::ServerError});
        QCOMPARE(m_model->rowCount(), 1);
        QCOMPARE(m_model->journalRow(0), 3);
        // The retry succeeds: out of the 5xx view. Another row gets a 500: into it, in order.
        three.status = DeliveryStatus::Delivered;
        three.attemptCount = 2;
        JournalEvent one = delivery(1, QStringLiteral("s1"), 1, QStringLiteral("dtmf"));
        one.status = DeliveryStatus::Failed;
        one.attemptCount = 1;
        m_model->updateDelivery(three, attempt(200));
        m_model->updateDelivery(one, attempt(500));
        m_model->flush();
        QCOMPARE(m_model->rowCount(), 1);
        QCOMPARE(m_model->journalRow(0), 1);

        m_model->setFilter({.status = Model::StatusFilter::Success});
        QCOMPARE(m_model->rowCount(), 2);
        QCOMPARE(m_model->journalRow(0), 2);
        QCOMPARE(m_model->journalRow(1), 3);
    }

    void deadLetterWithoutUrlSaysSo()
    {
        JournalEvent e = delivery(1, QStringLiteral("s1"), 1, QStringLiteral("call.new"));
        e.status = DeliveryStatus::Dead;
        m_model->addDelivery(e);
        m_model->flush();
        QCOMPARE(cell(*m_model, 0, Model::StatusColumn), QStringLiteral("no URL"));
        m_model->setFilter({.status = Model::StatusFilter::Dead});
        QCOMPARE(m_model->rowCount(), 1);
    }

    void oldCommandBodiesAreDroppedBeyondTheCap()
    {
        for (int i = 0; i < Model::kCommandsKept + 5; ++i)
            m_model->addCommand(command("/health", 200));
        m_model->flush();
        QVERIFY(!m_model->command(0));
        QVERIFY(!m_model->command(4));
        QVERIFY(m_model->command(5));
        QVERIFY(m_model->command(Model::kCommandsKept + 4));
    }

    void rowsOfOneStreamInTimeOrder()
    {
        m_model->addCommand(command("/api/v1/sessions/s1/commands/answer", 202, QStringLiteral("s1")));
        m_model->addDelivery(delivery(1, QStringLiteral("s1"), 1, QStringLiteral("call.new")));
        m_model->addDelivery(delivery(2, QStringLiteral("s2"), 1, QStringLiteral("call.new")));
        m_model->addCallerAction(5, QStringLiteral("s1"), QStringLiteral("hangs up"));
        m_model->flush();
        const QList<Model::RowInfo> rows = m_model->rowsOf(QStringLiteral("s1"));
        QCOMPARE(rows.size(), 3);
        QCOMPARE(rows[0].kind, Model::Kind::Command);
        QCOMPARE(rows[1].what, QStringLiteral("call.new"));
        QCOMPARE(rows[2].what, QStringLiteral("hangs up"));
        QCOMPARE(m_model->rowsOf(QStringLiteral("s1"), 1).constFirst().what, QStringLiteral("hangs up"));
    }

    void curlCommandQuotesForTheShell()
    {
        const QString cmd = curlCommand(QStringLiteral("http://127.0.0.1:9/hooks"),
                                        "Host: 127.0.0.1:9\nContent-Type: application/json\nwebhook-id: evt_1\nContent-Length: 9\n",
                                        "{\"a\":\"it's\"}");
        QCOMPARE(cmd, QStringLiteral("curl -X POST 'http://127.0.0.1:9/hooks' -H 'Content-Type: application/json' "
                                     "-H 'webhook-id: evt_1' --data-binary '{\"a\":\"it'\\''s\"}'"));
    }

    void meterFillSpansSixtyDecibels()
    {
        QCOMPARE(meterFill(-100, 120), 0);
        QCOMPARE(meterFill(-60, 120), 0);
        QCOMPARE(meterFill(-30, 120), 60);
        QCOMPARE(meterFill(0, 120), 120);
        QCOMPARE(meterFill(6, 120), 120);
    }

    void ladderPutsEachStepOnItsOwnRowBetweenItsLanes()
    {
        using L = CallFlowLayout;
        const QList<L::Step> steps{{1, L::Lane::App, L::Lane::Voicesim, QStringLiteral("answer"), false},
                                   {2, L::Lane::Voicesim, L::Lane::Receiver, QStringLiteral("call.answered"), false}};
        const QList<L::Arrow> arrows = L::arrange(steps, 890);
        QCOMPARE(arrows.size(), 2);
        QCOMPARE(arrows[0].line.x1(), L::laneX(L::Lane::App, 890));
        QCOMPARE(arrows[0].line.x2(), L::laneX(L::Lane::Voicesim, 890));
        QCOMPARE(arrows[1].line.x2(), L::laneX(L::Lane::Receiver, 890));
        QVERIFY(arrows[1].line.y1() - arrows[0].line.y1() == L::kRow);
        QVERIFY(L::laneX(L::Lane::Caller, 890) < L::laneX(L::Lane::Voicesim, 890));
        QVERIFY(L::laneX(L::Lane::App, 890) < L::laneX(L::Lane::Receiver, 890));
        QVERIFY(arrows[0].labelRect.bottom() <= arrows[0].line.y1());
        QCOMPARE(L::height(2), L::kHeader + 2.5 * L::kRow);
    }

private:
    std::unique_ptr<VirtualClock> m_clock;
    std::unique_ptr<Model> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

QTEST_MAIN(TimelineModelTest)
#include "tst_timelinemodel.moc"
