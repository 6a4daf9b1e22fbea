// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// Recording (C-RECORD) and the caller's own audio (speak): what the caller says mixed with what
// it hears, written as the call runs and served at recording_url.
#include "harness.h"
#include "mediafixtures.h"

#include <QTemporaryDir>
#include <QUrl>
#include <QtTest>

using namespace VoiceSim;
using namespace VoiceSim::Test;

class TestRecording : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<Harness> h;
    std::unique_ptr<MediaServer> cdn;
    QTemporaryDir mediaDir;
    QList<qint16> voice;  // what the caller says: noise, 800 ms
    QList<qint16> prompt; // what the app plays: a tone, 600 ms
    QString voiceUrl, promptUrl;

    QList<qint16> fetchRecording(const QString &url, int *status = nullptr)
    {
        const QUrl u(url);
        ApiClient client(quint16(u.port()));
        const Response r = client.request("GET", u.path().toUtf8());
        if (status)
            *status = r.status;
        return r.status == 200 ? Audio::decode(r.body) : QList<qint16>();
    }
    Response speak(const QString &uuid, const QJsonObject &body)
    {
        return h->api().post("/sim/v1/calls/" + uuid.toUtf8() + "/speak", Harness::adminHeaders(), body);
    }

private Q_SLOTS:
    void init()
    {
        Settings settings = Harness::defaultSettings();
        settings.mediaDir = mediaDir.path();
        h = std::make_unique<Harness>(settings);
        cdn = std::make_unique<MediaServer>();
        voice = Audio::noise(800, 11);
        prompt = Audio::sine(700, 600, -12);
        voiceUrl = cdn->put(QStringLiteral("/voice.wav"), Audio::wav(voice));
        promptUrl = cdn->put(QStringLiteral("/prompt.wav"), Audio::wav(prompt));
    }
    void cleanup()
    {
        h.reset();
        cdn.reset();
    }

    void stopPublishesResultThenCompletedWithTheStartsUid()
    {
        const QString uuid = h->answeredCall();
        QCOMPARE(h->command(uuid, "record/start", {{QStringLiteral("command_uid"), QStringLiteral("rec-start-001")}}).status, 202);
        QCOMPARE(eventData(h->lastEvent(uuid, QStringLiteral("command.result"))).value(QStringLiteral("success")).toBool(), true);
        h->advance(2500);
        QCOMPARE(h->command(uuid, "record/stop", {{QStringLiteral("command_uid"), QStringLiteral("rec-stop")}}).status, 202);
        QCOMPARE(h->eventTypes(uuid).mid(2), (QStringList{QStringLiteral("command.result"), QStringLiteral("command.result"),
                                                          QStringLiteral("recording.completed")}));
        const QJsonObject completed = eventData(h->lastEvent(uuid, QStringLiteral("recording.completed")));
        QCOMPARE(completed.value(QStringLiteral("command_uid")).toString(), QStringLiteral("rec-start-001"));
        QCOMPARE(completed.value(QStringLiteral("duration")).toInt(), 2); // 2.5 s, rounded down
        const QString url = completed.value(QStringLiteral("recording_url")).toString();
        QVERIFY(QRegularExpression(QStringLiteral("^http://127\\.0\\.0\\.1:\\d+/recordings/[A-Za-z0-9]{32}\\.wav$")).match(url).hasMatch());
        const QList<qint16> file = fetchRecording(url);
        QVERIFY2(std::abs(file.size() - 2500 * 8) <= 160, qPrintable(QString::number(file.size())));
    }

    void theRecordingHoldsWhatTheCallerSaidAndHeard()
    {
        const QString uuid = h->answeredCall();
        h->command(uuid, "record/start");
        h->advance(200);
        QCOMPARE(speak(uuid, {{QStringLiteral("url"), voiceUrl}}).status, 202);
        h->advance(1000);
        h->command(uuid, "playback/start", {{QStringLiteral("urls"), QJsonArray{promptUrl}}});
        h->advance(1000);
        h->command(uuid, "record/stop");
        const QList<qint16> file = fetchRecording(eventData(h->lastEvent(uuid, QStringLiteral("recording.completed"))).value(QStringLiteral("recording_url")).toString());
        // The voice 200 ms in, the prompt 1.2 s in (each within a frame), silence between.
        double best = 0;
        Audio::bestLag(file, voice, 190 * 8, 230 * 8, &best);
        QVERIFY2(best >= 0.99, qPrintable(QString::number(best)));
        Audio::bestLag(file, prompt, 1190 * 8, 1230 * 8, &best);
        QVERIFY2(best >= 0.99, qPrintable(QString::number(best)));
        QCOMPARE(Audio::rmsDbfs(Audio::slice(file, 1040, 1180)), -200.0);
        // The caller did not hear its own voice; it did hear the prompt.
        const QList<qint16> heard = h->heard(uuid);
        QCOMPARE(Audio::rmsDbfs(Audio::slice(heard, 100, 1150)), -200.0);
        QVERIFY(std::abs(Audio::rmsDbfs(Audio::slice(heard, 1350, 1700)) - Audio::rmsDbfs(prompt)) < 0.5);
    }

    void hangupWhileRecordingCompletesItBeforeCallHangup()
    {
        const QString uuid = h->answeredCall();
        h->command(uuid, "record/start", {{QStringLiteral("command_uid"), QStringLiteral("r1")}});
        h->advance(3200);
        QCOMPARE(h->api().post("/sim/v1/calls/" + uuid.toUtf8() + "/hangup", Harness::adminHeaders()).status, 200);
        const QStringList types = h->eventTypes(uuid);
        QCOMPARE(types.mid(types.size() - 2), (QStringList{QStringLiteral("recording.completed"), QStringLiteral("call.hangup")}));
        const QJsonObject completed = eventData(h->lastEvent(uuid, QStringLiteral("recording.completed")));
        QCOMPARE(completed.value(QStringLiteral("duration")).toInt(), 3);
        QCOMPARE(completed.value(QStringLiteral("command_uid")).toString(), QStringLiteral("r1"));
        int status = 0;
        const QList<qint16> file = fetchRecording(completed.value(QStringLiteral("recording_url")).toString(), &status);
        QCOMPARE(status, 200);
        QVERIFY(std::abs(file.size() - 3200 * 8) <= 160);
    }

    void oneRecordingPerSession()
    {
        const QString uuid = h->answeredCall();
        h->command(uuid, "record/stop");
        QCOMPARE(eventData(h->lastEvent(uuid, QStringLiteral("command.result"))).value(QStringLiteral("error")).toString(), QStringLiteral("not recording"));
        h->advance(2000);
        h->command(uuid, "record/start");
        h->advance(2000);
        h->command(uuid, "record/start");
        QCOMPARE(eventData(h->lastEvent(uuid, QStringLiteral("command.result"))).value(QStringLiteral("error")).toString(), QStringLiteral("already recording"));
    }

    void recordStartTakesNoFields()
    {
        const QString uuid = h->answeredCall();
        const Response r = h->command(uuid, "record/start", {{QStringLiteral("format"), QStringLiteral("mp3")}});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error(), QStringLiteral("Unknown field: format")); // C-UNKNOWN-FIELDS
    }

    void unknownRecordingsAre404()
    {
        int status = 0;
        fetchRecording(QStringLiteral("http://127.0.0.1:") + QString::number(h->port()) + QStringLiteral("/recordings/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.wav"), &status);
        QCOMPARE(status, 404);
        fetchRecording(QStringLiteral("http://127.0.0.1:") + QString::number(h->port()) + QStringLiteral("/recordings/..%2Fcredentials.ini"), &status);
        QCOMPARE(status, 404);
    }

    void speakFromTheMediaFolder()
    {
        QFile file(mediaDir.filePath(QStringLiteral("hello.wav")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(Audio::wav(voice));
        file.close();
        const QString uuid = h->answeredCall();
        h->command(uuid, "record/start");
        QCOMPARE(speak(uuid, {{QStringLiteral("file"), QStringLiteral("hello.wav")}}).status, 202);
        h->advance(2000); // record/stop shares record/start's 2 s heavy group (C-RECORD-GROUP)
        QCOMPARE(h->command(uuid, "record/stop").status, 202);
        const QList<qint16> rec = fetchRecording(eventData(h->lastEvent(uuid, QStringLiteral("recording.completed"))).value(QStringLiteral("recording_url")).toString());
        double best = 0;
        Audio::bestLag(rec, voice, 0, 40 * 8, &best);
        QVERIFY2(best >= 0.99, qPrintable(QString::number(best)));
    }

    void theCallShowsItsMediaStateAndWhySpeechFailed()
    {
        const QString uuid = h->answeredCall();
        const auto media = [&] {
            return h->api().request("GET", "/sim/v1/calls/" + uuid.toUtf8(), Harness::adminHeaders())
                .json().value(QStringLiteral("media")).toObject();
        };
        QCOMPARE(media(), (QJsonObject{{QStringLiteral("playback"), QStringLiteral("idle")}, {QStringLiteral("playback_urls"), QJsonArray()},
                                       {QStringLiteral("collecting_digits"), false}, {QStringLiteral("recording"), false},
                                       {QStringLiteral("room_id"), QJsonValue()}, {QStringLiteral("muted"), QJsonValue()},
                                       {QStringLiteral("speak_error"), QJsonValue()}}));
        h->command(uuid, "record/start");
        h->command(uuid, "playback/start", {{QStringLiteral("urls"), QJsonArray{promptUrl}}});
        const QString missing = cdn->url(QStringLiteral("/gone.wav"));
        QCOMPARE(speak(uuid, {{QStringLiteral("url"), missing}}).status, 202);
        h->advance(100);
        const QJsonObject now = media();
        QCOMPARE(now.value(QStringLiteral("playback")).toString(), QStringLiteral("playing"));
        QCOMPARE(now.value(QStringLiteral("playback_urls")).toArray(), QJsonArray{promptUrl});
        QCOMPARE(now.value(QStringLiteral("recording")).toBool(), true);
        QCOMPARE(now.value(QStringLiteral("speak_error")).toString(), missing + QStringLiteral(": HTTP 404"));
    }

    void invalidSpeakRequestsAreRefused_data()
    {
        QTest::addColumn<QJsonObject>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("error");
        QTest::newRow("neither") << QJsonObject() << 400 << QStringLiteral("Exactly one of url or file is required");
        QTest::newRow("both") << QJsonObject{{QStringLiteral("url"), QStringLiteral("http://x/a.wav")}, {QStringLiteral("file"), QStringLiteral("a.wav")}}
                              << 400 << QStringLiteral("Exactly one of url or file is required");
        QTest::newRow("ftp") << QJsonObject{{QStringLiteral("url"), QStringLiteral("ftp://x/a.wav")}} << 400
                             << QStringLiteral("url must be an http:// or https:// URL of at most 2048 characters");
        QTest::newRow("escape") << QJsonObject{{QStringLiteral("file"), QStringLiteral("../secret.wav")}} << 400
                                << QStringLiteral("file must be a relative path inside the media folder");
        QTest::newRow("absolute") << QJsonObject{{QStringLiteral("file"), QStringLiteral("/etc/passwd")}} << 400
                                  << QStringLiteral("file must be a relative path inside the media folder");
        QTest::newRow("missing") << QJsonObject{{QStringLiteral("file"), QStringLiteral("nope.wav")}} << 404 << QStringLiteral("Media file not found: nope.wav");
    }
    void invalidSpeakRequestsAreRefused()
    {
        QFETCH(QJsonObject, body);
        QFETCH(int, status);
        QFETCH(QString, error);
        const QString uuid = h->answeredCall();
        const Response r = speak(uuid, body);
        QCOMPARE(r.status, status);
        QCOMPARE(r.error(), error);
    }

    void heardAudioValidatesItsRange()
    {
        const QString uuid = h->answeredCall();
        const QByteArray base = "/sim/v1/calls/" + uuid.toUtf8() + "/audio";
        Response r = h->api().request("GET", base + "?from_ms=-1", Harness::adminHeaders());
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error(), QStringLiteral("from_ms must be a non-negative integer"));
        r = h->api().request("GET", base + "?from_ms=500&to_ms=100", Harness::adminHeaders());
        QCOMPARE(r.error(), QStringLiteral("to_ms must not be before from_ms"));
        r = h->api().request("GET", base + "?from_ms=0&to_ms=60", Harness::adminHeaders());
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("Content-Type"), QByteArray("audio/wav"));
        QCOMPARE(Audio::decode(r.body).size(), 480);
        // Still there after the hangup.
        h->command(uuid, "hangup");
        r = h->api().request("GET", base + "?from_ms=0&to_ms=100", Harness::adminHeaders());
        QCOMPARE(r.status, 200);
        QCOMPARE(Audio::decode(r.body).size(), 800);
        r = h->api().request("GET", "/sim/v1/calls/acW68-none/audio", Harness::adminHeaders());
        QCOMPARE(r.status, 404);
    }
};

QTEST_GUILESS_MAIN(TestRecording)
#include "tst_recording.moc"
