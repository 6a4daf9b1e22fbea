// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// The simulator's control API (contract §6) over real HTTP: calls, caller hangup, drop and the
// orphan janitor (C-ORPHAN) in virtual time, events and envelopes (C-ENVELOPE, C-SEQ), the
// clock (C-CLOCK), faults, reset, DID routing (C-INBOUND) and seeded ids (C-IDS).
#include "harness.h"

#include <clock/realclock.h>

#include <QTest>

using namespace VoiceSim;
using namespace VoiceSim::Test;

namespace {

QJsonObject hangupData(const QString &cause, const QString &q850, qint64 durationMs)
{
    return {{QStringLiteral("hangup_cause"), cause}, {QStringLiteral("q850_cause"), q850}, {QStringLiteral("duration_ms"), durationMs}};
}

} // namespace

class TestControlApi : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<Harness> h;

    Response get(const QByteArray &path) { return h->api().request("GET", path, Harness::adminHeaders()); }
    Response post(const QByteArray &path, const QJsonObject &body = {}) { return h->api().post(path, Harness::adminHeaders(), body); }
    QJsonObject call(const QString &uuid) { return get("/sim/v1/calls/" + uuid.toUtf8()).json(); }
    QJsonObject lastEvent(const QString &uuid) { return h->events(uuid).last().toObject(); }

