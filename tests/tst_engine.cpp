// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// The engine alone, without sockets: a fake channel port decides when answers are confirmed,
// so ordering around the deferred timeout can be pinned exactly.
#include <clock/virtualclock.h>
#include <engine/appregistry.h>
#include <engine/engine.h>
#include <engine/idgenerator.h>
#include <events/eventstream.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace VoiceSim;

namespace {

// Records what the engine asks of the channel side; the test confirms by hand.
class FakeChannels final : public ChannelPort
{
public:
    void setListener(ChannelListener *l) override { listener = l; }
    void open(const QString &uuid, bool autoAnswer) override { opened << uuid + (autoAnswer ? QStringLiteral("+auto") : QString()); }
    void answer(const QString &uuid, const QString &token) override { answers << qMakePair(uuid, token); }
    void drop(const QString &uuid) override { dropped << uuid; }
    void close(const QString &uuid) override { closed << uuid; }
    void closeAll() override { closed << QStringLiteral("*"); }
    qint64 answerLatencyMs() const override { return 0; }
    void setAnswerLatencyMs(qint64) override {}

    ChannelListener *listener = nullptr;
    QStringList opened, dropped, closed;
    QList<QPair<QString, QString>> answers;
};

// Media without audio: records what the engine asks, and the test plays the media side by
// calling the listener (fetch done, playback end, key press) at the moment it chooses.
class FakeMedia final : public MediaPort
{
public:
    void setListener(MediaListener *l) override { listener = l; }
    void openCall(const QString &, DtmfMode) override {}
    void closeCall(const QString &uuid) override { log << QStringLiteral("close ") + uuid.right(4); }
    void closeAll() override {}
    void fetch(MediaRequest request, const QStringList &urls) override { fetches.append({request, urls}); }
    void discard(MediaRequest request) override { discarded << request; }
    void play(const QString &, MediaRequest request, qint64 offsetMs) override { log << QStringLiteral("play %1 @%2").arg(request).arg(offsetMs); }
    void playSilence(const QString &) override { log << QStringLiteral("silence"); }
    qint64 stopPlayback(const QString &) override { log << QStringLiteral("stop"); return position; }
    void setPaused(const QString &, bool paused) override { log << (paused ? QStringLiteral("pause") : QStringLiteral("resume")); }
    void seek(const QString &, qint64 ms) override { log << QStringLiteral("seek %1").arg(ms); }
    qint64 playbackPosition(const QString &) const override { return position; }
    bool startRecording(const QString &, const QString &, QString *) override { return true; }
    qint64 stopRecording(const QString &) override { return 0; }
    void openRoom(const QString &) override {}
    void closeRoom(const QString &) override {}
    void joinRoom(const QString &, const QString &, bool) override {}
    void leaveRoom(const QString &) override {}
    void setMuted(const QString &, bool) override {}
    void playInRoom(const QString &, MediaRequest) override {}
    void setRoomPaused(const QString &, bool) override {}
    void stopRoom(const QString &) override {}
    void setRoomVolume(const QString &, int) override {}
    void pressKeys(const QString &, const QString &, int, int) override {}
    void speak(const QString &, MediaRequest) override {}
    QByteArray heardAudio(const QString &, qint64, qint64) const override { return {}; }
    double fetchFailureRate() const override { return 0; }
    void setFetchFailureRate(double) override {}

    MediaListener *listener = nullptr;
    QList<QPair<MediaRequest, QStringList>> fetches;
    QList<MediaRequest> discarded;
    QStringList log;
    qint64 position = 0;
};

} // namespace

class TestEngine : public QObject
{
    Q_OBJECT
private:
    VirtualClock *clock = nullptr;
    IdGenerator *ids = nullptr;
    AppRegistry *apps = nullptr;
    EventStream *events = nullptr;
    FakeChannels *channels = nullptr;
    FakeMedia *media = nullptr;
    Engine *engine = nullptr;

