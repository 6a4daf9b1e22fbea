// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// Session commands over real HTTP, in virtual time: answer (C-ANSWER), hangup (C-HANGUP),
// disconnect (C-DISCONNECT), the 202 envelope (C-RESP), command_uid (C-UID), cooldown groups
// (spec §4.2, C-429, C-RECORD-GROUP) and the asynchronous refusals of C-STATE.
#include "harness.h"

#include <QRegularExpression>
#include <QTest>

using namespace VoiceSim;
using namespace VoiceSim::Test;

namespace {

const QString kUuidPattern = QStringLiteral("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

QJsonObject ev(const QString &type, const QString &uuid, int sequence, const QJsonObject &data)
{
    return {{QStringLiteral("event"), type}, {QStringLiteral("session_uuid"), uuid},
            {QStringLiteral("sequence"), sequence}, {QStringLiteral("data"), data}};
}

QJsonObject result(const QString &uid, const QString &operationId, const QString &command, bool success,
                   const QString &error = {})
{
    QJsonObject data{{QStringLiteral("command_uid"), uid}, {QStringLiteral("operation_id"), operationId},
                     {QStringLiteral("command"), command}, {QStringLiteral("success"), success}};
    if (!error.isEmpty())
        data.insert(QStringLiteral("error"), error);
    return data;
}

QString operationIdOf(const Response &r)
{
    return r.json().value(QStringLiteral("operation_id")).toString();
}

} // namespace

class TestCallControl : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<Harness> h;

    QString answeredCall()
    {
        const QString uuid = h->newCall();
        h->command(uuid, "answer");
        h->advance(20);
        return uuid;
    }
    QJsonObject last(const QString &uuid)
    {
        const QJsonArray all = h->events(uuid);
        return all.isEmpty() ? QJsonObject() : all.last().toObject();
    }

private Q_SLOTS:
    void init() { h = std::make_unique<Harness>(); }
    void cleanup() { h.reset(); }

    void inboundAnswerHangupPublishesTheExactSequence()
    {
        const Response created = h->createCall({{QStringLiteral("caller_id"), QStringLiteral("+15551234567")},
                                                {QStringLiteral("did"), QStringLiteral("+15559876543")}});
        QCOMPARE(created.status, 201);
        const QString uuid = created.json().value(QStringLiteral("session_uuid")).toString();
        QVERIFY(QRegularExpression(QStringLiteral("^acW68-") + kUuidPattern + QStringLiteral("$")).match(uuid).hasMatch());

        const Response answer = h->command(uuid, "answer", {{QStringLiteral("command_uid"), QStringLiteral("my-answer-cmd-001")}});
        QCOMPARE(answer.status, 202);
        const QString operationId = operationIdOf(answer);
        QVERIFY(QRegularExpression(QStringLiteral("^") + kUuidPattern + QStringLiteral("$")).match(operationId).hasMatch());
        QCOMPARE(answer.json(), (QJsonObject{{QStringLiteral("operation_id"), operationId},
                                            {QStringLiteral("status"), QStringLiteral("in_progress")},
                                            {QStringLiteral("timeout_ms"), 2000}}));
        QCOMPARE(h->events(uuid).size(), 1); // deferred: nothing until the media side confirms

        QCOMPARE(h->advance(20).status, 200); // the default answer latency
        const Response hangup = h->command(uuid, "hangup", {{QStringLiteral("command_uid"), QStringLiteral("bye-1")},
                                                            {QStringLiteral("cause"), QStringLiteral("USER_BUSY")}});
        QCOMPARE(hangup.status, 202);
        QCOMPARE(hangup.json().value(QStringLiteral("timeout_ms")).toInt(), 2000); // C-RESP: immediate too

        const QJsonArray events = h->events(uuid);
        const QJsonArray expected{
            ev(QStringLiteral("call.new"), uuid, 1, {{QStringLiteral("caller_id"), QStringLiteral("+15551234567")},
                                                     {QStringLiteral("did"), QStringLiteral("+15559876543")}}),
            ev(QStringLiteral("call.answered"), uuid, 2, {{QStringLiteral("command_uid"), QStringLiteral("my-answer-cmd-001")},
                                                          {QStringLiteral("success"), true}}),
            ev(QStringLiteral("command.result"), uuid, 3, result(QStringLiteral("my-answer-cmd-001"), operationId, QStringLiteral("answer"), true)),
            ev(QStringLiteral("command.result"), uuid, 4, result(QStringLiteral("bye-1"), operationIdOf(hangup), QStringLiteral("hangup"), true)),
            ev(QStringLiteral("call.hangup"), uuid, 5, {{QStringLiteral("hangup_cause"), QStringLiteral("busy")},
                                                        {QStringLiteral("q850_cause"), QStringLiteral("USER_BUSY")},
                                                        {QStringLiteral("duration_ms"), 20}}),
        };
        QCOMPARE(events, expected);

        const Response afterwards = h->command(uuid, "answer");
        QCOMPARE(afterwards.status, 404);
        QCOMPARE(afterwards.error(), QStringLiteral("Session not found"));
    }

