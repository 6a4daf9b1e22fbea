// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// The event stream on its own: per-stream sequences (C-SEQ), both envelopes (C-ENVELOPE), the
// bounded in-memory buffer, and the signal that delivery will subscribe to.
#include <clock/virtualclock.h>
#include <events/eventstream.h>

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace VoiceSim;

class TestEventStream : public QObject
{
    Q_OBJECT
private:
    static EventStream::IdSource counterIds()
    {
        auto next = std::make_shared<int>(0);
        return [next]() -> QString { return QStringLiteral("evt_") + QString::number(++*next); };
    }

private Q_SLOTS:
    void sequencesStartAtOnePerStream()
    {
        VirtualClock clock(1'000);
        EventStream stream(clock, counterIds());
        QCOMPARE(stream.publish(StreamKind::Session, QStringLiteral("s1"), QStringLiteral("app"), QStringLiteral("call.new"), {}).sequence, 1);
        QCOMPARE(stream.publish(StreamKind::Session, QStringLiteral("s2"), QStringLiteral("app"), QStringLiteral("call.new"), {}).sequence, 1);
        clock.advance(5);
        const Event &third = stream.publish(StreamKind::Session, QStringLiteral("s1"), QStringLiteral("app"), QStringLiteral("call.hangup"), {});
        QCOMPARE(third.sequence, 2);
        QCOMPARE(third.epochMs, 1'005);
        QCOMPARE(third.id, QStringLiteral("evt_3"));
        QCOMPARE(stream.lastSequence(QStringLiteral("s1")), 2);
        QCOMPARE(stream.lastSequence(QStringLiteral("none")), 0);
        const QList<Event> after = stream.events(QStringLiteral("s1"), 1);
        QCOMPARE(after.size(), 1);
        QCOMPARE(after.first().type, QStringLiteral("call.hangup"));
    }

    void publishedSignalCarriesEveryEventInOrder()
    {
        VirtualClock clock(0);
        EventStream stream(clock, counterIds());
        QStringList seen;
        connect(&stream, &EventStream::published, this, [&](const Event &e) { seen << e.type + QString::number(e.sequence); });
        stream.publish(StreamKind::Session, QStringLiteral("s"), QStringLiteral("a"), QStringLiteral("x"), {});
        stream.publish(StreamKind::Room, QStringLiteral("r"), QStringLiteral("a"), QStringLiteral("y"), {});
        stream.publish(StreamKind::Session, QStringLiteral("s"), QStringLiteral("a"), QStringLiteral("z"), {});
        QCOMPARE(seen, (QStringList{QStringLiteral("x1"), QStringLiteral("y1"), QStringLiteral("z2")}));
    }

    void capacityDropsTheOldestButNeverReusesASequence()
    {
        VirtualClock clock(0);
        EventStream stream(clock, counterIds(), 3);
        for (int i = 0; i < 3; ++i)
            stream.publish(StreamKind::Session, QStringLiteral("a"), QStringLiteral("app"), QStringLiteral("e"), {});
        stream.publish(StreamKind::Session, QStringLiteral("b"), QStringLiteral("app"), QStringLiteral("e"), {});
        stream.publish(StreamKind::Session, QStringLiteral("a"), QStringLiteral("app"), QStringLiteral("e"), {});
        QCOMPARE(stream.size(), 3);
        const QList<Event> a = stream.events(QStringLiteral("a"));
        QCOMPARE(a.size(), 2);
        QCOMPARE(a.at(0).sequence, 3);
        QCOMPARE(a.at(1).sequence, 4);
        QCOMPARE(stream.events(QStringLiteral("b")).size(), 1);
    }

    void capacityOfOneKeepsTheNewestEvent()
    {
        VirtualClock clock(0);
        EventStream stream(clock, counterIds(), 1);
        stream.publish(StreamKind::Session, QStringLiteral("a"), QStringLiteral("app"), QStringLiteral("e"), {});
        const Event &kept = stream.publish(StreamKind::Session, QStringLiteral("b"), QStringLiteral("app"), QStringLiteral("f"), {});
        QCOMPARE(kept.type, QStringLiteral("f"));
        QCOMPARE(stream.size(), 1);
        QCOMPARE(stream.events(QStringLiteral("a")).size(), 0);
    }

    void defaultAndFlatBodies()
    {
        Event event;
        event.type = QStringLiteral("dtmf");
        event.kind = StreamKind::Session;
        event.streamId = QStringLiteral("acW68-s");
        event.sequence = 7;
        event.data = EventData{{QLatin1StringView("digit"), QStringLiteral("5")}, {QLatin1StringView("duration_ms"), 120}};
        QCOMPARE(event.body(EnvelopeShape::Default),
                 (QJsonObject{{QStringLiteral("event"), QStringLiteral("dtmf")}, {QStringLiteral("session_uuid"), QStringLiteral("acW68-s")},
                              {QStringLiteral("sequence"), 7}, {QStringLiteral("data"), event.data.toJsonObject()}}));
        QCOMPARE(event.body(EnvelopeShape::Flat),
                 (QJsonObject{{QStringLiteral("event"), QStringLiteral("dtmf")}, {QStringLiteral("session_uuid"), QStringLiteral("acW68-s")},
                              {QStringLiteral("sequence"), 7}, {QStringLiteral("digit"), QStringLiteral("5")}, {QStringLiteral("duration_ms"), 120}}));
        event.kind = StreamKind::Room;
        event.streamId = QStringLiteral("acW68-room-r");
        const QJsonObject room = event.body(EnvelopeShape::Default);
        QCOMPARE(room.value(QStringLiteral("room_id")).toString(), QStringLiteral("acW68-room-r"));
        QVERIFY(!room.contains(QStringLiteral("session_uuid")));
    }

    void eventDataKeepsTypesAndReplacesKeys()
    {
        EventData data{{QLatin1StringView("a"), 1}, {QLatin1StringView("b"), QStringLiteral("x")}};
        data.insert(QLatin1StringView("a"), true);
        data.insert(QLatin1StringView("c"), QStringList{QStringLiteral("u1"), QStringLiteral("u2")});
        QCOMPARE(data.size(), 3);
        QVERIFY(data.contains(QLatin1StringView("b")));
        QVERIFY(!data.contains(QLatin1StringView("z")));
        QCOMPARE(data.toJsonObject(), (QJsonObject{{QStringLiteral("a"), true}, {QStringLiteral("b"), QStringLiteral("x")},
                                                   {QStringLiteral("c"), QJsonArray{QStringLiteral("u1"), QStringLiteral("u2")}}}));
    }

    void forgottenStreamsLeaveNothingBehind()
    {
        VirtualClock clock(0);
        EventStream stream(clock, counterIds(), 10);
        for (int session = 0; session < 5000; ++session) {
            const QString id = QStringLiteral("s") + QString::number(session);
            stream.publish(StreamKind::Session, id, QStringLiteral("app"), QStringLiteral("call.new"), {});
            stream.publish(StreamKind::Session, id, QStringLiteral("app"), QStringLiteral("call.hangup"), {});
            if (session >= 2)
                stream.forget(QStringLiteral("s") + QString::number(session - 2)); // as the engine retires sessions
        }
        QCOMPARE(stream.size(), 4); // the two sessions not yet retired
        QVERIFY(!stream.hasStream(QStringLiteral("s0")));
        QCOMPARE(stream.events(QStringLiteral("s4999")).size(), 2);
        // Going over capacity still evicts correctly among the survivors.
        for (int i = 0; i < 20; ++i)
            stream.publish(StreamKind::Session, QStringLiteral("s4999"), QStringLiteral("app"), QStringLiteral("e"), {});
        QCOMPARE(stream.size(), 10);
        QCOMPARE(stream.events(QStringLiteral("s4999")).last().sequence, 22);
    }

    void clearForgetsStreamsAndSequences()
    {
        VirtualClock clock(0);
        EventStream stream(clock, counterIds());
        stream.publish(StreamKind::Session, QStringLiteral("a"), QStringLiteral("app"), QStringLiteral("e"), {});
        stream.clear();
        QVERIFY(!stream.hasStream(QStringLiteral("a")));
        QCOMPARE(stream.size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestEventStream)
#include "tst_eventstream.moc"