    QStringList types(const QString &uuid)
    {
        QStringList out;
        for (const Event &e : events->events(uuid))
            out << e.type;
        return out;
    }
    QString call()
    {
        return engine->createInboundCall({QStringLiteral("+1555"), QStringLiteral("+1666"), false, DtmfMode::Rfc4733})
            .body.value(QStringLiteral("session_uuid")).toString();
    }

    QString answered()
    {
        const QString uuid = call();
        channels->listener->channelAnswered(uuid, QString());
        return uuid;
    }
    QJsonObject lastData(const QString &uuid, const QString &type)
    {
        QJsonObject out;
        for (const Event &e : events->events(uuid))
            if (e.type == type)
                out = e.data.toJsonObject();
        return out;
    }
    ApiResult play(const QString &uuid, const QString &uid)
    {
        return engine->execute(QStringLiteral("demo-app"), uuid, QStringLiteral("playback/start"),
                               {{QStringLiteral("urls"), QJsonArray{QStringLiteral("http://cdn.example/a.wav")}},
                                {QStringLiteral("command_uid"), uid}});
    }

private Q_SLOTS:
    void init()
    {
        clock = new VirtualClock(0);
        ids = new IdGenerator(1);
        apps = new AppRegistry(QStringLiteral("demo-app"));
        apps->upsert(QStringLiteral("demo-app")).apiKey = QStringLiteral("k");
        events = new EventStream(*clock, [this]() -> QString { return ids->uuid4(); });
        channels = new FakeChannels;
        media = new FakeMedia;
        engine = new Engine(*clock, *ids, *apps, *events, *channels, *media);
    }
    void cleanup()
    {
        delete engine;
        delete media;
        delete channels;
        delete events;
        delete apps;
        delete ids;
        delete clock;
    }

    // --- media, against FakeMedia: the media side answers exactly when the test says --------

    void playbackStartTimesOutWhenTheMediaSideNeverAnswers()
    {
        const QString uuid = answered();
        QCOMPARE(play(uuid, QStringLiteral("p1")).status, 202);
        QCOMPARE(media->fetches.size(), 1);
        clock->advance(1999);
        QCOMPARE(types(uuid), (QStringList{QStringLiteral("call.new"), QStringLiteral("call.answered")}));
        clock->advance(1);
        QCOMPARE(lastData(uuid, QStringLiteral("command.result")).value(QStringLiteral("error")).toString(), QStringLiteral("timeout"));
        // The files arrive late: the playback still starts, without a second command.result.
        media->listener->mediaReady(media->fetches.first().first, 1000, {});
        QCOMPARE(types(uuid).mid(2), (QStringList{QStringLiteral("command.result"), QStringLiteral("playback.started")}));
        QCOMPARE(media->log.last(), QStringLiteral("play %1 @0").arg(media->fetches.first().first));
    }

    void aLateFetchOfAReplacedPlaybackIsDropped()
    {
        const QString uuid = answered();
        play(uuid, QStringLiteral("old"));
        clock->advance(500);
        play(uuid, QStringLiteral("new"));
        const MediaRequest oldRequest = media->fetches.at(0).first, newRequest = media->fetches.at(1).first;
        QVERIFY(oldRequest != newRequest);
        // The old one never played: no playback.stopped, its result says it was replaced.
        QCOMPARE(types(uuid).mid(2), QStringList{QStringLiteral("command.result")});
        QCOMPARE(lastData(uuid, QStringLiteral("command.result")).value(QStringLiteral("command_uid")).toString(), QStringLiteral("old"));
        QCOMPARE(lastData(uuid, QStringLiteral("command.result")).value(QStringLiteral("error")).toString(), QStringLiteral("replaced"));
        QVERIFY(media->discarded.contains(oldRequest));
        media->listener->mediaReady(oldRequest, 1000, {});
        QCOMPARE(types(uuid).size(), 3);
        media->listener->mediaReady(newRequest, 1000, {});
        QCOMPARE(lastData(uuid, QStringLiteral("playback.started")).value(QStringLiteral("command_uid")).toString(), QStringLiteral("new"));
        // An end reported for the dropped request changes nothing.
        media->listener->playbackFinished(uuid, oldRequest, 1000);
        QVERIFY(!types(uuid).contains(QStringLiteral("playback.stopped")));
        media->listener->playbackFinished(uuid, newRequest, 1000);
        QCOMPARE(lastData(uuid, QStringLiteral("playback.stopped")).value(QStringLiteral("reason")).toString(), QStringLiteral("completed"));
    }

