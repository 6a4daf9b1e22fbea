// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// Conferences (C-CONF, C-ROOMS, C-ROOM-PATHS): room endpoints, membership events, room playback,
// per-room cooldowns, and the mix: members hear the room and each other, never themselves.
#include "harness.h"
#include "mediafixtures.h"

#include <QtTest>

using namespace VoiceSim;
using namespace VoiceSim::Test;

class TestConference : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<Harness> h;
    std::unique_ptr<MediaServer> cdn;
    QList<qint16> music;
    QString musicUrl;

    Response api(const QByteArray &method, const QByteArray &path, const QJsonObject &body = {},
                 const ApiClient::Headers &headers = Harness::appHeaders())
    {
        if (method == "POST")
            return h->api().post(path, headers, body);
        return h->api().request(method, path, headers);
    }
    QString createRoom(const QString &name)
    {
        return api("POST", "/api/v1/conferences", {{QStringLiteral("name"), name}}).json().value(QStringLiteral("room_id")).toString();
    }
    QJsonArray roomEvents(const QString &roomId)
    {
        return h->api().request("GET", "/sim/v1/events?room_id=" + roomId.toUtf8(), Harness::adminHeaders())
            .json().value(QStringLiteral("events")).toArray();
    }
    QStringList roomTypes(const QString &roomId)
    {
        QStringList out;
        for (const QJsonValue &e : roomEvents(roomId))
            out << e.toObject().value(QStringLiteral("event")).toString();
        return out;
    }
    QString member(const QString &roomId, const QString &callerId)
    {
        const QString uuid = h->answeredCall({{QStringLiteral("caller_id"), callerId}});
        h->command(uuid, "conference/join", {{QStringLiteral("room_id"), roomId}});
        return uuid;
    }
    Response speak(const QString &uuid, const QString &url)
    {
        return h->api().post("/sim/v1/calls/" + uuid.toUtf8() + "/speak", Harness::adminHeaders(), {{QStringLiteral("url"), url}});
    }