    void autoAnswerThenAnswerCommandGivesTwoAnsweredEvents()
    {
        const QString uuid = h->newCall({{QStringLiteral("auto_answer"), true}});
        h->advance(20);
        QCOMPARE(h->eventTypes(uuid), (QStringList{QStringLiteral("call.new"), QStringLiteral("call.answered")}));
        QCOMPARE(h->events(uuid).at(1).toObject().value(QStringLiteral("data")).toObject(), QJsonObject());

        // C-ANSWER: answering an answered call succeeds and says so.
        const Response answer = h->command(uuid, "answer", {{QStringLiteral("command_uid"), QStringLiteral("a2")}});
        QCOMPARE(answer.status, 202);
        h->advance(20);
        const QJsonArray events = h->events(uuid, 2);
        QCOMPARE(events.size(), 2);
        QCOMPARE(events.at(0).toObject(), ev(QStringLiteral("call.answered"), uuid, 3,
                                             {{QStringLiteral("command_uid"), QStringLiteral("a2")}, {QStringLiteral("success"), true}}));
        QCOMPARE(events.at(1).toObject(), ev(QStringLiteral("command.result"), uuid, 4,
                                             result(QStringLiteral("a2"), operationIdOf(answer), QStringLiteral("answer"), true)));
    }

    void answerWithoutConfirmationTimesOutAtTwoSeconds()
    {
        QCOMPARE(h->api().request("PUT", "/sim/v1/faults", Harness::adminHeaders(), R"({"answer_latency_ms": 3000})").status, 200);
        const QString uuid = h->newCall();
        const Response answer = h->command(uuid, "answer", {{QStringLiteral("command_uid"), QStringLiteral("slow")}});
        h->advance(1999);
        QCOMPARE(h->events(uuid).size(), 1);
        h->advance(1);
        QCOMPARE(last(uuid), ev(QStringLiteral("command.result"), uuid, 2,
                                result(QStringLiteral("slow"), operationIdOf(answer), QStringLiteral("answer"), false, QStringLiteral("timeout"))));
        // The late confirmation still answers the channel, with no second command.result.
        h->advance(1000);
        QCOMPARE(h->eventTypes(uuid), (QStringList{QStringLiteral("call.new"), QStringLiteral("command.result"), QStringLiteral("call.answered")}));
        QCOMPARE(last(uuid).value(QStringLiteral("data")).toObject(),
                 (QJsonObject{{QStringLiteral("command_uid"), QStringLiteral("slow")}, {QStringLiteral("success"), true}}));
        const Response call = h->api().request("GET", "/sim/v1/calls/" + uuid.toUtf8(), Harness::adminHeaders());
        QCOMPARE(call.json().value(QStringLiteral("state")).toString(), QStringLiteral("answered"));
    }

