// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// The playback family end to end (C-PLAYBACK, C-TRANSPORT, C-SILENCE, C-STATE): real files
// fetched from a local server, decoded, played on the virtual clock, and checked in the events
// and in what the caller heard.
#include "harness.h"
#include "mediafixtures.h"

#include <QtTest>

#include <sndfile.h>

#include <cmath>
#include <numbers>

using namespace VoiceSim;
using namespace VoiceSim::Test;

namespace {

QJsonObject urlsBody(const QStringList &urls)
{
    return {{QStringLiteral("urls"), QJsonArray::fromStringList(urls)}};
}


} // namespace

class TestPlayback : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<Harness> h;
    std::unique_ptr<MediaServer> cdn;
    QList<qint16> oneSecond;  // noise, 1000 ms
    QList<qint16> threeSeconds;
    QString oneUrl, threeUrl;

    Response start(const QString &uuid, const QJsonObject &body)
    {
        return h->command(uuid, "playback/start", body);
    }
    // The events after call.new and the network's call.answered.
    QStringList typesAfterAnswer(const QString &uuid)
    {
        return h->eventTypes(uuid).mid(2);
    }

private Q_SLOTS:
    void init()
    {
        h = std::make_unique<Harness>();
        cdn = std::make_unique<MediaServer>();
        oneSecond = Audio::noise(1000, 1);
        threeSeconds = Audio::noise(3000, 3);
        oneUrl = cdn->put(QStringLiteral("/one.wav"), Audio::wav(oneSecond));
        threeUrl = cdn->put(QStringLiteral("/three.wav"), Audio::wav(threeSeconds));
    }
    void cleanup()
    {
        h.reset();
        cdn.reset();
    }

    void startPublishesStartedThenStoppedAtTheEnd()
    {
        const QString uuid = h->answeredCall();
        QJsonObject body = urlsBody({oneUrl});
        body.insert(QStringLiteral("command_uid"), QStringLiteral("play-greeting-001"));
        const Response r = start(uuid, body);
        QCOMPARE(r.status, 202);
        QCOMPARE(r.json().value(QStringLiteral("status")).toString(), QStringLiteral("in_progress"));
        h->advance(0); // the fetch finishes before time moves
        QCOMPARE(typesAfterAnswer(uuid), (QStringList{QStringLiteral("playback.started"), QStringLiteral("command.result")}));
        const QJsonObject started = eventData(h->lastEvent(uuid, QStringLiteral("playback.started")));
        QCOMPARE(started, (QJsonObject{{QStringLiteral("command_uid"), QStringLiteral("play-greeting-001")},
                                       {QStringLiteral("urls"), QJsonArray{oneUrl}},
                                       {QStringLiteral("file_path"), oneUrl}}));
        const QJsonObject result = eventData(h->lastEvent(uuid, QStringLiteral("command.result")));
        QCOMPARE(result.value(QStringLiteral("command")).toString(), QStringLiteral("playback/start"));
        QCOMPARE(result.value(QStringLiteral("success")).toBool(), true);
        QCOMPARE(result.value(QStringLiteral("operation_id")).toString(), r.json().value(QStringLiteral("operation_id")).toString());

        h->advance(900);
        QVERIFY(h->eventsOf(uuid, QStringLiteral("playback.stopped")).isEmpty());
        h->advance(200);
        const QJsonObject stopped = eventData(h->lastEvent(uuid, QStringLiteral("playback.stopped")));
        QCOMPARE(stopped, (QJsonObject{{QStringLiteral("command_uid"), QStringLiteral("play-greeting-001")},
                                       {QStringLiteral("urls"), QJsonArray{oneUrl}},
                                       {QStringLiteral("file_path"), oneUrl},
                                       {QStringLiteral("offset_ms"), 1000},
                                       {QStringLiteral("duration_ms"), 1000},
                                       {QStringLiteral("reason"), QStringLiteral("completed")}}));
        QCOMPARE(cdn->hits(QStringLiteral("/one.wav")), 1);
    }

    void callerHearsThePlayedFile()
    {
        const QString uuid = h->answeredCall();
        start(uuid, urlsBody({oneUrl}));
        h->advance(1500);
        const QList<qint16> heard = h->heard(uuid);
        double best = 0;
        // It began within a frame of the moment it was fetched (100 ms after call.new).
        const qsizetype lag = Audio::bestLag(heard, oneSecond, 90 * 8, 130 * 8, &best);
        QVERIFY2(best >= 0.99, qPrintable(QString::number(best)));
        QVERIFY2(lag >= 100 * 8 && lag <= 120 * 8, qPrintable(QString::number(lag)));
        // Silence before and after.
        QCOMPARE(Audio::rmsDbfs(Audio::slice(heard, 0, 95)), -200.0);
        QCOMPARE(Audio::rmsDbfs(Audio::slice(heard, lag / 8 + 1000, lag / 8 + 1300)), -200.0);
    }

    void urlsPlayInOrderAsOnePlayback()
    {
        const QList<qint16> a = Audio::sine(500, 400), b = Audio::noise(600, 9);
        const QString urlA = cdn->put(QStringLiteral("/a.wav"), Audio::wav(a));
        const QString urlB = cdn->put(QStringLiteral("/b.wav"), Audio::wav(b));
        const QString uuid = h->answeredCall();
        start(uuid, urlsBody({urlA, urlB}));
        h->advance(1200);
        const QJsonObject stopped = eventData(h->lastEvent(uuid, QStringLiteral("playback.stopped")));
        QCOMPARE(stopped.value(QStringLiteral("duration_ms")).toInt(), 1000);
        QCOMPARE(stopped.value(QStringLiteral("file_path")).toString(), urlA + QLatin1Char(',') + urlB);
        const QList<qint16> heard = h->heard(uuid);
        double best = 0;
        const qsizetype lagB = Audio::bestLag(heard, b, 490 * 8, 530 * 8, &best);
        QVERIFY(best >= 0.99);
        QVERIFY(Audio::correlation(heard, lagB - a.size(), a) >= 0.99); // a right before b
    }

    void mp3AndStereoFilesAtOtherRatesPlayToo()
    {
        // 1 s of 440 Hz as a 44.1 kHz stereo WAV and as a 16 kHz MP3.
        const auto tone = [](int rate, int channels) {
            QList<qint16> out;
            for (int i = 0; i < rate; ++i)
                for (int c = 0; c < channels; ++c)
                    out.append(qint16(std::lround(8000 * std::sin(2 * std::numbers::pi * 440 * i / rate))));
            return out;
        };
        const QString stereo = cdn->put(QStringLiteral("/stereo.wav"), Audio::encodeFile(tone(44100, 2), 44100, 2, SF_FORMAT_WAV | SF_FORMAT_PCM_16));
        const QString mp3 = cdn->put(QStringLiteral("/tone.mp3"), Audio::encodeFile(tone(16000, 1), 16000, 1, SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III));
        const QList<qint16> reference = Audio::sine(440, 200, 20 * std::log10(8000.0 / 32767));
        for (const QString &url : {stereo, mp3}) {
            const QString uuid = h->answeredCall();
            start(uuid, urlsBody({url}));
            h->advance(1500);
            const QJsonObject stopped = eventData(h->lastEvent(uuid, QStringLiteral("playback.stopped")));
            QCOMPARE(stopped.value(QStringLiteral("reason")).toString(), QStringLiteral("completed"));
            const int duration = stopped.value(QStringLiteral("duration_ms")).toInt();
            QVERIFY2(std::abs(duration - 1000) <= 60, qPrintable(url + QLatin1Char(' ') + QString::number(duration)));
            // The caller hears 440 Hz at the file's level, half a second in.
            const QList<qint16> heard = h->heard(uuid, 500, 800);
            double best = 0;
            Audio::bestLag(heard, reference, 0, 40, &best);
            QVERIFY2(best >= 0.98, qPrintable(url + QLatin1Char(' ') + QString::number(best)));
            QVERIFY(std::abs(Audio::rmsDbfs(heard) - Audio::rmsDbfs(reference)) < 0.5);
        }
    }

    void offsetSecStartsInsideTheFile()
    {
        const QString uuid = h->answeredCall();
        QJsonObject body = urlsBody({threeUrl});
        body.insert(QStringLiteral("offset_sec"), 1);
        start(uuid, body);
        h->advance(2500);
        const QJsonObject stopped = eventData(h->lastEvent(uuid, QStringLiteral("playback.stopped")));
        QCOMPARE(stopped.value(QStringLiteral("offset_ms")).toInt(), 3000);
        QCOMPARE(stopped.value(QStringLiteral("reason")).toString(), QStringLiteral("completed"));
        const QList<qint16> heard = h->heard(uuid);
        const QList<qint16> tail = Audio::slice(threeSeconds, 1000, 3000);
        double best = 0;
        const qsizetype lag = Audio::bestLag(heard, tail, 90 * 8, 130 * 8, &best);
        QVERIFY2(best >= 0.99, qPrintable(QString::number(best)));
        // Where the file's first second would have been, something else is.
        QVERIFY(Audio::correlation(heard, lag, Audio::slice(threeSeconds, 0, 900)) < 0.2);
    }

    void newPlaybackReplacesTheOldOneLastWins()
    {
        const QString uuid = h->answeredCall();
        start(uuid, {{QStringLiteral("urls"), QJsonArray{threeUrl}}, {QStringLiteral("command_uid"), QStringLiteral("first")}});
        h->advance(600);
        start(uuid, {{QStringLiteral("urls"), QJsonArray{oneUrl}}, {QStringLiteral("command_uid"), QStringLiteral("second")}});
        h->advance(0);
        QCOMPARE(typesAfterAnswer(uuid), (QStringList{QStringLiteral("playback.started"), QStringLiteral("command.result"),
                                                      QStringLiteral("playback.stopped"), QStringLiteral("playback.started"),
                                                      QStringLiteral("command.result")}));
        const QList<QJsonObject> stopped = h->eventsOf(uuid, QStringLiteral("playback.stopped"));
        QCOMPARE(eventData(stopped.first()).value(QStringLiteral("command_uid")).toString(), QStringLiteral("first"));
        QCOMPARE(eventData(stopped.first()).value(QStringLiteral("reason")).toString(), QStringLiteral("replaced"));
        const int offset = eventData(stopped.first()).value(QStringLiteral("offset_ms")).toInt();
        QVERIFY2(offset >= 480 && offset <= 620, qPrintable(QString::number(offset)));
        QCOMPARE(eventData(h->lastEvent(uuid, QStringLiteral("playback.started"))).value(QStringLiteral("command_uid")).toString(), QStringLiteral("second"));
    }

    void stopPublishesResultThenStoppedWithTheStartsUid()
    {
        const QString uuid = h->answeredCall();
        start(uuid, {{QStringLiteral("urls"), QJsonArray{threeUrl}}, {QStringLiteral("command_uid"), QStringLiteral("the-start")}});
        h->advance(1000);
        const Response r = h->command(uuid, "playback/stop", {{QStringLiteral("command_uid"), QStringLiteral("the-stop")}});
        QCOMPARE(r.status, 202);
        const QStringList types = typesAfterAnswer(uuid);
        QCOMPARE(types.mid(2), (QStringList{QStringLiteral("command.result"), QStringLiteral("playback.stopped")}));
        const QJsonObject result = eventData(h->lastEvent(uuid, QStringLiteral("command.result")));
        QCOMPARE(result.value(QStringLiteral("command_uid")).toString(), QStringLiteral("the-stop"));
        QCOMPARE(result.value(QStringLiteral("success")).toBool(), true);
        const QJsonObject stopped = eventData(h->lastEvent(uuid, QStringLiteral("playback.stopped")));
        QCOMPARE(stopped.value(QStringLiteral("command_uid")).toString(), QStringLiteral("the-start"));
        QCOMPARE(stopped.value(QStringLiteral("reason")).toString(), QStringLiteral("stopped"));
        QCOMPARE(stopped.value(QStringLiteral("duration_ms")).toInt(), 3000);
        const int offset = stopped.value(QStringLiteral("offset_ms")).toInt();
        QVERIFY2(offset >= 880 && offset <= 1000, qPrintable(QString::number(offset)));
        // Nothing more is heard after the stop.
        h->advance(500);
        const QList<qint16> heard = h->heard(uuid);
        QCOMPARE(Audio::rmsDbfs(Audio::slice(heard, 1130, 1600)), -200.0);
    }

    void pauseHoldsThePositionAndResumeContinues()
    {
        const QString uuid = h->answeredCall();
        start(uuid, urlsBody({oneUrl}));
        h->advance(400);
        QCOMPARE(h->command(uuid, "playback/pause").status, 202);
        h->advance(1000); // paused: would have ended long ago
        QVERIFY(h->eventsOf(uuid, QStringLiteral("playback.stopped")).isEmpty());
        QCOMPARE(h->command(uuid, "playback/resume").status, 202);
        h->advance(500);
        QVERIFY(h->eventsOf(uuid, QStringLiteral("playback.stopped")).isEmpty());
        h->advance(200);
        QCOMPARE(eventData(h->lastEvent(uuid, QStringLiteral("playback.stopped"))).value(QStringLiteral("offset_ms")).toInt(), 1000);
        for (const QJsonObject &result : h->eventsOf(uuid, QStringLiteral("command.result")))
            QCOMPARE(eventData(result).value(QStringLiteral("success")).toBool(), true);
        // The whole file was heard, in two parts around a second of silence.
        const QList<qint16> heard = h->heard(uuid);
        QCOMPARE(Audio::rmsDbfs(Audio::slice(heard, 560, 1440)), -200.0);
        double best = 0;
        Audio::bestLag(heard, Audio::slice(oneSecond, 0, 250), 90 * 8, 130 * 8, &best);
        QVERIFY(best >= 0.99);
        // Paused at about 400 ms into the file, resumed a second later.
        Audio::bestLag(heard, Audio::slice(oneSecond, 500, 1000), 1570 * 8, 1650 * 8, &best);
        QVERIFY2(best >= 0.99, qPrintable(QString::number(best)));
    }

    void seekMovesThePositionAndPastTheEndCompletes()
    {
        const QString uuid = h->answeredCall();
        start(uuid, urlsBody({threeUrl}));
        h->advance(200);
        QCOMPARE(h->command(uuid, "playback/seek", {{QStringLiteral("position_ms"), 2000}}).status, 202);
        h->advance(500);
        const QList<qint16> heard = h->heard(uuid);
        // From the seek on, the caller hears the file from 2 s.
        const QList<qint16> fromTwo = Audio::slice(threeSeconds, 2000, 2400);
        double best = 0;
        const qsizetype lag = Audio::bestLag(heard, fromTwo, 280 * 8, 350 * 8, &best);
        QVERIFY2(best >= 0.99, qPrintable(QString::number(best)));
        QVERIFY(lag >= 300 * 8 && lag <= 330 * 8);
        QCOMPARE(h->command(uuid, "playback/seek", {{QStringLiteral("position_ms"), 60000}}).status, 202);
        h->advance(40);
        const QJsonObject stopped = eventData(h->lastEvent(uuid, QStringLiteral("playback.stopped")));
        QCOMPARE(stopped.value(QStringLiteral("reason")).toString(), QStringLiteral("completed"));
        QCOMPARE(stopped.value(QStringLiteral("offset_ms")).toInt(), 3000);
    }

    void restartGoesBackToTheBeginning()
    {
        const QString uuid = h->answeredCall();
        start(uuid, urlsBody({oneUrl}));
        h->advance(700);
        QCOMPARE(h->command(uuid, "playback/restart").status, 202);
        h->advance(900);
        QVERIFY(h->eventsOf(uuid, QStringLiteral("playback.stopped")).isEmpty());
        h->advance(200);
        QCOMPARE(h->eventsOf(uuid, QStringLiteral("playback.stopped")).size(), 1);
        // The file's start is heard twice.
        const QList<qint16> heard = h->heard(uuid);
        const QList<qint16> head = Audio::slice(oneSecond, 0, 300);
        int matches = 0;
        for (qsizetype lag = 0; lag + head.size() <= heard.size(); lag += 8)
            matches += Audio::correlation(heard, lag, head) >= 0.99 ? 1 : 0;
        QCOMPARE(matches, 2);
    }

    void transportWithNothingPlayingFails_data()
    {
        QTest::addColumn<QByteArray>("command");
        QTest::addColumn<QJsonObject>("body");
        QTest::newRow("stop") << QByteArray("playback/stop") << QJsonObject();
        QTest::newRow("pause") << QByteArray("playback/pause") << QJsonObject();
        QTest::newRow("resume") << QByteArray("playback/resume") << QJsonObject();
        QTest::newRow("seek") << QByteArray("playback/seek") << QJsonObject{{QStringLiteral("position_ms"), 10}};
        QTest::newRow("restart") << QByteArray("playback/restart") << QJsonObject();
    }
    void transportWithNothingPlayingFails()
    {
        QFETCH(QByteArray, command);
        QFETCH(QJsonObject, body);
        const QString uuid = h->answeredCall();
        QCOMPARE(h->command(uuid, command, body).status, 202);
        const QJsonObject result = eventData(h->lastEvent(uuid, QStringLiteral("command.result")));
        QCOMPARE(result.value(QStringLiteral("success")).toBool(), false);
        QCOMPARE(result.value(QStringLiteral("error")).toString(), QStringLiteral("no active playback"));
    }

    void silenceStopsThePlaybackAndHasNoEventsOfItsOwn()
    {
        const QString uuid = h->answeredCall();
        start(uuid, {{QStringLiteral("urls"), QJsonArray{threeUrl}}, {QStringLiteral("command_uid"), QStringLiteral("music")}});
        h->advance(600);
        QCOMPARE(h->command(uuid, "playback/silence").status, 202);
        h->advance(5000);
        QCOMPARE(typesAfterAnswer(uuid), (QStringList{QStringLiteral("playback.started"), QStringLiteral("command.result"),
                                                      QStringLiteral("playback.stopped"), QStringLiteral("command.result")}));
        const QJsonObject stopped = eventData(h->lastEvent(uuid, QStringLiteral("playback.stopped")));
        QCOMPARE(stopped.value(QStringLiteral("reason")).toString(), QStringLiteral("silence"));
        QCOMPARE(stopped.value(QStringLiteral("command_uid")).toString(), QStringLiteral("music"));
        QCOMPARE(eventData(h->lastEvent(uuid, QStringLiteral("command.result"))).value(QStringLiteral("success")).toBool(), true);
        QCOMPARE(Audio::rmsDbfs(h->heard(uuid, 740, 5600)), -200.0);
        // Silence is not a playback to pause...
        h->command(uuid, "playback/pause");
        QCOMPARE(eventData(h->lastEvent(uuid, QStringLiteral("command.result"))).value(QStringLiteral("error")).toString(), QStringLiteral("no active playback"));
        // ...and a later playback ends it without a stopped event.
        h->advance(600);
        start(uuid, urlsBody({oneUrl}));
        h->advance(0);
        QCOMPARE(h->eventsOf(uuid, QStringLiteral("playback.stopped")).size(), 1);
        QCOMPARE(h->eventsOf(uuid, QStringLiteral("playback.started")).size(), 2);
    }

    void missingAndUndecodableFilesGiveFileNotFound()
    {
        const QString broken = cdn->put(QStringLiteral("/broken.wav"), QByteArray("this is not audio at all, just text"));
        const QString missing = cdn->url(QStringLiteral("/missing.wav"));
        const QString uuid = h->answeredCall();
        start(uuid, {{QStringLiteral("urls"), QJsonArray{oneUrl, missing, broken}}, {QStringLiteral("command_uid"), QStringLiteral("bad")}});
        h->advance(2500);
        QCOMPARE(typesAfterAnswer(uuid), (QStringList{QStringLiteral("playback.file_not_found"), QStringLiteral("playback.file_not_found"),
                                                      QStringLiteral("command.result")}));
        const QList<QJsonObject> notFound = h->eventsOf(uuid, QStringLiteral("playback.file_not_found"));
        const QJsonArray urls{oneUrl, missing, broken};
        QCOMPARE(eventData(notFound.at(0)), (QJsonObject{{QStringLiteral("command_uid"), QStringLiteral("bad")},
                                                   {QStringLiteral("urls"), urls},
                                                   {QStringLiteral("url"), missing},
                                                   {QStringLiteral("reason"), QStringLiteral("HTTP 404")}}));
        QCOMPARE(eventData(notFound.at(1)).value(QStringLiteral("url")).toString(), broken);
        QVERIFY(eventData(notFound.at(1)).value(QStringLiteral("reason")).toString().startsWith(QStringLiteral("cannot decode: ")));
        const QJsonObject result = eventData(h->lastEvent(uuid, QStringLiteral("command.result")));
        QCOMPARE(result.value(QStringLiteral("success")).toBool(), false);
        QCOMPARE(result.value(QStringLiteral("error")).toString(), QStringLiteral("file not found"));
    }

    void injectedFetchFailuresGiveFileNotFound()
    {
        QCOMPARE(h->api().request("PUT", "/sim/v1/faults", Harness::adminHeaders(), "{\"fetch_failure_rate\": 1}").status, 200);
        const QString uuid = h->answeredCall();
        start(uuid, urlsBody({oneUrl}));
        h->advance(0);
        QCOMPARE(eventData(h->lastEvent(uuid, QStringLiteral("playback.file_not_found"))).value(QStringLiteral("reason")).toString(),
                 QStringLiteral("injected fetch failure"));
        QCOMPARE(cdn->hits(QStringLiteral("/one.wav")), 0);
        QCOMPARE(h->api().request("PUT", "/sim/v1/faults", Harness::adminHeaders(), "{\"fetch_failure_rate\": 1.5}").error(),
                 QStringLiteral("fetch_failure_rate must be a number between 0 and 1"));
    }

    void invalidBodiesGive400_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("error");
        QTest::newRow("no urls") << QByteArray("{}") << QStringLiteral("urls is required");
        QTest::newRow("null urls") << QByteArray("{\"urls\": null}") << QStringLiteral("urls is required");
        QTest::newRow("not an array") << QByteArray("{\"urls\": \"http:/" "/x/a.wav\"}") << QStringLiteral("urls must be an array of strings");
        QTest::newRow("empty") << QByteArray("{\"urls\": []}") << QStringLiteral("urls must not be empty");
        QTest::newRow("number entry") << QByteArray("{\"urls\": [5]}") << QStringLiteral("urls must be an array of strings");
        QTest::newRow("ftp") << QByteArray("{\"urls\": [\"ftp:/" "/x/a.wav\"]}") << QStringLiteral("only http:// and https:// urls are supported: ftp://x/a.wav");
        QTest::newRow("file") << QByteArray("{\"urls\": [\"file:/" "//etc/passwd\"]}") << QStringLiteral("only http:// and https:// urls are supported: file:///etc/passwd");
        QTest::newRow("long url") << (QByteArray("{\"urls\": [\"http:/" "/x/") + QByteArray(2050, 'a') + QByteArray("\"]}"))
                                  << QStringLiteral("each url must be at most 2048 characters");
        QByteArray many = "{\"urls\": [";
        for (int i = 0; i < 129; ++i)
            many += (i ? "," : "") + QByteArray("\"http://x/a.wav\"");
        QTest::newRow("129 urls") << (many + "]}") << QStringLiteral("urls must have at most 128 entries");
        QTest::newRow("negative offset") << QByteArray("{\"urls\": [\"http:/" "/x/a.wav\"], \"offset_sec\": -1}") << QStringLiteral("offset_sec must be an integer between 0 and 86400");
        QTest::newRow("huge offset") << QByteArray("{\"urls\": [\"http:/" "/x/a.wav\"], \"offset_sec\": 86401}") << QStringLiteral("offset_sec must be an integer between 0 and 86400");
        QTest::newRow("fraction offset") << QByteArray("{\"urls\": [\"http:/" "/x/a.wav\"], \"offset_sec\": 1.5}") << QStringLiteral("offset_sec must be an integer between 0 and 86400");
        QTest::newRow("offset with two urls") << QByteArray("{\"urls\": [\"http:/" "/x/a.wav\", \"http:/" "/x/b.wav\"], \"offset_sec\": 1}") << QStringLiteral("offset_sec is only allowed with a single url");
    }
    void invalidBodiesGive400()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, error);
        const QString uuid = h->answeredCall();
        ApiClient::Headers headers = Harness::appHeaders();
        headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
        const Response r = h->api().request("POST", "/api/v1/sessions/" + uuid.toUtf8() + "/commands/playback/start", headers, body);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error(), error);
        QCOMPARE(h->eventTypes(uuid).size(), 2); // nothing ran
    }

    void playbackGroupCooldownIs500Ms()
    {
        const QString uuid = h->answeredCall();
        QCOMPARE(start(uuid, urlsBody({oneUrl})).status, 202);
        h->advance(499);
        const Response limited = h->command(uuid, "playback/silence");
        QCOMPARE(limited.status, 429);
        QCOMPARE(limited.json().value(QStringLiteral("detail")).toObject().value(QStringLiteral("group")).toString(), QStringLiteral("playback"));
        h->advance(1);
        QCOMPARE(h->command(uuid, "playback/silence").status, 202);
        // The seek group is separate and 100 ms.
        QCOMPARE(h->command(uuid, "playback/stop").status, 202);
        QCOMPARE(h->command(uuid, "playback/pause").status, 429);
    }

    void playbackBeforeAnswerFailsAsynchronously()
    {
        const QString uuid = h->newCall();
        QCOMPARE(start(uuid, urlsBody({oneUrl})).status, 202);
        const QJsonObject result = eventData(h->lastEvent(uuid, QStringLiteral("command.result")));
        QCOMPARE(result.value(QStringLiteral("error")).toString(), QStringLiteral("call not answered"));
        h->advance(100);
        QCOMPARE(cdn->hits(QStringLiteral("/one.wav")), 0);
    }

    void hangupDuringPlaybackStopsItFirst()
    {
        const QString uuid = h->answeredCall();
        start(uuid, urlsBody({threeUrl}));
        h->advance(500);
        QCOMPARE(h->command(uuid, "hangup").status, 202);
        const QStringList types = typesAfterAnswer(uuid);
        QCOMPARE(types.mid(2), (QStringList{QStringLiteral("command.result"), QStringLiteral("playback.stopped"), QStringLiteral("call.hangup")}));
        QCOMPARE(eventData(h->lastEvent(uuid, QStringLiteral("playback.stopped"))).value(QStringLiteral("reason")).toString(), QStringLiteral("hangup"));
    }

    void aListenerIsNotOrphanedDuringALongPlayback()
    {
        // Two and a half minutes of audio: longer than the 120 s orphan timeout.
        const QString longUrl = cdn->put(QStringLiteral("/long.wav"), Audio::wav(Audio::sine(440, 150'000)));
        const QString uuid = h->answeredCall();
        start(uuid, urlsBody({longUrl}));
        h->advance(149'000);
        QVERIFY(h->eventsOf(uuid, QStringLiteral("call.hangup")).isEmpty());
        h->advance(2000);
        QCOMPARE(h->eventsOf(uuid, QStringLiteral("playback.stopped")).size(), 1);
        // Idle from the end of the playback on: orphaned 120 s later.
        h->advance(119'000);
        QVERIFY(h->eventsOf(uuid, QStringLiteral("call.hangup")).isEmpty());
        h->advance(2000);
        QCOMPARE(eventData(h->lastEvent(uuid, QStringLiteral("call.hangup"))).value(QStringLiteral("hangup_cause")).toString(), QStringLiteral("orphaned"));
    }
};

QTEST_GUILESS_MAIN(TestPlayback)
#include "tst_playback.moc"