private Q_SLOTS:
    void init()
    {
        h = std::make_unique<Harness>();
        cdn = std::make_unique<MediaServer>();
        music = Audio::noise(1000, 21, -20);
        musicUrl = cdn->put(QStringLiteral("/music.wav"), Audio::wav(music));
    }
    void cleanup()
    {
        h.reset();
        cdn.reset();
    }

    void createPublishesCreatedAndAnswers201()
    {
        const Response r = api("POST", "/api/v1/conferences", {{QStringLiteral("name"), QStringLiteral("Team_Standup-1")}});
        QCOMPARE(r.status, 201);
        const QString roomId = r.json().value(QStringLiteral("room_id")).toString();
        QVERIFY(QRegularExpression(QStringLiteral("^acW68-room-[0-9a-f-]{36}$")).match(roomId).hasMatch());
        const QJsonArray events = roomEvents(roomId);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.at(0).toObject().value(QStringLiteral("event")).toString(), QStringLiteral("conference.created"));
        QCOMPARE(events.at(0).toObject().value(QStringLiteral("room_id")).toString(), roomId);
        QCOMPARE(events.at(0).toObject().value(QStringLiteral("sequence")).toInt(), 1);
        QCOMPARE(eventData(events.at(0).toObject()), (QJsonObject{{QStringLiteral("app_id"), QStringLiteral("demo-app")},
                                                             {QStringLiteral("room_id"), roomId},
                                                             {QStringLiteral("name"), QStringLiteral("Team_Standup-1")}}));
        const Response one = api("GET", "/api/v1/conferences/" + roomId.toUtf8());
        QCOMPARE(one.status, 200);
        QCOMPARE(one.json().value(QStringLiteral("name")).toString(), QStringLiteral("Team_Standup-1"));
        QCOMPARE(one.json().value(QStringLiteral("created_at")).toString(), QStringLiteral("2026-01-01T00:00:00.000Z"));
        QCOMPARE(one.json().value(QStringLiteral("members")).toArray().size(), 0);
        QCOMPARE(one.json().value(QStringLiteral("playback")).toObject(),
                 (QJsonObject{{QStringLiteral("state"), QStringLiteral("idle")}, {QStringLiteral("urls"), QJsonArray()}, {QStringLiteral("volume"), 0}}));
    }

    void duplicateNamesAre409WithTheExistingRoom()
    {
        const QString roomId = createRoom(QStringLiteral("standup"));
        const Response r = api("POST", "/api/v1/conferences", {{QStringLiteral("name"), QStringLiteral("standup")}});
        QCOMPARE(r.status, 409);
        QCOMPARE(r.error(), QStringLiteral("Conference name already taken for this application"));
        QCOMPARE(r.json().value(QStringLiteral("detail")).toObject().value(QStringLiteral("room_id")).toString(), roomId);
    }

    void invalidNamesAre400_data()
    {
        QTest::addColumn<QJsonObject>("body");
        QTest::addColumn<QString>("error");
        const QString nameError = QStringLiteral("name must be 1-64 letters, digits, - or _, starting with a letter or digit");
        QTest::newRow("missing") << QJsonObject() << QStringLiteral("name is required");
        QTest::newRow("space") << QJsonObject{{QStringLiteral("name"), QStringLiteral("Team Standup")}} << nameError;
        QTest::newRow("leading dash") << QJsonObject{{QStringLiteral("name"), QStringLiteral("-x")}} << nameError;
        QTest::newRow("65 chars") << QJsonObject{{QStringLiteral("name"), QString(65, QLatin1Char('a'))}} << nameError;
        QTest::newRow("number") << QJsonObject{{QStringLiteral("name"), 5}} << nameError;
    }
    void invalidNamesAre400()
    {
        QFETCH(QJsonObject, body);
        QFETCH(QString, error);
        const Response r = api("POST", "/api/v1/conferences", body);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error(), error);
    }

    void roomsAreVisibleOnlyToTheirApp()
    {
        QCOMPARE(h->createApp("other-app", {{QStringLiteral("api_key"), QStringLiteral("other-key")}}).status, 200);
        const QString mine = createRoom(QStringLiteral("mine"));
        const ApiClient::Headers other = Harness::appHeaders("other-app", "other-key");
        QCOMPARE(api("POST", "/api/v1/conferences", {{QStringLiteral("name"), QStringLiteral("mine")}}, other).status, 201); // names are per app
        const Response list = api("GET", "/api/v1/conferences", {}, other);
        QCOMPARE(list.status, 200);
        QCOMPARE(list.json().value(QStringLiteral("conferences")).toArray().size(), 1);
        QVERIFY(list.json().value(QStringLiteral("conferences")).toArray().at(0).toObject().value(QStringLiteral("room_id")).toString() != mine);
        Response r = api("GET", "/api/v1/conferences/" + mine.toUtf8(), {}, other);
        QCOMPARE(r.status, 403);
        QCOMPARE(r.error(), QStringLiteral("Conference belongs to another application"));
        r = api("DELETE", "/api/v1/conferences/acW68-room-nope");
        QCOMPARE(r.status, 404);
        QCOMPARE(r.error(), QStringLiteral("Conference not found"));
        r = api("POST", "/api/v1/conferences/acW68-room-nope/play", {{QStringLiteral("urls"), QJsonArray{musicUrl}}});
        QCOMPARE(r.status, 404);
        // A session of another app cannot join either: the room does not exist for it.
        const QString uuid = h->answeredCall();
        QCOMPARE(h->command(uuid, "conference/join", {{QStringLiteral("room_id"), QStringLiteral("acW68-room-nope")}}).status, 202);
        QCOMPARE(eventData(h->lastEvent(uuid, QStringLiteral("command.result"))).value(QStringLiteral("error")).toString(), QStringLiteral("room not found"));
    }

    void joinMutedThenUnmuteMuteAndLeave()
    {
        const QString roomId = createRoom(QStringLiteral("r"));
        const QString uuid = member(roomId, QStringLiteral("+15550001"));
        QCOMPARE(h->eventTypes(uuid).mid(2), (QStringList{QStringLiteral("conference.member.joined"), QStringLiteral("command.result")}));
        QCOMPARE(eventData(h->lastEvent(uuid, QStringLiteral("conference.member.joined"))),
                 (QJsonObject{{QStringLiteral("room_id"), roomId}, {QStringLiteral("caller_id"), QStringLiteral("+15550001")}, {QStringLiteral("muted"), true}}));
        QJsonObject room = api("GET", "/api/v1/conferences/" + roomId.toUtf8()).json();
        QCOMPARE(room.value(QStringLiteral("members")).toArray().at(0).toObject().value(QStringLiteral("muted")).toBool(), true);
        QCOMPARE(h->command(uuid, "conference/unmute").status, 202);
        QCOMPARE(eventData(h->lastEvent(uuid, QStringLiteral("conference.member.unmuted"))), (QJsonObject{{QStringLiteral("room_id"), roomId}}));
        room = api("GET", "/api/v1/conferences/" + roomId.toUtf8()).json();
        QCOMPARE(room.value(QStringLiteral("members")).toArray().at(0).toObject().value(QStringLiteral("muted")).toBool(), false);
        QCOMPARE(h->command(uuid, "conference/mute").status, 429); // conference mute group, 2 s
        h->advance(2000);
        QCOMPARE(h->command(uuid, "conference/mute").status, 202);
        QCOMPARE(eventData(h->lastEvent(uuid, QStringLiteral("conference.member.muted"))), (QJsonObject{{QStringLiteral("room_id"), roomId}}));
        QCOMPARE(h->command(uuid, "conference/leave").status, 202);
        QCOMPARE(eventData(h->lastEvent(uuid, QStringLiteral("conference.member.left"))),
                 (QJsonObject{{QStringLiteral("room_id"), roomId}, {QStringLiteral("reason"), QStringLiteral("removed")}}));
        QCOMPARE(eventData(h->lastEvent(uuid, QStringLiteral("command.result"))).value(QStringLiteral("success")).toBool(), true);
        h->advance(2000);
        h->command(uuid, "conference/leave");
        QCOMPARE(eventData(h->lastEvent(uuid, QStringLiteral("command.result"))).value(QStringLiteral("error")).toString(), QStringLiteral("not in conference"));
        h->command(uuid, "conference/unmute");
        QCOMPARE(eventData(h->lastEvent(uuid, QStringLiteral("command.result"))).value(QStringLiteral("error")).toString(), QStringLiteral("not in conference"));
    }

    void joiningASecondRoomLeavesTheFirst()
    {
        const QString a = createRoom(QStringLiteral("a")), b = createRoom(QStringLiteral("b"));
        const QString uuid = member(a, QStringLiteral("+1"));
        h->advance(2000);
        h->command(uuid, "conference/join", {{QStringLiteral("room_id"), b}});
        const QStringList types = h->eventTypes(uuid);
        QCOMPARE(types.mid(types.size() - 3), (QStringList{QStringLiteral("conference.member.left"), QStringLiteral("conference.member.joined"),
                                                           QStringLiteral("command.result")}));
        QCOMPARE(eventData(h->lastEvent(uuid, QStringLiteral("conference.member.left"))).value(QStringLiteral("room_id")).toString(), a);
        QCOMPARE(api("GET", "/api/v1/conferences/" + a.toUtf8()).json().value(QStringLiteral("members")).toArray().size(), 0);
        QCOMPARE(api("GET", "/api/v1/conferences/" + b.toUtf8()).json().value(QStringLiteral("members")).toArray().size(), 1);
    }

    void joinNeedsAnAnsweredCallAndARoomId()
    {
        const QString ringing = h->newCall();
        h->command(ringing, "conference/join", {{QStringLiteral("room_id"), createRoom(QStringLiteral("x"))}});
        QCOMPARE(eventData(h->lastEvent(ringing, QStringLiteral("command.result"))).value(QStringLiteral("error")).toString(), QStringLiteral("call not answered"));
        const QString uuid = h->answeredCall();
        Response r = h->command(uuid, "conference/join");
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error(), QStringLiteral("room_id is required"));
        r = h->command(uuid, "conference/join", {{QStringLiteral("room_id"), 5}});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error(), QStringLiteral("room_id must be a non-empty string"));
    }

    void deleteKicksEveryMemberThenDestroys()
    {
        const QString roomId = createRoom(QStringLiteral("gone"));
        const QString a = member(roomId, QStringLiteral("+1")), b = member(roomId, QStringLiteral("+2"));
        const Response r = api("DELETE", "/api/v1/conferences/" + roomId.toUtf8());
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json(), (QJsonObject{{QStringLiteral("room_id"), roomId}}));
        for (const QString &uuid : {a, b})
            QCOMPARE(eventData(h->lastEvent(uuid, QStringLiteral("conference.member.left"))).value(QStringLiteral("reason")).toString(), QStringLiteral("removed"));
        QCOMPARE(roomTypes(roomId), (QStringList{QStringLiteral("conference.created"), QStringLiteral("conference.destroyed")}));
        QCOMPARE(eventData(roomEvents(roomId).last().toObject()), (QJsonObject{{QStringLiteral("app_id"), QStringLiteral("demo-app")}, {QStringLiteral("room_id"), roomId}}));
        QCOMPARE(api("GET", "/api/v1/conferences/" + roomId.toUtf8()).status, 404);
    }

    void hangupAndOrphanLeaveWithTheirReasons()
    {
        const QString roomId = createRoom(QStringLiteral("r"));
        const QString a = member(roomId, QStringLiteral("+1"));
        h->command(a, "hangup");
        QStringList types = h->eventTypes(a);
        QCOMPARE(types.mid(types.size() - 2), (QStringList{QStringLiteral("conference.member.left"), QStringLiteral("call.hangup")}));
        QCOMPARE(eventData(h->lastEvent(a, QStringLiteral("conference.member.left"))).value(QStringLiteral("reason")).toString(), QStringLiteral("hangup"));
        const QString b = member(roomId, QStringLiteral("+2"));
        QCOMPARE(h->api().post("/sim/v1/calls/" + b.toUtf8() + "/drop", Harness::adminHeaders()).status, 200);
        h->advance(120'000);
        types = h->eventTypes(b);
        QCOMPARE(types.mid(types.size() - 2), (QStringList{QStringLiteral("conference.member.left"), QStringLiteral("call.hangup")}));
        QCOMPARE(eventData(h->lastEvent(b, QStringLiteral("conference.member.left"))).value(QStringLiteral("reason")).toString(), QStringLiteral("orphan"));
        QCOMPARE(eventData(h->lastEvent(b, QStringLiteral("call.hangup"))).value(QStringLiteral("hangup_cause")).toString(), QStringLiteral("orphaned"));
    }

    void aMemberQuietlySittingInARoomIsNotOrphaned()
    {
        const QString roomId = createRoom(QStringLiteral("r"));
        const QString uuid = member(roomId, QStringLiteral("+1"));
        h->advance(300'000);
        QVERIFY(h->eventsOf(uuid, QStringLiteral("call.hangup")).isEmpty());
    }

    void membersHearEachOtherButNotThemselves()
    {
        const QString roomId = createRoom(QStringLiteral("talk"));
        const QString a = member(roomId, QStringLiteral("+1")), b = member(roomId, QStringLiteral("+2")), c = member(roomId, QStringLiteral("+3"));
        h->advance(2000);
        h->command(a, "conference/unmute");
        const QList<qint16> voiceA = Audio::noise(500, 31), voiceC = Audio::noise(500, 32);
        // a speaks unmuted; c speaks muted: nobody may hear c.
        speak(a, cdn->put(QStringLiteral("/a.wav"), Audio::wav(voiceA)));
        speak(c, cdn->put(QStringLiteral("/c.wav"), Audio::wav(voiceC)));
        h->advance(1000);
        // The calls began at 0, 100 and 200 ms; the speech 2.3 s after the first.
        const QList<qint16> heardB = h->heard(b), heardA = h->heard(a), heardC = h->heard(c);
        double best = 0;
        const qsizetype lag = Audio::bestLag(heardB, voiceA, 2190 * 8, 2240 * 8, &best);
        QVERIFY2(best >= 0.99, qPrintable(QString::number(best)));
        Audio::bestLag(heardC, voiceA, 2090 * 8, 2140 * 8, &best);
        QVERIFY2(best >= 0.99, qPrintable(QString::number(best)));
        QCOMPARE(Audio::rmsDbfs(Audio::slice(heardA, 1500, 3300)), -200.0); // not itself, and c is muted
        QVERIFY(Audio::correlation(heardB, lag, voiceC) < 0.1);
    }

    void roomPlaybackReachesEveryMemberWithItsVolume()
    {
        const QString roomId = createRoom(QStringLiteral("music"));
        const QString a = member(roomId, QStringLiteral("+1"));
        const QByteArray path = "/api/v1/conferences/" + roomId.toUtf8();
        Response r = api("POST", path + "/volume", {{QStringLiteral("volume"), -6}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value(QStringLiteral("playback")).toObject().value(QStringLiteral("volume")).toInt(), -6);
        h->advance(200);
        r = api("POST", path + "/play", {{QStringLiteral("urls"), QJsonArray{musicUrl}}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value(QStringLiteral("playback")).toObject().value(QStringLiteral("state")).toString(), QStringLiteral("playing"));
        h->advance(1200);
        QCOMPARE(roomTypes(roomId), (QStringList{QStringLiteral("conference.created"), QStringLiteral("conference.play.volume_changed"),
                                                 QStringLiteral("conference.play.started"), QStringLiteral("conference.play.finished")}));
        const QJsonArray events = roomEvents(roomId);
        QCOMPARE(eventData(events.at(1).toObject()), (QJsonObject{{QStringLiteral("room_id"), roomId}, {QStringLiteral("volume"), -6}}));
        QCOMPARE(eventData(events.at(2).toObject()), (QJsonObject{{QStringLiteral("room_id"), roomId}, {QStringLiteral("urls"), QJsonArray{musicUrl}}}));
        QCOMPARE(eventData(events.at(3).toObject()), (QJsonObject{{QStringLiteral("room_id"), roomId}, {QStringLiteral("urls"), QJsonArray{musicUrl}}}));
        QCOMPARE(api("GET", path).json().value(QStringLiteral("playback")).toObject().value(QStringLiteral("state")).toString(), QStringLiteral("idle"));
        // The member heard the music 6 dB down (within 0.5 dB), and the same signal.
        const QList<qint16> heard = h->heard(a);
        double best = 0;
        const qsizetype lag = Audio::bestLag(heard, music, 290 * 8, 330 * 8, &best);
        QVERIFY2(best >= 0.99, qPrintable(QString::number(best)));
        const double change = Audio::rmsDbfs(heard.mid(lag, music.size())) - Audio::rmsDbfs(music);
        QVERIFY2(std::abs(change + 6.0) <= 0.5, qPrintable(QString::number(change)));
    }

    void roomPauseTogglesAndStopEndsIt()
    {
        const QString roomId = createRoom(QStringLiteral("p"));
        const QByteArray path = "/api/v1/conferences/" + roomId.toUtf8();
        Response r = api("POST", path + "/pause");
        QCOMPARE(r.status, 409);
        QCOMPARE(r.error(), QStringLiteral("No room playback"));
        api("POST", path + "/play", {{QStringLiteral("urls"), QJsonArray{musicUrl}}});
        h->advance(300);
        r = api("POST", path + "/pause");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value(QStringLiteral("playback")).toObject().value(QStringLiteral("state")).toString(), QStringLiteral("paused"));
        QCOMPARE(api("POST", path + "/pause").status, 429); // 200 ms room control group
        h->advance(5000); // paused: no finished
        QCOMPARE(api("POST", path + "/pause").json().value(QStringLiteral("playback")).toObject().value(QStringLiteral("state")).toString(), QStringLiteral("playing"));
        h->advance(200);
        QCOMPARE(api("POST", path + "/stop").status, 200);
        QCOMPARE(roomTypes(roomId), (QStringList{QStringLiteral("conference.created"), QStringLiteral("conference.play.started"),
                                                 QStringLiteral("conference.play.paused"), QStringLiteral("conference.play.paused"),
                                                 QStringLiteral("conference.play.stopped")}));
        const QJsonArray events = roomEvents(roomId);
        QCOMPARE(eventData(events.at(2).toObject()), (QJsonObject{{QStringLiteral("room_id"), roomId}, {QStringLiteral("paused"), true}}));
        QCOMPARE(eventData(events.at(3).toObject()), (QJsonObject{{QStringLiteral("room_id"), roomId}, {QStringLiteral("paused"), false}}));
        QCOMPARE(eventData(events.at(4).toObject()), (QJsonObject{{QStringLiteral("room_id"), roomId}, {QStringLiteral("urls"), QJsonArray{musicUrl}}}));
        h->advance(200);
        QCOMPARE(api("POST", path + "/stop").error(), QStringLiteral("No room playback"));
    }

    void roomPlayIsRateLimitedAndValidated()
    {
        const QString roomId = createRoom(QStringLiteral("v"));
        const QByteArray path = "/api/v1/conferences/" + roomId.toUtf8();
        Response r = api("POST", path + "/volume", {{QStringLiteral("volume"), 8}});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error(), QStringLiteral("volume must be between -50 and 7"));
        QCOMPARE(api("POST", path + "/volume", {{QStringLiteral("volume"), -51}}).error(), QStringLiteral("volume must be between -50 and 7"));
        QCOMPARE(api("POST", path + "/volume").error(), QStringLiteral("volume is required"));
        QCOMPARE(api("POST", path + "/play").error(), QStringLiteral("urls is required"));
        QCOMPARE(api("POST", path + "/play", {{QStringLiteral("urls"), QJsonArray{musicUrl}}}).status, 200);
        h->advance(1999);
        r = api("POST", path + "/play", {{QStringLiteral("urls"), QJsonArray{musicUrl}}});
        QCOMPARE(r.status, 429);
        QCOMPARE(r.json().value(QStringLiteral("detail")).toObject().value(QStringLiteral("group")).toString(), QStringLiteral("conference_play"));
    }

    void roomPlaybackOfAMissingFileStops()
    {
        const QString roomId = createRoom(QStringLiteral("m"));
        const QString missing = cdn->url(QStringLiteral("/none.wav"));
        api("POST", "/api/v1/conferences/" + roomId.toUtf8() + "/play", {{QStringLiteral("urls"), QJsonArray{missing}}});
        h->advance(100);
        QCOMPARE(roomTypes(roomId), (QStringList{QStringLiteral("conference.created"), QStringLiteral("conference.play.started"),
                                                 QStringLiteral("playback.file_not_found"), QStringLiteral("conference.play.stopped")}));
        QCOMPARE(eventData(roomEvents(roomId).at(2).toObject()).value(QStringLiteral("reason")).toString(), QStringLiteral("HTTP 404"));
    }
};

QTEST_GUILESS_MAIN(TestConference)
#include "tst_conference.moc"