    void keysFromTheMediaSideDriveACollection()
    {
        const QString uuid = answered();
        QCOMPARE(engine->execute(QStringLiteral("demo-app"), uuid, QStringLiteral("play_and_get_digits"),
                                 {{QStringLiteral("urls"), QJsonArray{QStringLiteral("http://cdn.example/p.wav")}},
                                  {QStringLiteral("command_uid"), QStringLiteral("pin")}}).status, 202);
        media->listener->dtmfReceived(uuid, QLatin1Char('9'), 80); // before the prompt plays
        media->listener->mediaReady(media->fetches.first().first, 3000, {});
        QCOMPARE(lastData(uuid, QStringLiteral("command.result")).value(QStringLiteral("success")).toBool(), true);
        media->log.clear();
        media->listener->dtmfStarted(uuid);
        QCOMPARE(media->log, QStringList{QStringLiteral("stop")}); // barge-in as the key goes down
        media->listener->dtmfReceived(uuid, QLatin1Char('1'), 100);
        QCOMPARE(media->log, QStringList{QStringLiteral("stop")});
        media->listener->dtmfReceived(uuid, QLatin1Char('2'), 100);
        media->listener->dtmfReceived(uuid, QLatin1Char('#'), 100);
        QCOMPARE(types(uuid).mid(2), (QStringList{QStringLiteral("dtmf"), QStringLiteral("command.result"), QStringLiteral("dtmf"),
                                                  QStringLiteral("dtmf"), QStringLiteral("dtmf"), QStringLiteral("digits.collected")}));
        QCOMPARE(lastData(uuid, QStringLiteral("digits.collected")),
                 (QJsonObject{{QStringLiteral("command_uid"), QStringLiteral("pin")}, {QStringLiteral("digits"), QStringLiteral("12")},
                              {QStringLiteral("terminator"), QStringLiteral("#")}, {QStringLiteral("status"), QStringLiteral("success")}}));
    }

    void aCollectionEndedBeforeItsPromptArrivedHasOnlyItsResult()
    {
        const QString uuid = answered();
        engine->execute(QStringLiteral("demo-app"), uuid, QStringLiteral("play_and_get_digits"),
                        {{QStringLiteral("urls"), QJsonArray{QStringLiteral("http://cdn.example/p.wav")}}});
        engine->execute(QStringLiteral("demo-app"), uuid, QStringLiteral("hangup"), {});
        QCOMPARE(types(uuid).mid(2), (QStringList{QStringLiteral("command.result"), QStringLiteral("command.result"),
                                                  QStringLiteral("call.hangup")}));
        QList<QJsonObject> results;
        for (const Event &e : events->events(uuid))
            if (e.type == QLatin1String("command.result"))
                results << e.data.toJsonObject();
        QCOMPARE(results.at(0).value(QStringLiteral("command")).toString(), QStringLiteral("hangup"));
        QCOMPARE(results.at(1).value(QStringLiteral("command")).toString(), QStringLiteral("play_and_get_digits"));
        QCOMPARE(results.at(1).value(QStringLiteral("error")).toString(), QStringLiteral("hangup"));
        QVERIFY(media->discarded.contains(media->fetches.first().first));
    }

    void newCallOpensAChannelAfterCallNew()
    {
        const QString uuid = call();
        QCOMPARE(types(uuid), QStringList{QStringLiteral("call.new")});
        QCOMPARE(channels->opened, QStringList{uuid});
        QVERIFY(uuid.startsWith(QStringLiteral("vsim0-")));
    }