    void hangupCauseMapsToHangupCause_data()
    {
        QTest::addColumn<QString>("cause");
        QTest::addColumn<QString>("expected");
        QTest::newRow("default") << QString() << QStringLiteral("completed");
        QTest::newRow("NORMAL_CLEARING") << QStringLiteral("NORMAL_CLEARING") << QStringLiteral("completed");
        QTest::newRow("USER_BUSY") << QStringLiteral("USER_BUSY") << QStringLiteral("busy");
        QTest::newRow("CALL_REJECTED") << QStringLiteral("CALL_REJECTED") << QStringLiteral("rejected");
        QTest::newRow("NO_ANSWER") << QStringLiteral("NO_ANSWER") << QStringLiteral("no_answer");
        QTest::newRow("NO_USER_RESPONSE") << QStringLiteral("NO_USER_RESPONSE") << QStringLiteral("no_answer");
        QTest::newRow("SUBSCRIBER_ABSENT") << QStringLiteral("SUBSCRIBER_ABSENT") << QStringLiteral("unavailable");
        QTest::newRow("DESTINATION_OUT_OF_ORDER") << QStringLiteral("DESTINATION_OUT_OF_ORDER") << QStringLiteral("unavailable");
        QTest::newRow("NETWORK_OUT_OF_ORDER") << QStringLiteral("NETWORK_OUT_OF_ORDER") << QStringLiteral("unavailable");
        QTest::newRow("UNALLOCATED_NUMBER") << QStringLiteral("UNALLOCATED_NUMBER") << QStringLiteral("unavailable");
        QTest::newRow("other") << QStringLiteral("INTERWORKING") << QStringLiteral("failed");
    }
    void hangupCauseMapsToHangupCause()
    {
        QFETCH(QString, cause);
        QFETCH(QString, expected);
        const QString uuid = h->newCall(); // a ringing call may be rejected too
        QJsonObject body;
        if (!cause.isEmpty())
            body.insert(QStringLiteral("cause"), cause);
        QCOMPARE(h->command(uuid, "hangup", body).status, 202);
        const QJsonObject data = last(uuid).value(QStringLiteral("data")).toObject();
        QCOMPARE(last(uuid).value(QStringLiteral("event")).toString(), QStringLiteral("call.hangup"));
        QCOMPARE(data.value(QStringLiteral("hangup_cause")).toString(), expected);
        QCOMPARE(data.value(QStringLiteral("q850_cause")).toString(), cause.isEmpty() ? QStringLiteral("NORMAL_CLEARING") : cause);
    }

