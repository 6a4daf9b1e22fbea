// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// Caller key presses (POST /sim/v1/calls/{uuid}/dtmf) in both DTMF modes, and
// play_and_get_digits (C-DIGITS): barge-in, tries, terminators, timeouts and statuses.
#include "harness.h"
#include "mediafixtures.h"

#include <QtTest>

using namespace VoiceSim;
using namespace VoiceSim::Test;

class TestDigits : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<Harness> h;
    std::unique_ptr<MediaServer> cdn;
    QList<qint16> prompt; // 1 s
    QString promptUrl;

    Response collect(const QString &uuid, QJsonObject body)
    {
        if (!body.contains(QStringLiteral("urls")) && !body.contains(QStringLiteral("prompt_files")))
            body.insert(QStringLiteral("urls"), QJsonArray{promptUrl});
        if (!body.contains(QStringLiteral("command_uid")))
            body.insert(QStringLiteral("command_uid"), QStringLiteral("collect-pin-001"));
        return h->command(uuid, "play_and_get_digits", body);
    }
    QJsonObject collected(const QString &uuid)
    {
        const QList<QJsonObject> all = h->eventsOf(uuid, QStringLiteral("digits.collected"));
        return all.size() == 1 ? eventData(all.first()) : QJsonObject{{QStringLiteral("count"), int(all.size())}};
    }
    static QJsonObject result(const QString &digits, const QString &terminator, const QString &status)
    {
        return {{QStringLiteral("command_uid"), QStringLiteral("collect-pin-001")}, {QStringLiteral("digits"), digits},
                {QStringLiteral("terminator"), terminator}, {QStringLiteral("status"), status}};
    }