    void answerResultWaitsForTheChannel()
    {
        const QString uuid = call();
        const ApiResult accepted = engine->execute(QStringLiteral("demo-app"), uuid, QStringLiteral("answer"), {});
        QCOMPARE(accepted.status, 202);
        QCOMPARE(channels->answers.size(), 1);
        QCOMPARE(channels->answers.first().second, QJsonDocument::fromJson(accepted.json).object().value(QStringLiteral("operation_id")).toString());
        clock->advance(1999);
        QCOMPARE(types(uuid), QStringList{QStringLiteral("call.new")});
        channels->listener->channelAnswered(uuid, channels->answers.first().second);
        QCOMPARE(types(uuid), (QStringList{QStringLiteral("call.new"), QStringLiteral("call.answered"), QStringLiteral("command.result")}));
        clock->advance(10); // the cancelled timeout must not publish a failure afterwards
        QCOMPARE(events->events(uuid).size(), 3);
        QCOMPARE(engine->session(uuid)->state, CallState::Answered);
    }

    void confirmationForAnEndedCallIsIgnored()
    {
        const QString uuid = call();
        engine->execute(QStringLiteral("demo-app"), uuid, QStringLiteral("answer"), {});
        engine->execute(QStringLiteral("demo-app"), uuid, QStringLiteral("hangup"), {});
        QCOMPARE(channels->closed, QStringList{uuid});
        channels->listener->channelAnswered(uuid, channels->answers.first().second);
        QCOMPARE(types(uuid).last(), QStringLiteral("call.hangup"));
        clock->advance(5000);
        QCOMPARE(types(uuid).last(), QStringLiteral("call.hangup"));
    }

    void networkAnswerHasNoCommandFields()
    {
        const QString uuid = call();
        channels->listener->channelAnswered(uuid, QString());
        const QList<Event> all = events->events(uuid);
        QCOMPARE(all.last().type, QStringLiteral("call.answered"));
        QVERIFY(all.last().data.isEmpty());
    }

    void endedSessionsAreBounded()
    {
        EngineConfig config;
        config.maxEndedSessions = 2;
        FakeChannels own;
        FakeMedia ownMedia;
        Engine small(*clock, *ids, *apps, *events, own, ownMedia, config);
        QStringList uuids;
        for (int i = 0; i < 3; ++i) {
            uuids << small.createInboundCall({QStringLiteral("+1"), QStringLiteral("+2"), false, DtmfMode::Rfc4733}).body.value(QStringLiteral("session_uuid")).toString();
            small.callerHangup(uuids.last(), QStringLiteral("NORMAL_CLEARING"));
        }
        QVERIFY(!small.session(uuids.at(0)));
        QVERIFY(small.session(uuids.at(1)));
        QVERIFY(small.session(uuids.at(2)));
    }

    void rememberedUidsAreBoundedPerSession()
    {
        EngineConfig config;
        config.maxRememberedUids = 2;
        FakeChannels own;
        FakeMedia ownMedia;
        Engine small(*clock, *ids, *apps, *events, own, ownMedia, config);
        const QString uuid = small.createInboundCall({QStringLiteral("+1"), QStringLiteral("+2"), false, DtmfMode::Rfc4733}).body.value(QStringLiteral("session_uuid")).toString();
        const auto disconnectWith = [&](const char *uid) {
            return small.execute(QStringLiteral("demo-app"), uuid, QStringLiteral("disconnect"), {{QStringLiteral("command_uid"), QLatin1String(uid)}});
        };
        const ApiResult first = disconnectWith("u1");
        disconnectWith("u2");
        QCOMPARE(disconnectWith("u2").json, small.session(uuid)->uids.value(QStringLiteral("u2")).reply);
        disconnectWith("u3"); // u1 is forgotten now
        QVERIFY(disconnectWith("u1").json != first.json);
    }
};

QTEST_GUILESS_MAIN(TestEngine)
#include "tst_engine.moc"