    void invalidHangupCauseGives400_data()
    {
        QTest::addColumn<QJsonValue>("cause");
        QTest::newRow("lower case") << QJsonValue(QStringLiteral("user_busy"));
        QTest::newRow("digits") << QJsonValue(QStringLiteral("CAUSE_17"));
        QTest::newRow("65 chars") << QJsonValue(QString(65, QLatin1Char('A')));
        QTest::newRow("number") << QJsonValue(17);
        QTest::newRow("empty") << QJsonValue(QString());
    }
    void invalidHangupCauseGives400()
    {
        QFETCH(QJsonValue, cause);
        const QString uuid = h->newCall();
        const Response r = h->command(uuid, "hangup", {{QStringLiteral("cause"), cause}});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error(), QStringLiteral("Invalid cause format"));
        QCOMPARE(h->events(uuid).size(), 1); // nothing happened
    }

    void disconnectHandsTheCallToTheDialplan()
    {
        const QString uuid = answeredCall();
        const Response r = h->command(uuid, "disconnect", {{QStringLiteral("command_uid"), QStringLiteral("d1")}});
        QCOMPARE(r.status, 202);
        QCOMPARE(last(uuid), ev(QStringLiteral("command.result"), uuid, 4,
                                result(QStringLiteral("d1"), operationIdOf(r), QStringLiteral("disconnect"), true)));
        h->advance(999);
        QCOMPARE(h->events(uuid).size(), 4);
        h->advance(1);
        QCOMPARE(last(uuid), ev(QStringLiteral("call.hangup"), uuid, 5,
                                {{QStringLiteral("hangup_cause"), QStringLiteral("completed")},
                                 {QStringLiteral("q850_cause"), QStringLiteral("NORMAL_CLEARING")},
                                 {QStringLiteral("duration_ms"), 1020}}));
    }

    void hangupDuringTheDialplanDelayEndsTheCallOnce()
    {
        const QString uuid = answeredCall();
        QCOMPARE(h->command(uuid, "disconnect").status, 202);
        h->advance(500);
        QCOMPARE(h->command(uuid, "hangup").status, 202);
        h->advance(2000);
        QCOMPARE(h->eventTypes(uuid).count(QStringLiteral("call.hangup")), 1);
    }

    void repeatedCommandUidReplaysTheFirstAnswer()
    {
        const QString uuid = h->newCall();
        const QJsonObject body{{QStringLiteral("command_uid"), QStringLiteral("once")}};
        const Response first = h->command(uuid, "answer", body);
        const Response again = h->command(uuid, "answer", body);
        QCOMPARE(first.status, 202);
        QCOMPARE(again.status, 202);
        QCOMPARE(again.json(), first.json());
        h->advance(3000);
        QCOMPARE(h->eventTypes(uuid), (QStringList{QStringLiteral("call.new"), QStringLiteral("call.answered"), QStringLiteral("command.result")}));
    }

    void commandUidOfAnotherCommandGives409()
    {
        const QString uuid = h->newCall();
        QCOMPARE(h->command(uuid, "answer", {{QStringLiteral("command_uid"), QStringLiteral("shared")}}).status, 202);
        const Response r = h->command(uuid, "hangup", {{QStringLiteral("command_uid"), QStringLiteral("shared")}});
        QCOMPARE(r.status, 409);
        QCOMPARE(r.error(), QStringLiteral("command_uid already used by another command"));
        // The uid is remembered per session only.
        const QString other = h->newCall();
        QCOMPARE(h->command(other, "hangup", {{QStringLiteral("command_uid"), QStringLiteral("shared")}}).status, 202);
    }

    void invalidCommandUidGives400_data()
    {
        QTest::addColumn<QJsonValue>("uid");
        QTest::newRow("space") << QJsonValue(QStringLiteral("has space"));
        QTest::newRow("non-ascii") << QJsonValue(QStringLiteral("caf\u00e9"));
        QTest::newRow("slash") << QJsonValue(QStringLiteral("a/b"));
        QTest::newRow("129 chars") << QJsonValue(QString(129, QLatin1Char('u')));
        QTest::newRow("number") << QJsonValue(5);
        QTest::newRow("empty") << QJsonValue(QString());
    }
    void invalidCommandUidGives400()
    {
        QFETCH(QJsonValue, uid);
        const QString uuid = h->newCall();
        const Response r = h->command(uuid, "answer", {{QStringLiteral("command_uid"), uid}});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error(), QStringLiteral("Invalid command_uid format"));
    }

    void commandUidOf128AllowedCharactersIsAccepted()
    {
        const QString uuid = h->newCall();
        const QString uid = QStringLiteral("A.z_0-") + QString(122, QLatin1Char('x'));
        QCOMPARE(h->command(uuid, "answer", {{QStringLiteral("command_uid"), uid}}).status, 202);
        h->advance(20);
        QCOMPARE(last(uuid).value(QStringLiteral("data")).toObject().value(QStringLiteral("command_uid")).toString(), uid);
    }

    void missingCommandUidIsGeneratedAsAUuid()
    {
        const QString uuid = h->newCall();
        QCOMPARE(h->command(uuid, "answer").status, 202);
        h->advance(20);
        const QString uid = last(uuid).value(QStringLiteral("data")).toObject().value(QStringLiteral("command_uid")).toString();
        QVERIFY2(QRegularExpression(QStringLiteral("^") + kUuidPattern + QStringLiteral("$")).match(uid).hasMatch(), qPrintable(uid));
    }

    void unknownFieldsAreIgnored()
    {
        const QString uuid = h->newCall();
        QCOMPARE(h->command(uuid, "answer", {{QStringLiteral("whatever"), 1}}).status, 202);
    }

    void callControlHasNoCooldown()
    {
        const QString uuid = h->newCall();
        for (int i = 0; i < 5; ++i)
            QCOMPARE(h->command(uuid, "answer").status, 202);
    }

    void seekGroupCooldownIsSharedAndPerSession()
    {
        const QString uuid = answeredCall();
        const QString other = answeredCall();
        QCOMPARE(h->command(uuid, "playback/pause").status, 202);
        // The docs' own example: pause then stop is throttled, both being in the seek group.
        const Response limited = h->command(uuid, "playback/stop");
        QCOMPARE(limited.status, 429);
        QCOMPARE(limited.json(), (QJsonObject{{QStringLiteral("success"), false},
                                             {QStringLiteral("error"), QStringLiteral("Rate limit exceeded")},
                                             {QStringLiteral("detail"), QJsonObject{{QStringLiteral("group"), QStringLiteral("seek")},
                                                                                    {QStringLiteral("retry_after_ms"), 100}}}}));
        QCOMPARE(limited.header("Retry-After"), QByteArray("1"));
        QCOMPARE(h->command(other, "playback/stop").status, 202); // another session: its own window
        QCOMPARE(h->command(uuid, "conference/mute").status, 202); // another group: its own window

        h->advance(99);
        const Response still = h->command(uuid, "playback/resume");
        QCOMPARE(still.status, 429);
        // A rejected request does not restart the window.
        QCOMPARE(still.json().value(QStringLiteral("detail")).toObject().value(QStringLiteral("retry_after_ms")).toInt(), 1);
        h->advance(1);
        QCOMPARE(h->command(uuid, "playback/resume").status, 202);
    }

    void validationFailuresDoNotStartOrHitTheCooldown()
    {
        const QString uuid = answeredCall();
        QCOMPARE(h->command(uuid, "playback/seek").status, 400); // no position_ms: no cooldown started
        QCOMPARE(h->command(uuid, "playback/seek", {{QStringLiteral("position_ms"), 10}}).status, 202);
        // Field validation comes before the cooldown check.
        const Response invalid = h->command(uuid, "playback/seek", {{QStringLiteral("command_uid"), QStringLiteral("bad uid")}});
        QCOMPARE(invalid.status, 400);
        QCOMPARE(invalid.error(), QStringLiteral("Invalid command_uid format"));
    }

    void recordStopIsInTheHeavyGroupByDefault()
    {
        const QString uuid = answeredCall();
        QCOMPARE(h->command(uuid, "record/stop").status, 202);
        h->advance(100);
        const Response limited = h->command(uuid, "record/stop");
        QCOMPARE(limited.status, 429);
        QCOMPARE(limited.json().value(QStringLiteral("detail")).toObject(),
                 (QJsonObject{{QStringLiteral("group"), QStringLiteral("heavy")}, {QStringLiteral("retry_after_ms"), 1900}}));
        QCOMPARE(limited.header("Retry-After"), QByteArray("2"));
        QCOMPARE(h->command(uuid, "playback/stop").status, 202);
    }

    void recordStopGroupCanBeSeek()
    {
        Settings settings = Harness::defaultSettings();
        settings.engine.recordStopGroup = RateGroup::Seek;
        h = std::make_unique<Harness>(settings);
        const QString uuid = answeredCall();
        QCOMPARE(h->command(uuid, "record/stop").status, 202);
        const Response limited = h->command(uuid, "playback/stop");
        QCOMPARE(limited.status, 429);
        QCOMPARE(limited.json().value(QStringLiteral("detail")).toObject().value(QStringLiteral("group")).toString(), QStringLiteral("seek"));
    }

    void mediaRefusalsAreAsynchronous()
    {
        const QString uuid = h->newCall();
        const Response early = h->command(uuid, "playback/stop", {{QStringLiteral("command_uid"), QStringLiteral("s1")}});
        QCOMPARE(early.status, 202);
        QCOMPARE(last(uuid).value(QStringLiteral("data")).toObject(),
                 result(QStringLiteral("s1"), operationIdOf(early), QStringLiteral("playback/stop"), false, QStringLiteral("call not answered")));

        h->command(uuid, "answer");
        h->advance(100); // past the seek cooldown that playback/stop started
        const struct { QByteArray command; QString error; } cases[] = {
            {"playback/restart", QStringLiteral("no active playback")},
            {"record/stop", QStringLiteral("not recording")},
            {"conference/leave", QStringLiteral("not in conference")},
        };
        for (const auto &c : cases) {
            const Response r = h->command(uuid, c.command);
            QCOMPARE(r.status, 202);
            const QJsonObject data = last(uuid).value(QStringLiteral("data")).toObject();
            QCOMPARE(data.value(QStringLiteral("command")).toString(), QString::fromLatin1(c.command));
            QCOMPARE(data.value(QStringLiteral("success")).toBool(), false);
            QCOMPARE(data.value(QStringLiteral("error")).toString(), c.error);
        }
    }

    void seekNeedsANonNegativeIntegerPosition_data()
    {
        QTest::addColumn<QJsonValue>("position");
        QTest::addColumn<QString>("error");
        QTest::newRow("missing") << QJsonValue(QJsonValue::Undefined) << QStringLiteral("position_ms is required");
        QTest::newRow("null") << QJsonValue(QJsonValue::Null) << QStringLiteral("position_ms is required");
        QTest::newRow("negative") << QJsonValue(-1) << QStringLiteral("position_ms must be a non-negative integer");
        QTest::newRow("fraction") << QJsonValue(1.5) << QStringLiteral("position_ms must be a non-negative integer");
        QTest::newRow("string") << QJsonValue(QStringLiteral("10")) << QStringLiteral("position_ms must be a non-negative integer");
    }
    void seekNeedsANonNegativeIntegerPosition()
    {
        QFETCH(QJsonValue, position);
        QFETCH(QString, error);
        const QString uuid = answeredCall();
        QJsonObject body;
        if (!position.isUndefined())
            body.insert(QStringLiteral("position_ms"), position);
        const Response r = h->command(uuid, "playback/seek", body);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error(), error);
    }
};

QTEST_GUILESS_MAIN(TestCallControl)
#include "tst_callcontrol.moc"