private Q_SLOTS:
    void init() { h = std::make_unique<Harness>(); }
    void cleanup() { h.reset(); }

    void createCallValidatesItsFields_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("error");
        QTest::newRow("caller_id number") << QByteArray(R"({"caller_id": 5})") << QStringLiteral("caller_id must be a non-empty string of at most 64 characters");
        QTest::newRow("did empty") << QByteArray(R"({"did": ""})") << QStringLiteral("did must be a non-empty string of at most 64 characters");
        QTest::newRow("auto_answer string") << QByteArray(R"({"auto_answer": "yes"})") << QStringLiteral("auto_answer must be a boolean");
        QTest::newRow("dtmf_mode") << QByteArray(R"({"dtmf_mode": "sip-info"})") << QStringLiteral("dtmf_mode must be rfc4733 or inband");
        QTest::newRow("not an object") << QByteArray("[1]") << QStringLiteral("Invalid request body");
    }
    void createCallValidatesItsFields()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, error);
        const Response r = h->api().request("POST", "/sim/v1/calls", Harness::adminHeaders(), body);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error(), error);
        QCOMPARE(get("/sim/v1/calls").json().value(QStringLiteral("calls")).toArray().size(), 0);
    }

    void createdCallStartsWithCallNewInTheDefaultEnvelope()
    {
        const Response r = h->createCall({{QStringLiteral("caller_id"), QStringLiteral("+15551230001")}, {QStringLiteral("did"), QStringLiteral("+15559990001")},
                                          {QStringLiteral("dtmf_mode"), QStringLiteral("inband")}});
        QCOMPARE(r.status, 201);
        const QString uuid = r.json().value(QStringLiteral("session_uuid")).toString();
        QCOMPARE(r.json().keys(), QStringList{QStringLiteral("session_uuid")});
        const QJsonArray events = h->events(uuid);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.at(0).toObject(), (QJsonObject{{QStringLiteral("event"), QStringLiteral("call.new")},
                                                      {QStringLiteral("session_uuid"), uuid},
                                                      {QStringLiteral("sequence"), 1},
                                                      {QStringLiteral("data"), QJsonObject{{QStringLiteral("caller_id"), QStringLiteral("+15551230001")},
                                                                                           {QStringLiteral("did"), QStringLiteral("+15559990001")}}}}));
        const QJsonObject c = call(uuid);
        QCOMPARE(c.value(QStringLiteral("state")).toString(), QStringLiteral("ringing"));
        QCOMPARE(c.value(QStringLiteral("channel")).toString(), QStringLiteral("up"));
        QCOMPARE(c.value(QStringLiteral("dtmf_mode")).toString(), QStringLiteral("inband"));
        QCOMPARE(c.value(QStringLiteral("app_id")).toString(), QStringLiteral("demo-app"));
        QCOMPARE(c.value(QStringLiteral("created_at")).toString(), QStringLiteral("2026-01-01T00:00:00.000Z"));
        QVERIFY(c.value(QStringLiteral("answered_at")).isNull());
        QVERIFY(c.value(QStringLiteral("hangup_cause")).isNull());
    }

    void callListFollowsTheLifecycle()
    {
        const QString first = h->newCall();
        const QString second = h->newCall({{QStringLiteral("auto_answer"), true}});
        h->advance(20);
        QCOMPARE(post("/sim/v1/calls/" + first.toUtf8() + "/hangup").status, 200);
        const QJsonArray calls = get("/sim/v1/calls").json().value(QStringLiteral("calls")).toArray();
        QCOMPARE(calls.size(), 2);
        QCOMPARE(calls.at(0).toObject().value(QStringLiteral("session_uuid")).toString(), first); // creation order
        QCOMPARE(calls.at(0).toObject().value(QStringLiteral("state")).toString(), QStringLiteral("ended"));
        QCOMPARE(calls.at(0).toObject().value(QStringLiteral("hangup_cause")).toString(), QStringLiteral("completed"));
        QCOMPARE(calls.at(0).toObject().value(QStringLiteral("ended_at")).toString(), QStringLiteral("2026-01-01T00:00:00.020Z"));
        QCOMPARE(calls.at(1).toObject().value(QStringLiteral("state")).toString(), QStringLiteral("answered"));
        QCOMPARE(calls.at(1).toObject().value(QStringLiteral("answered_at")).toString(), QStringLiteral("2026-01-01T00:00:00.020Z"));
        QCOMPARE(calls.at(1).toObject().value(QStringLiteral("last_sequence")).toInt(), 2);
        QCOMPARE(get("/sim/v1/calls/nope").status, 404);
    }

    void callerHangupIsCompletedAndOnlyOnce()
    {
        const QString uuid = h->newCall();
        h->advance(1500);
        const Response r = post("/sim/v1/calls/" + uuid.toUtf8() + "/hangup");
        QCOMPARE(r.status, 200);
        QCOMPARE(lastEvent(uuid).value(QStringLiteral("data")).toObject(), hangupData(QStringLiteral("completed"), QStringLiteral("NORMAL_CLEARING"), 1500));
        const Response again = post("/sim/v1/calls/" + uuid.toUtf8() + "/hangup");
        QCOMPARE(again.status, 409);
        QCOMPARE(again.error(), QStringLiteral("Call has already ended"));
        const Response missing = post("/sim/v1/calls/nope/hangup");
        QCOMPARE(missing.status, 404);
        QCOMPARE(missing.error(), QStringLiteral("Session not found"));
    }

    void callerHangupMayGiveACause()
    {
        const QString uuid = h->newCall();
        QCOMPARE(post("/sim/v1/calls/" + uuid.toUtf8() + "/hangup", {{QStringLiteral("cause"), QStringLiteral("NO_ANSWER")}}).status, 200);
        QCOMPARE(lastEvent(uuid).value(QStringLiteral("data")).toObject().value(QStringLiteral("hangup_cause")).toString(), QStringLiteral("no_answer"));
        const QString other = h->newCall();
        const Response bad = post("/sim/v1/calls/" + other.toUtf8() + "/hangup", {{QStringLiteral("cause"), QStringLiteral("no")}});
        QCOMPARE(bad.status, 400);
        QCOMPARE(bad.error(), QStringLiteral("Invalid cause format"));
    }

    void droppedChannelIsOrphanedAfter120Seconds()
    {
        const QString uuid = h->newCall({{QStringLiteral("auto_answer"), true}});
        h->advance(20);
        const Response dropped = post("/sim/v1/calls/" + uuid.toUtf8() + "/drop");
        QCOMPARE(dropped.status, 200);
        QCOMPARE(call(uuid).value(QStringLiteral("channel")).toString(), QStringLiteral("dropped"));
        QCOMPARE(h->eventTypes(uuid), (QStringList{QStringLiteral("call.new"), QStringLiteral("call.answered")})); // silent

        // Commands still reach the session, but the lost channel never confirms an answer...
        QCOMPARE(h->command(uuid, "answer", {{QStringLiteral("command_uid"), QStringLiteral("lost")}}).status, 202);
        h->advance(60'000);
        QCOMPARE(lastEvent(uuid).value(QStringLiteral("data")).toObject().value(QStringLiteral("error")).toString(), QStringLiteral("timeout"));
        // ...and activity after the drop does not postpone the janitor.
        h->advance(59'999);
        QCOMPARE(lastEvent(uuid).value(QStringLiteral("event")).toString(), QStringLiteral("command.result"));
        h->advance(1);
        QCOMPARE(lastEvent(uuid), (QJsonObject{{QStringLiteral("event"), QStringLiteral("call.hangup")},
                                               {QStringLiteral("session_uuid"), uuid},
                                               {QStringLiteral("sequence"), 4},
                                               {QStringLiteral("data"), hangupData(QStringLiteral("orphaned"), QStringLiteral("RECOVERY_ON_TIMER_EXPIRE"), 120'020)}}));
        QCOMPARE(call(uuid).value(QStringLiteral("state")).toString(), QStringLiteral("ended"));
        const Response twice = post("/sim/v1/calls/" + uuid.toUtf8() + "/drop");
        QCOMPARE(twice.status, 409);
    }

    void droppingTwiceIsAConflict()
    {
        const QString uuid = h->newCall();
        QCOMPARE(post("/sim/v1/calls/" + uuid.toUtf8() + "/drop").status, 200);
        const Response again = post("/sim/v1/calls/" + uuid.toUtf8() + "/drop");
        QCOMPARE(again.status, 409);
        QCOMPARE(again.error(), QStringLiteral("Channel already dropped"));
    }

    void idleSessionIsOrphanedAfter120SecondsWithoutActivity()
    {
        const QString uuid = h->newCall({{QStringLiteral("auto_answer"), true}});
        h->advance(20);
        h->advance(60'000);
        QCOMPARE(h->command(uuid, "playback/stop").status, 202); // activity at 60.02 s
        h->advance(119'999);
        QCOMPARE(call(uuid).value(QStringLiteral("state")).toString(), QStringLiteral("answered"));
        h->advance(1);
        QCOMPARE(lastEvent(uuid).value(QStringLiteral("data")).toObject(),
                 hangupData(QStringLiteral("orphaned"), QStringLiteral("RECOVERY_ON_TIMER_EXPIRE"), 180'020));
    }

    void eventsAfterASequenceAndItsErrors()
    {
        const QString uuid = h->newCall({{QStringLiteral("auto_answer"), true}});
        h->advance(20);
        h->command(uuid, "hangup");
        const Response r = get("/sim/v1/events?session_uuid=" + uuid.toUtf8() + "&after=2");
        QCOMPARE(r.status, 200);
        const QJsonArray events = r.json().value(QStringLiteral("events")).toArray();
        QCOMPARE(events.size(), 2);
        QCOMPARE(events.at(0).toObject().value(QStringLiteral("sequence")).toInt(), 3);
        QCOMPARE(events.at(1).toObject().value(QStringLiteral("sequence")).toInt(), 4);

        QCOMPARE(get("/sim/v1/events").error(), QStringLiteral("Exactly one of session_uuid or room_id is required"));
        QCOMPARE(get("/sim/v1/events?session_uuid=" + uuid.toUtf8() + "&after=-1").error(), QStringLiteral("after must be a non-negative integer"));
        QCOMPARE(get("/sim/v1/events?session_uuid=" + uuid.toUtf8() + "&after=x").status, 400);
        const Response unknown = get("/sim/v1/events?session_uuid=nope");
        QCOMPARE(unknown.status, 404);
        QCOMPARE(unknown.error(), QStringLiteral("Session not found"));
        QCOMPARE(get("/sim/v1/events?room_id=nope").error(), QStringLiteral("Conference not found"));
    }

    void flatEnvelopePutsFieldsBesideTheEvent()
    {
        QCOMPARE(h->createApp("demo-app", {{QStringLiteral("envelope"), QStringLiteral("flat")}}).status, 200);
        const QString uuid = h->newCall({{QStringLiteral("caller_id"), QStringLiteral("+15550001111")}, {QStringLiteral("did"), QStringLiteral("+15550002222")}});
        QCOMPARE(h->events(uuid).at(0).toObject(), (QJsonObject{{QStringLiteral("event"), QStringLiteral("call.new")},
                                                               {QStringLiteral("session_uuid"), uuid},
                                                               {QStringLiteral("sequence"), 1},
                                                               {QStringLiteral("caller_id"), QStringLiteral("+15550001111")},
                                                               {QStringLiteral("did"), QStringLiteral("+15550002222")}}));
    }

    void sequencesArePerSessionWithoutGaps()
    {
        const QString a = h->newCall({{QStringLiteral("auto_answer"), true}});
        const QString b = h->newCall();
        h->advance(20);
        h->command(b, "answer");
        h->command(a, "hangup");
        h->advance(20);
        for (const QString &uuid : {a, b}) {
            const QJsonArray events = h->events(uuid);
            for (qsizetype i = 0; i < events.size(); ++i)
                QCOMPARE(events.at(i).toObject().value(QStringLiteral("sequence")).toInt(), int(i + 1));
        }
        QCOMPARE(h->events(a).size(), 4);
        QCOMPARE(h->events(b).size(), 3);
    }

    void clockAdvanceRunsDueTimersAndReportsTheTime()
    {
        QCOMPARE(get("/sim/v1/clock").json().value(QStringLiteral("mode")).toString(), QStringLiteral("virtual"));
        const Response r = h->advance(120'000);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value(QStringLiteral("now_ms")).toInteger(), 120'000);
        QCOMPARE(r.json().value(QStringLiteral("now")).toString(), QStringLiteral("2026-01-01T00:02:00.000Z"));
        QCOMPARE(post("/sim/v1/clock/advance").error(), QStringLiteral("ms is required"));
        QVERIFY(post("/sim/v1/clock/advance", {{QStringLiteral("ms"), -5}}).error().startsWith(QStringLiteral("ms must be an integer between 0 and ")));
        QCOMPARE(post("/sim/v1/clock/advance", {{QStringLiteral("ms"), 1.5}}).status, 400);
    }

    void clockAdvanceIsRefusedOnTheRealClock()
    {
        RealClock clock;
        VirtualClock transport(0);
        SimulatedChannels channels(clock);
        MediaEngine media(clock, {});
        Settings settings = Harness::defaultSettings();
        settings.clockMode = Clock::Mode::Real;
        VoiceSimService service(settings, clock, transport, channels, media);
        QVERIFY(service.start());
        ApiClient api(service.port());
        const Response r = api.post("/sim/v1/clock/advance", Harness::adminHeaders(), {{QStringLiteral("ms"), 10}});
        QCOMPARE(r.status, 409);
        QCOMPARE(r.error(), QStringLiteral("Clock is not in virtual mode (start with --clock virtual)"));
        QCOMPARE(api.request("GET", "/sim/v1/clock", Harness::adminHeaders()).json().value(QStringLiteral("mode")).toString(), QStringLiteral("real"));
    }

    void faultsCanBeReadAndSet()
    {
        const QJsonObject noDeliveryFaults{{QStringLiteral("bad_signature"), 0}, {QStringLiteral("delay"), 0}, {QStringLiteral("delay_ms"), 1000},
                                           {QStringLiteral("drop"), 0}, {QStringLiteral("duplicate"), 0}, {QStringLiteral("reorder"), 0},
                                           {QStringLiteral("stale_timestamp"), 0}};
        QCOMPARE(get("/sim/v1/faults").json(), (QJsonObject{{QStringLiteral("answer_latency_ms"), 20}, {QStringLiteral("fetch_failure_rate"), 0},
                                                            {QStringLiteral("delivery"), noDeliveryFaults}}));
        const Response set = h->api().request("PUT", "/sim/v1/faults", Harness::adminHeaders(), R"({"answer_latency_ms": 500})");
        QCOMPARE(set.status, 200);
        QCOMPARE(set.json(), (QJsonObject{{QStringLiteral("answer_latency_ms"), 500}, {QStringLiteral("fetch_failure_rate"), 0},
                                          {QStringLiteral("delivery"), noDeliveryFaults}}));
        const QString uuid = h->newCall();
        h->command(uuid, "answer");
        h->advance(499);
        QCOMPARE(h->events(uuid).size(), 1);
        h->advance(1);
        QCOMPARE(h->events(uuid).size(), 3);

        const Response unknown = h->api().request("PUT", "/sim/v1/faults", Harness::adminHeaders(), R"({"jitter": 0.5})");
        QCOMPARE(unknown.status, 400);
        QCOMPARE(unknown.error(), QStringLiteral("Unknown fault: jitter"));
        const Response negative = h->api().request("PUT", "/sim/v1/faults", Harness::adminHeaders(), R"({"answer_latency_ms": -1})");
        QCOMPARE(negative.status, 400);
        QCOMPARE(negative.error(), QStringLiteral("answer_latency_ms must be an integer between 0 and 3600000"));
        // A bad delivery field changes nothing, not even the valid fields beside it.
        const Response mixed = h->api().request("PUT", "/sim/v1/faults", Harness::adminHeaders(),
                                                R"({"answer_latency_ms": 7, "delivery": {"drop": 1.5}})");
        QCOMPARE(mixed.status, 400);
        QCOMPARE(mixed.error(), QStringLiteral("delivery.drop must be a number between 0 and 1"));
        QCOMPARE(get("/sim/v1/faults").json().value(QStringLiteral("answer_latency_ms")).toInt(), 500);
    }

    void resetEndsEverythingButKeepsApps()
    {
        QCOMPARE(h->createApp("kept-app", {{QStringLiteral("api_key"), QStringLiteral("kept-key")}}).status, 200);
        const QString uuid = h->newCall();
        h->command(uuid, "answer");
        QCOMPARE(post("/sim/v1/reset").json(), (QJsonObject{{QStringLiteral("success"), true}}));
        QCOMPARE(get("/sim/v1/calls").json().value(QStringLiteral("calls")).toArray().size(), 0);
        QCOMPARE(get("/sim/v1/events?session_uuid=" + uuid.toUtf8()).status, 404);
        h->advance(5000); // the pending answer and its timeout are gone too
        QCOMPARE(get("/sim/v1/events?session_uuid=" + uuid.toUtf8()).status, 404);
        QCOMPARE(h->command(QStringLiteral("x"), "answer", {}, Harness::appHeaders("kept-app", "kept-key")).status, 404);
    }

    void didsRouteCallsToTheirApp()
    {
        QCOMPARE(h->createApp("sales", {{QStringLiteral("api_key"), QStringLiteral("k")}, {QStringLiteral("dids"), QJsonArray{QStringLiteral("+15550007777")}}}).status, 200);
        QCOMPARE(call(h->newCall({{QStringLiteral("did"), QStringLiteral("+15550007777")}})).value(QStringLiteral("app_id")).toString(), QStringLiteral("sales"));
        QCOMPARE(call(h->newCall({{QStringLiteral("did"), QStringLiteral("+15550001234")}})).value(QStringLiteral("app_id")).toString(), QStringLiteral("demo-app"));
        QCOMPARE(h->api().request("DELETE", "/admin/apps/demo-app", Harness::adminHeaders()).status, 200);
        const Response unrouted = h->createCall({{QStringLiteral("did"), QStringLiteral("+15550001234")}});
        QCOMPARE(unrouted.status, 404);
        QCOMPARE(unrouted.error(), QStringLiteral("No application routes DID +15550001234"));
    }

    void seedMakesIdsReproducible()
    {
        const QString first = h->newCall();
        Harness again;
        QCOMPARE(again.newCall(), first);
        Settings other = Harness::defaultSettings();
        other.seed = 43;
        Harness different(other);
        QVERIFY(different.newCall() != first);
    }
};

QTEST_GUILESS_MAIN(TestControlApi)
#include "tst_controlapi.moc"
