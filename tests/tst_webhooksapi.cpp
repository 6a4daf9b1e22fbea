// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// The delivery log API (contract §6, C-LOG): /sim/v1/webhooks with filters and paging, one
// delivery with its attempts, and the NDJSON and HAR exports; every bad query a clear 400.
#include "harness.h"
#include "receiver.h"

#include <QDateTime>
#include <QtTest>

using namespace VoiceSim;
using namespace VoiceSim::Test;

class TestWebhooksApi : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<Receiver> receiver;
    std::unique_ptr<Harness> h;
    QString first;  // a session with call.new, call.answered, dtmf "1"
    QString second; // a session with call.new only
    QString room;

    Response get(const QByteArray &path) { return h->api().request("GET", path, Harness::adminHeaders()); }
    QStringList ids(const QJsonArray &list)
    {
        QStringList out;
        for (const QJsonValue &w : list)
            out << w.toObject().value(QStringLiteral("event")).toString();
        return out;
    }

private Q_SLOTS:
    void init()
    {
        receiver = std::make_unique<Receiver>();
        receiver->script(Receiver::Action::Answer, Receiver::answer(500, "Content-Type: text/plain\r\n", "not yet"));
        Settings s = Harness::defaultSettings();
        s.webhookUrl = receiver->url(QStringLiteral("/hooks?app=demo"));
        s.webhooks.retryJitter = 0;
        h = std::make_unique<Harness>(s);
        receiver->setClock(&h->clock());
        first = h->answeredCall();
        QCOMPARE(h->pressKeys(first, QStringLiteral("1")).status, 202);
        second = h->newCall();
        const Response created = h->api().post("/api/v1/conferences", Harness::appHeaders(), {{QStringLiteral("name"), QStringLiteral("standup")}});
        QCOMPARE(created.status, 201);
        room = created.json().value(QStringLiteral("room_id")).toString();
        QCOMPARE(h->advance(1000).status, 200);
        QVERIFY(h->deliveriesIdle());
    }
    void cleanup()
    {
        h.reset();
        receiver.reset();
    }

    void theLogNeedsTheAdminKey()
    {
        const Response r = h->api().request("GET", "/sim/v1/webhooks");
        QCOMPARE(r.status, 401);
        QCOMPARE(r.error(), QStringLiteral("Missing X-Admin-API-Key header"));
    }

    void listsOldestFirstWithTheContractFields()
    {
        const Response r = get("/sim/v1/webhooks");
        QCOMPARE(r.status, 200);
        const QJsonArray all = r.json().value(QStringLiteral("webhooks")).toArray();
        // Journal order is publication order: the second call and the room came before the key's end.
        QCOMPARE(ids(all), (QStringList{QStringLiteral("call.new"), QStringLiteral("call.answered"), QStringLiteral("call.new"),
                                        QStringLiteral("conference.created"), QStringLiteral("dtmf")}));
        QCOMPARE(r.json().value(QStringLiteral("next_cursor")), QJsonValue());
        const QJsonObject w = all.at(0).toObject();
        QCOMPARE(w.keys(), (QStringList{QStringLiteral("attempt_count"), QStringLiteral("created_at"), QStringLiteral("event"), QStringLiteral("id"),
                                        QStringLiteral("last_status_code"), QStringLiteral("sequence"), QStringLiteral("session_uuid"),
                                        QStringLiteral("status")}));
        QCOMPARE(w.value(QStringLiteral("session_uuid")).toString(), first);
        QCOMPARE(w.value(QStringLiteral("sequence")).toInt(), 1);
        QCOMPARE(w.value(QStringLiteral("status")).toString(), QStringLiteral("delivered"));
        QCOMPARE(w.value(QStringLiteral("attempt_count")).toInt(), 2); // 500, then 200
        QCOMPARE(w.value(QStringLiteral("last_status_code")).toInt(), 200);
        QCOMPARE(w.value(QStringLiteral("created_at")).toString(), QStringLiteral("2026-01-01T00:00:00.000Z"));
        const QJsonObject roomEvent = all.at(3).toObject();
        QCOMPARE(roomEvent.value(QStringLiteral("room_id")).toString(), room);
        QVERIFY(!roomEvent.contains(QStringLiteral("session_uuid")));
    }

    void filtersNarrowTheList()
    {
        QCOMPARE(ids(h->webhooks("session_uuid=" + second.toUtf8())), QStringList{QStringLiteral("call.new")});
        QCOMPARE(ids(h->webhooks("room_id=" + room.toUtf8())), QStringList{QStringLiteral("conference.created")});
        QCOMPARE(ids(h->webhooks("event=call.new")), (QStringList{QStringLiteral("call.new"), QStringLiteral("call.new")}));
        QCOMPARE(ids(h->webhooks("session_uuid=" + first.toUtf8() + "&event=dtmf")), QStringList{QStringLiteral("dtmf")});
        QCOMPARE(h->webhooks("status=delivered").size(), 5);
        QCOMPARE(h->webhooks("status=dead").size(), 0);
        QCOMPARE(h->webhooks("session_uuid=acW68-nobody").size(), 0);
    }

    void pagesFollowTheCursor()
    {
        const Response page1 = get("/sim/v1/webhooks?limit=2");
        QCOMPARE(page1.status, 200);
        QCOMPARE(ids(page1.json().value(QStringLiteral("webhooks")).toArray()), (QStringList{QStringLiteral("call.new"), QStringLiteral("call.answered")}));
        const QString cursor = page1.json().value(QStringLiteral("next_cursor")).toString();
        QVERIFY(!cursor.isEmpty());
        const Response page2 = get("/sim/v1/webhooks?limit=2&cursor=" + cursor.toUtf8());
        QCOMPARE(ids(page2.json().value(QStringLiteral("webhooks")).toArray()), (QStringList{QStringLiteral("call.new"), QStringLiteral("conference.created")}));
        const Response page3 = get("/sim/v1/webhooks?limit=2&cursor=" + page2.json().value(QStringLiteral("next_cursor")).toString().toUtf8());
        QCOMPARE(ids(page3.json().value(QStringLiteral("webhooks")).toArray()), QStringList{QStringLiteral("dtmf")});
        QCOMPARE(page3.json().value(QStringLiteral("next_cursor")), QJsonValue());
    }

    void badQueriesAreClearErrors_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QString>("error");
        QTest::newRow("status") << QByteArray("/sim/v1/webhooks?status=lost") << QStringLiteral("status must be pending, delivered, failed or dead");
        QTest::newRow("limit 0") << QByteArray("/sim/v1/webhooks?limit=0") << QStringLiteral("limit must be an integer between 1 and 1000");
        QTest::newRow("limit big") << QByteArray("/sim/v1/webhooks?limit=1001") << QStringLiteral("limit must be an integer between 1 and 1000");
        QTest::newRow("cursor") << QByteArray("/sim/v1/webhooks?cursor=abc") << QStringLiteral("cursor is not valid (use next_cursor of the previous page)");
        QTest::newRow("both streams") << QByteArray("/sim/v1/webhooks?session_uuid=a&room_id=b") << QStringLiteral("Give session_uuid or room_id, not both");
        QTest::newRow("format") << QByteArray("/sim/v1/webhooks/export?format=csv") << QStringLiteral("format must be ndjson or har");
        QTest::newRow("from") << QByteArray("/sim/v1/webhooks/export?from=yesterday") << QStringLiteral("from must be an ISO 8601 time, e.g. 2026-01-01T00:00:00Z");
        QTest::newRow("order") << QByteArray("/sim/v1/webhooks/export?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z") << QStringLiteral("from must be before to");
    }
    void badQueriesAreClearErrors()
    {
        QFETCH(QByteArray, path);
        QFETCH(QString, error);
        const Response r = get(path);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error(), error);
    }

    void oneDeliveryShowsItsBodyAndEveryAttempt()
    {
        const QJsonObject listed = h->webhooks("session_uuid=" + first.toUtf8()).at(0).toObject();
        const Response r = get("/sim/v1/webhooks/" + listed.value(QStringLiteral("id")).toString().toUtf8());
        QCOMPARE(r.status, 200);
        const QJsonObject w = r.json();
        for (const QString &key : listed.keys())
            QCOMPARE(w.value(key), listed.value(key));
        QCOMPARE(w.value(QStringLiteral("body")).toObject(), h->events(first).at(0).toObject());
        const QJsonArray attempts = w.value(QStringLiteral("attempts")).toArray();
        QCOMPARE(attempts.size(), 2);
        const QJsonObject failed = attempts.at(0).toObject();
        QCOMPARE(failed.keys(), (QStringList{QStringLiteral("at"), QStringLiteral("error"), QStringLiteral("fault"), QStringLiteral("latency_ms"),
                                             QStringLiteral("request_headers"), QStringLiteral("response_body"), QStringLiteral("response_headers"),
                                             QStringLiteral("status_code"), QStringLiteral("url")}));
        QCOMPARE(failed.value(QStringLiteral("at")).toString(), QStringLiteral("2026-01-01T00:00:00.000Z"));
        QCOMPARE(failed.value(QStringLiteral("url")).toString(), receiver->url(QStringLiteral("/hooks?app=demo")));
        QCOMPARE(failed.value(QStringLiteral("status_code")).toInt(), 500);
        QCOMPARE(failed.value(QStringLiteral("response_body")).toString(), QStringLiteral("not yet"));
        QCOMPARE(failed.value(QStringLiteral("response_headers")).toObject().value(QStringLiteral("Content-Type")).toString(), QStringLiteral("text/plain"));
        QCOMPARE(failed.value(QStringLiteral("error")), QJsonValue());
        QCOMPARE(failed.value(QStringLiteral("fault")), QJsonValue());
        const QJsonObject sent = failed.value(QStringLiteral("request_headers")).toObject();
        QCOMPARE(sent.value(QStringLiteral("webhook-id")).toString(), w.value(QStringLiteral("id")).toString());
        QVERIFY(sent.value(QStringLiteral("webhook-signature")).toString().startsWith(QStringLiteral("v1,")));
        QCOMPARE(attempts.at(1).toObject().value(QStringLiteral("at")).toString(), QStringLiteral("2026-01-01T00:00:00.500Z"));

        const Response missing = get("/sim/v1/webhooks/evt_missing");
        QCOMPARE(missing.status, 404);
        QCOMPARE(missing.error(), QStringLiteral("Webhook not found"));
    }

    void ndjsonExportHasOneDeliveryPerLine()
    {
        const Response r = get("/sim/v1/webhooks/export?format=ndjson&session_uuid=" + first.toUtf8());
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("Content-Type"), QByteArray("application/x-ndjson"));
        QVERIFY(r.body.endsWith('\n'));
        const QList<QByteArray> lines = r.body.trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        const QJsonArray listed = h->webhooks("session_uuid=" + first.toUtf8());
        for (int i = 0; i < 3; ++i) {
            const QJsonObject line = QJsonDocument::fromJson(lines.at(i)).object();
            QCOMPARE(line, h->webhook(listed.at(i).toObject().value(QStringLiteral("id")).toString()));
        }
        // The default format is NDJSON; a limit bounds it and says where to go on.
        const Response limited = get("/sim/v1/webhooks/export?limit=2");
        QCOMPARE(limited.body.trimmed().split('\n').size(), 2);
        QVERIFY(!limited.header("X-Next-Cursor").isEmpty());
        const Response rest = get("/sim/v1/webhooks/export?cursor=" + limited.header("X-Next-Cursor"));
        QCOMPARE(rest.body.trimmed().split('\n').size(), 3);
        QVERIFY(rest.header("X-Next-Cursor").isEmpty());
    }

    void harExportHasOneEntryPerAttempt()
    {
        const Response r = get("/sim/v1/webhooks/export?format=har");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("Content-Type"), QByteArray("application/json"));
        const QJsonObject log = r.json().value(QStringLiteral("log")).toObject();
        QCOMPARE(log.value(QStringLiteral("version")).toString(), QStringLiteral("1.2"));
        QCOMPARE(log.value(QStringLiteral("creator")).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("voicesim"));
        const QJsonArray entries = log.value(QStringLiteral("entries")).toArray();
        QCOMPARE(entries.size(), 6); // five events, the first one twice
        const QJsonObject e = entries.at(0).toObject();
        QCOMPARE(e.value(QStringLiteral("startedDateTime")).toString(), QStringLiteral("2026-01-01T00:00:00.000Z"));
        const QJsonObject request = e.value(QStringLiteral("request")).toObject();
        QCOMPARE(request.value(QStringLiteral("method")).toString(), QStringLiteral("POST"));
        QCOMPARE(request.value(QStringLiteral("url")).toString(), receiver->url(QStringLiteral("/hooks?app=demo")));
        QCOMPARE(request.value(QStringLiteral("queryString")).toArray().at(0).toObject(),
                 (QJsonObject{{QStringLiteral("name"), QStringLiteral("app")}, {QStringLiteral("value"), QStringLiteral("demo")}}));
        QCOMPARE(QJsonDocument::fromJson(request.value(QStringLiteral("postData")).toObject().value(QStringLiteral("text")).toString().toUtf8()).object(),
                 h->events(first).at(0).toObject());
        const QJsonObject response = e.value(QStringLiteral("response")).toObject();
        QCOMPARE(response.value(QStringLiteral("status")).toInt(), 500);
        QCOMPARE(response.value(QStringLiteral("statusText")).toString(), QStringLiteral("Internal Server Error"));
        QCOMPARE(response.value(QStringLiteral("content")).toObject().value(QStringLiteral("text")).toString(), QStringLiteral("not yet"));
        QCOMPARE(response.value(QStringLiteral("content")).toObject().value(QStringLiteral("mimeType")).toString(), QStringLiteral("text/plain"));
        QCOMPARE(e.value(QStringLiteral("_event")).toString(), QStringLiteral("call.new"));
        QCOMPARE(e.value(QStringLiteral("_sessionUuid")).toString(), first);
        QCOMPARE(entries.at(4).toObject().value(QStringLiteral("_roomId")).toString(), room);
    }

    void exportsSelectATimeRangeOrAStream()
    {
        // call.new at 0 ms and call.answered at 20 ms; the rest at 100 and 200 ms.
        QCOMPARE(get("/sim/v1/webhooks/export?to=2026-01-01T00:00:00.050Z").body.trimmed().split('\n').size(), 2);
        QCOMPARE(get("/sim/v1/webhooks/export?from=2026-01-01T00:00:01Z").body, QByteArray());
        const Response roomOnly = get("/sim/v1/webhooks/export?format=har&room_id=" + room.toUtf8());
        QCOMPARE(roomOnly.json().value(QStringLiteral("log")).toObject().value(QStringLiteral("entries")).toArray().size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestWebhooksApi)
#include "tst_webhooksapi.moc"