private Q_SLOTS:
    void init()
    {
        h = std::make_unique<Harness>();
        cdn = std::make_unique<MediaServer>();
        prompt = Audio::noise(1000, 5);
        promptUrl = cdn->put(QStringLiteral("/prompt.wav"), Audio::wav(prompt));
    }
    void cleanup()
    {
        h.reset();
        cdn.reset();
    }

    void keyPressesGiveOneDtmfEventEachWithTheirDuration()
    {
        const QString uuid = h->answeredCall();
        const Response r = h->pressKeys(uuid, QStringLiteral("5#"), 120, 80);
        QCOMPARE(r.status, 202);
        h->advance(400);
        const QList<QJsonObject> keys = h->eventsOf(uuid, QStringLiteral("dtmf"));
        QCOMPARE(keys.size(), 2);
        QCOMPARE(eventData(keys.at(0)), (QJsonObject{{QStringLiteral("digit"), QStringLiteral("5")}, {QStringLiteral("duration_ms"), 120}}));
        QCOMPARE(eventData(keys.at(1)), (QJsonObject{{QStringLiteral("digit"), QStringLiteral("#")}, {QStringLiteral("duration_ms"), 120}}));
    }

    void keyEventsFollowTheTimeAxisWithPauses()
    {
        const QString uuid = h->answeredCall();
        // 1 at 0-100, pause 'w' (500 ms) after its gap, 2 at 700-800.
        h->pressKeys(uuid, QStringLiteral("1w2"), 100, 100);
        h->advance(150);
        QCOMPARE(h->eventsOf(uuid, QStringLiteral("dtmf")).size(), 1);
        h->advance(600);
        QCOMPARE(h->eventsOf(uuid, QStringLiteral("dtmf")).size(), 1);
        h->advance(100);
        QCOMPARE(h->eventsOf(uuid, QStringLiteral("dtmf")).size(), 2);
    }

    void inBandModeDetectsTheTonesAndMeasuresThem()
    {
        const QString uuid = h->answeredCall({{QStringLiteral("dtmf_mode"), QStringLiteral("inband")}});
        h->pressKeys(uuid, QStringLiteral("147*0D"), 70, 60);
        h->advance(1200);
        const QList<QJsonObject> keys = h->eventsOf(uuid, QStringLiteral("dtmf"));
        QString digits;
        for (const QJsonObject &key : keys) {
            digits += eventData(key).value(QStringLiteral("digit")).toString();
            const int measured = eventData(key).value(QStringLiteral("duration_ms")).toInt();
            QVERIFY2(std::abs(measured - 70) <= 5, qPrintable(QString::number(measured)));
        }
        QCOMPARE(digits, QStringLiteral("147*0D"));
        // Too short for a detector (Q.24): an out-of-band key of 15 ms still counts, in-band not.
        h->pressKeys(uuid, QStringLiteral("9"), 15, 100);
        h->advance(300);
        QCOMPARE(h->eventsOf(uuid, QStringLiteral("dtmf")).size(), 6);
    }

    void invalidKeyPressesGive400_data()
    {
        QTest::addColumn<QJsonObject>("body");
        QTest::addColumn<QString>("error");
        const QString keysError = QStringLiteral("digits must be 1-256 keys from 0-9, A-D, *, # and w (a 500 ms pause)");
        QTest::newRow("missing") << QJsonObject() << QStringLiteral("digits is required");
        QTest::newRow("empty") << QJsonObject{{QStringLiteral("digits"), QString()}} << keysError;
        QTest::newRow("letter") << QJsonObject{{QStringLiteral("digits"), QStringLiteral("12x")}} << keysError;
        QTest::newRow("lower a") << QJsonObject{{QStringLiteral("digits"), QStringLiteral("a")}} << keysError;
        QTest::newRow("number") << QJsonObject{{QStringLiteral("digits"), 5}} << keysError;
        QTest::newRow("zero duration") << QJsonObject{{QStringLiteral("digits"), QStringLiteral("1")}, {QStringLiteral("duration_ms"), 0}}
                                       << QStringLiteral("duration_ms must be an integer between 1 and 60000");
        QTest::newRow("negative gap") << QJsonObject{{QStringLiteral("digits"), QStringLiteral("1")}, {QStringLiteral("gap_ms"), -1}}
                                      << QStringLiteral("gap_ms must be an integer between 0 and 60000");
    }
    void invalidKeyPressesGive400()
    {
        QFETCH(QJsonObject, body);
        QFETCH(QString, error);
        const QString uuid = h->answeredCall();
        const Response r = h->api().post("/sim/v1/calls/" + uuid.toUtf8() + "/dtmf", Harness::adminHeaders(), body);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error(), error);
    }

    void keysNeedAnAnsweredLiveCall()
    {
        const QString ringing = h->newCall();
        Response r = h->pressKeys(ringing, QStringLiteral("1"));
        QCOMPARE(r.status, 409);
        QCOMPARE(r.error(), QStringLiteral("Call is not answered yet"));
        r = h->pressKeys(QStringLiteral("acW68-nope"), QStringLiteral("1"));
        QCOMPARE(r.status, 404);
        QCOMPARE(r.error(), QStringLiteral("Session not found"));
    }

    void terminatorEndsWithSuccessAndIsNotInTheDigits()
    {
        const QString uuid = h->answeredCall();
        QCOMPARE(collect(uuid, {}).status, 202);
        h->advance(0);
        // command.result waits for the prompt to start; no playback.* events for prompts.
        QCOMPARE(h->eventTypes(uuid).mid(2), QStringList{QStringLiteral("command.result")});
        QCOMPARE(eventData(h->lastEvent(uuid, QStringLiteral("command.result"))).value(QStringLiteral("success")).toBool(), true);
        h->advance(1100); // prompt over
        h->pressKeys(uuid, QStringLiteral("1234#"));
        h->advance(1100);
        QCOMPARE(collected(uuid), result(QStringLiteral("1234"), QStringLiteral("#"), QStringLiteral("success")));
        // Each key was also a dtmf event, before digits.collected.
        const QStringList types = h->eventTypes(uuid);
        QCOMPARE(types.count(QStringLiteral("dtmf")), 5);
        QCOMPARE(types.last(), QStringLiteral("digits.collected"));
    }

    void maxDigitsEndsWithSuccessWithoutATerminator()
    {
        const QString uuid = h->answeredCall();
        collect(uuid, {{QStringLiteral("max_digits"), 3}});
        h->advance(1100);
        h->pressKeys(uuid, QStringLiteral("9876"));
        h->advance(1000);
        QCOMPARE(collected(uuid), result(QStringLiteral("987"), QString(), QStringLiteral("success")));
    }

    void aKeyDuringThePromptStopsItBargeIn()
    {
        const QString uuid = h->answeredCall();
        collect(uuid, {{QStringLiteral("max_digits"), 1}});
        h->advance(300);
        h->pressKeys(uuid, QStringLiteral("7"), 100, 100);
        h->advance(1500);
        QCOMPARE(collected(uuid), result(QStringLiteral("7"), QString(), QStringLiteral("success")));
        // The prompt was heard until the key went down (about 400 ms after call.new), then
        // silence.
        const QList<qint16> heard = h->heard(uuid);
        double best = 0;
        Audio::bestLag(heard, Audio::slice(prompt, 0, 250), 90 * 8, 130 * 8, &best);
        QVERIFY(best >= 0.99);
        QCOMPARE(Audio::rmsDbfs(Audio::slice(heard, 460, 1400)), -200.0);
        QVERIFY(Audio::rmsDbfs(Audio::slice(heard, 300, 380)) > -20);
    }

    void inBandKeysBargeInOnceTheToneIsHeard()
    {
        const QString uuid = h->answeredCall({{QStringLiteral("dtmf_mode"), QStringLiteral("inband")}});
        collect(uuid, {{QStringLiteral("max_digits"), 1}});
        h->advance(300);
        h->pressKeys(uuid, QStringLiteral("5"), 100, 100); // from about 400 ms after call.new
        h->advance(1500);
        QCOMPARE(collected(uuid), result(QStringLiteral("5"), QString(), QStringLiteral("success")));
        const QList<qint16> heard = h->heard(uuid);
        QVERIFY(Audio::rmsDbfs(Audio::slice(heard, 300, 380)) > -20);
        QCOMPARE(Audio::rmsDbfs(Audio::slice(heard, 480, 1400)), -200.0);
    }

    void noKeysTimesOutAfterEveryTry()
    {
        const QString uuid = h->answeredCall();
        collect(uuid, {{QStringLiteral("max_tries"), 2}, {QStringLiteral("timeout_ms"), 2000}});
        // Try 1: prompt (1 s) + 2 s, try 2: prompt again + 2 s.
        h->advance(5900);
        QVERIFY(h->eventsOf(uuid, QStringLiteral("digits.collected")).isEmpty());
        h->advance(300);
        QCOMPARE(collected(uuid), result(QString(), QString(), QStringLiteral("timeout")));
        // The prompt was played twice.
        const QList<qint16> heard = h->heard(uuid);
        double best = 0;
        Audio::bestLag(heard, Audio::slice(prompt, 0, 500), 3090 * 8, 3160 * 8, &best);
        QVERIFY2(best >= 0.99, qPrintable(QString::number(best)));
    }

    void interDigitTimeoutWithEnoughDigitsIsASuccess()
    {
        const QString uuid = h->answeredCall();
        collect(uuid, {{QStringLiteral("min_digits"), 2}, {QStringLiteral("max_digits"), 6}, {QStringLiteral("inter_digit_timeout_ms"), 1000}});
        h->advance(1100);
        h->pressKeys(uuid, QStringLiteral("42"));
        h->advance(1200);
        QVERIFY(h->eventsOf(uuid, QStringLiteral("digits.collected")).isEmpty());
        h->advance(200);
        QCOMPARE(collected(uuid), result(QStringLiteral("42"), QString(), QStringLiteral("success")));
    }

    void tooFewDigitsOnTheLastTryIsATimeout()
    {
        const QString uuid = h->answeredCall();
        collect(uuid, {{QStringLiteral("min_digits"), 4}, {QStringLiteral("inter_digit_timeout_ms"), 500}});
        h->advance(1100);
        h->pressKeys(uuid, QStringLiteral("12"));
        h->advance(1200);
        QCOMPARE(collected(uuid), result(QStringLiteral("12"), QString(), QStringLiteral("timeout")));
    }

    void terminatorBeforeMinDigitsFailsTheTry()
    {
        const QString uuid = h->answeredCall();
        collect(uuid, {{QStringLiteral("min_digits"), 3}, {QStringLiteral("terminators"), QStringLiteral("*#")}});
        h->advance(1100);
        h->pressKeys(uuid, QStringLiteral("1*"));
        h->advance(500);
        QCOMPARE(collected(uuid), result(QStringLiteral("1"), QStringLiteral("*"), QStringLiteral("failure")));
    }

    void hangupDuringCollectionIsAFailure()
    {
        const QString uuid = h->answeredCall();
        collect(uuid, {});
        h->advance(1100);
        h->pressKeys(uuid, QStringLiteral("5"));
        h->advance(300);
        h->command(uuid, "hangup");
        QCOMPARE(collected(uuid), result(QStringLiteral("5"), QString(), QStringLiteral("failure")));
        const QStringList types = h->eventTypes(uuid);
        QCOMPARE(types.mid(types.size() - 2), (QStringList{QStringLiteral("digits.collected"), QStringLiteral("call.hangup")}));
    }

    void promptFilesIsAcceptedForUrlsAndMissingPromptIsFileNotFound()
    {
        const QString uuid = h->answeredCall();
        const QString missing = cdn->url(QStringLiteral("/nope.wav"));
        QCOMPARE(collect(uuid, {{QStringLiteral("prompt_files"), QJsonArray{missing}}}).status, 202);
        h->advance(100);
        QCOMPARE(h->eventTypes(uuid).mid(2), (QStringList{QStringLiteral("playback.file_not_found"), QStringLiteral("command.result")}));
        QCOMPARE(eventData(h->lastEvent(uuid, QStringLiteral("playback.file_not_found"))).value(QStringLiteral("url")).toString(), missing);
        QCOMPARE(eventData(h->lastEvent(uuid, QStringLiteral("command.result"))).value(QStringLiteral("error")).toString(), QStringLiteral("file not found"));
    }

    void invalidCollectionsGive400_data()
    {
        QTest::addColumn<QJsonObject>("body");
        QTest::addColumn<QString>("error");
        const QJsonArray urls{QStringLiteral("http://cdn.example/p.wav")};
        QTest::newRow("no urls") << QJsonObject() << QStringLiteral("urls is required");
        QTest::newRow("min 0") << QJsonObject{{QStringLiteral("urls"), urls}, {QStringLiteral("min_digits"), 0}} << QStringLiteral("min_digits must be an integer between 1 and 128");
        QTest::newRow("max below min") << QJsonObject{{QStringLiteral("urls"), urls}, {QStringLiteral("min_digits"), 4}, {QStringLiteral("max_digits"), 3}}
                                       << QStringLiteral("max_digits must be an integer between min_digits and 128");
        QTest::newRow("max 129") << QJsonObject{{QStringLiteral("urls"), urls}, {QStringLiteral("max_digits"), 129}} << QStringLiteral("max_digits must be an integer between min_digits and 128");
        QTest::newRow("timeout 99") << QJsonObject{{QStringLiteral("urls"), urls}, {QStringLiteral("timeout_ms"), 99}} << QStringLiteral("timeout_ms must be an integer between 100 and 600000");
        QTest::newRow("inter 600001") << QJsonObject{{QStringLiteral("urls"), urls}, {QStringLiteral("inter_digit_timeout_ms"), 600001}}
                                      << QStringLiteral("inter_digit_timeout_ms must be an integer between 100 and 600000");
        QTest::newRow("bad terminator") << QJsonObject{{QStringLiteral("urls"), urls}, {QStringLiteral("terminators"), QStringLiteral("#x")}}
                                        << QStringLiteral("terminators must be a string of keys from 0-9, A-D, * and #");
        QTest::newRow("tries 11") << QJsonObject{{QStringLiteral("urls"), urls}, {QStringLiteral("max_tries"), 11}} << QStringLiteral("max_tries must be an integer between 1 and 10");
    }
    void invalidCollectionsGive400()
    {
        QFETCH(QJsonObject, body);
        QFETCH(QString, error);
        const QString uuid = h->answeredCall();
        const Response r = h->command(uuid, "play_and_get_digits", body);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error(), error);
    }

    void collectionIsInTheHeavyGroup()
    {
        const QString uuid = h->answeredCall();
        QCOMPARE(collect(uuid, {{QStringLiteral("command_uid"), QStringLiteral("a")}}).status, 202);
        h->advance(1999);
        const Response r = collect(uuid, {{QStringLiteral("command_uid"), QStringLiteral("b")}});
        QCOMPARE(r.status, 429);
        QCOMPARE(r.json().value(QStringLiteral("detail")).toObject().value(QStringLiteral("group")).toString(), QStringLiteral("heavy"));
    }

    void emptyTerminatorsMeanOnlyCountsAndTimeoutsEnd()
    {
        const QString uuid = h->answeredCall();
        collect(uuid, {{QStringLiteral("terminators"), QString()}, {QStringLiteral("max_digits"), 2}});
        h->advance(1100);
        h->pressKeys(uuid, QStringLiteral("#5"));
        h->advance(600);
        QCOMPARE(collected(uuid), result(QStringLiteral("#5"), QString(), QStringLiteral("success")));
    }
};

QTEST_GUILESS_MAIN(TestDigits)
#include "tst_digits.moc"
