// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// The one clock (C-CLOCK): virtual time runs due timers in order, real time follows the wall.
#include <clock/realclock.h>
#include <clock/virtualclock.h>

#include <QSignalSpy>
#include <QTest>

using namespace VoiceSim;

class TestClock : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void virtualTimeMovesOnlyWhenAdvanced()
    {
        VirtualClock clock(1000);
        QCOMPARE(clock.nowMs(), 0);
        QCOMPARE(clock.epochMs(), 1000);
        clock.advance(250);
        QCOMPARE(clock.nowMs(), 250);
        QCOMPARE(clock.epochMs(), 1250);
    }

    void timersRunInDeadlineOrderThenSchedulingOrder()
    {
        VirtualClock clock(0);
        QObject context;
        QStringList ran;
        clock.callAfter(300, &context, [&] { ran << QStringLiteral("c300"); });
        clock.callAfter(100, &context, [&] { ran << QStringLiteral("a100"); });
        clock.callAfter(100, &context, [&] { ran << QStringLiteral("b100"); });
        clock.advance(299);
        QCOMPARE(ran, (QStringList{QStringLiteral("a100"), QStringLiteral("b100")}));
        clock.advance(1);
        QCOMPARE(ran.size(), 3);
        QCOMPARE(ran.last(), QStringLiteral("c300"));
    }

    void callbacksSeeTheirOwnDeadlineAsNow()
    {
        VirtualClock clock(0);
        QObject context;
        QList<qint64> seen;
        clock.callAfter(120'000, &context, [&] { seen << clock.nowMs(); });
        clock.callAfter(2000, &context, [&] {
            seen << clock.nowMs();
            // Scheduled inside the advance and due before its end: runs within the same advance.
            clock.callAfter(500, &context, [&] { seen << clock.nowMs(); });
        });
        clock.advance(200'000);
        QCOMPARE(seen, (QList<qint64>{2000, 2500, 120'000}));
        QCOMPARE(clock.nowMs(), 200'000);
    }

    void cancelledTimerNeverRuns()
    {
        VirtualClock clock(0);
        QObject context;
        bool ran = false;
        const TimerId id = clock.callAfter(10, &context, [&] { ran = true; });
        QVERIFY(clock.isPending(id));
        clock.cancel(id);
        QVERIFY(!clock.isPending(id));
        clock.advance(100);
        QVERIFY(!ran);
        QCOMPARE(clock.pendingCount(), 0);
    }

    void timerOfDestroyedContextIsSkipped()
    {
        VirtualClock clock(0);
        bool ran = false;
        {
            QObject context;
            clock.callAfter(10, &context, [&] { ran = true; });
        }
        clock.advance(100);
        QVERIFY(!ran);
    }

    void dueNowRunsFromTheEventLoopNotReentrantly()
    {
        VirtualClock clock(0);
        QObject context;
        bool ran = false;
        clock.callAfter(0, &context, [&] { ran = true; });
        QVERIFY2(!ran, "a zero-delay timer must not run inside callAfter()");
        QTRY_VERIFY_WITH_TIMEOUT(ran, 1000); // runs on the next event-loop turn, no advance needed
        QCOMPARE(clock.nowMs(), 0);
    }

    void settleHookRunsBeforeTimeMoves()
    {
        VirtualClock clock(0);
        QObject context;
        QStringList order;
        clock.setSettleHook([&] { order << QStringLiteral("settle@") + QString::number(clock.nowMs()); });
        clock.callAfter(5, &context, [&] { order << QStringLiteral("timer"); });
        clock.advance(10);
        // Before each step of time, not only at the start: work begun at 5 settles before 10.
        QCOMPARE(order, (QStringList{QStringLiteral("settle@0"), QStringLiteral("timer"), QStringLiteral("settle@5")}));
    }

    void timersThatSettlingSchedulesRunInDeadlineOrder()
    {
        // A webhook answer that arrives while time waits schedules its retry; it must run at its
        // own deadline, before later timers that were already pending (C-CLOCK, C-RETRY).
        VirtualClock clock(0);
        QObject context;
        QStringList order;
        bool settled = false;
        clock.setSettleHook([&] {
            if (!std::exchange(settled, true))
                clock.callAfter(2, &context, [&] { order << QStringLiteral("retry@") + QString::number(clock.nowMs()); });
        });
        clock.callAfter(5, &context, [&] { order << QStringLiteral("later@") + QString::number(clock.nowMs()); });
        clock.advance(10);
        QCOMPARE(order, (QStringList{QStringLiteral("retry@2"), QStringLiteral("later@5")}));
        QCOMPARE(clock.nowMs(), 10);
    }

    void realClockFiresOnWallTime()
    {
        RealClock clock;
        QObject context;
        QSignalSpy spy(&context, &QObject::objectNameChanged);
        const qint64 before = clock.nowMs();
        clock.callAfter(5, &context, [&] { context.setObjectName(QStringLiteral("fired")); });
        QVERIFY(spy.wait(2000));
        QVERIFY(clock.nowMs() - before >= 5);
    }

    void scaledClockRunsFaster()
    {
        RealClock clock(100.0);
        QObject context;
        QSignalSpy spy(&context, &QObject::objectNameChanged);
        // 2 s of engine time at 100x is 20 ms of wall time.
        clock.callAfter(2000, &context, [&] { context.setObjectName(QStringLiteral("fired")); });
        QVERIFY(spy.wait(1500));
        QVERIFY(clock.nowMs() >= 2000);
        QCOMPARE(clock.timeScale(), 100.0);
    }
};

QTEST_GUILESS_MAIN(TestClock)
#include "tst_clock.moc"
