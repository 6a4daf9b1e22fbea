// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// The admin API (C-ADMIN) over real HTTP: creating, updating, listing and deleting apps, with
// validation that leaves an app untouched on a bad field, and keys that are never echoed.
#include "harness.h"

#include <QTest>

using namespace VoiceSim;
using namespace VoiceSim::Test;

class TestAdminApi : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<Harness> h;

    Response get(const QByteArray &path) { return h->api().request("GET", path, Harness::adminHeaders()); }

private Q_SLOTS:
    void init() { h = std::make_unique<Harness>(); }
    void cleanup() { h.reset(); }

    void newAppNeedsAnApiKey()
    {
        const Response r = h->createApp("fresh", {});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error(), QStringLiteral("api_key is required for a new app"));
        QCOMPARE(get("/admin/apps/fresh").status, 404);
    }

    void createdAppIsReturnedWithoutItsKey()
    {
        const Response r = h->createApp("fresh", {{QStringLiteral("api_key"), QStringLiteral("fresh-key")},
                                                  {QStringLiteral("webhook_url"), QStringLiteral("http://127.0.0.1:9000/hook")},
                                                  {QStringLiteral("rate_limit"), 200}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value(QStringLiteral("success")).toBool(), true);
        const QJsonObject app = r.json().value(QStringLiteral("app")).toObject();
        QCOMPARE(app.value(QStringLiteral("app_id")).toString(), QStringLiteral("fresh"));
        QCOMPARE(app.value(QStringLiteral("webhook_url")).toString(), QStringLiteral("http://127.0.0.1:9000/hook"));
        QCOMPARE(app.value(QStringLiteral("rate_limit")).toInt(), 200);
        QCOMPARE(app.value(QStringLiteral("envelope")).toString(), QStringLiteral("default"));
        QVERIFY(app.value(QStringLiteral("webhook_secret")).toString().startsWith(QStringLiteral("whsec_")));
        QVERIFY(!app.contains(QStringLiteral("api_key")));
        QVERIFY(!r.body.contains("fresh-key"));
        QCOMPARE(get("/admin/apps/fresh").json().value(QStringLiteral("app")).toObject(), app);
    }

    void newKeyWorksAndReplacesTheOldOne()
    {
        QCOMPARE(h->createApp("fresh", {{QStringLiteral("api_key"), QStringLiteral("one")}}).status, 200);
        QCOMPARE(h->command(QStringLiteral("x"), "answer", {}, Harness::appHeaders("fresh", "one")).status, 404);
        QCOMPARE(h->createApp("fresh", {{QStringLiteral("api_key"), QStringLiteral("two")}}).status, 200);
        QCOMPARE(h->command(QStringLiteral("x"), "answer", {}, Harness::appHeaders("fresh", "one")).error(), QStringLiteral("Invalid API key"));
        QCOMPARE(h->command(QStringLiteral("x"), "answer", {}, Harness::appHeaders("fresh", "two")).status, 404);
    }

    void updateKeepsWhatItDoesNotName()
    {
        const Response created = h->createApp("fresh", {{QStringLiteral("api_key"), QStringLiteral("k")}, {QStringLiteral("rate_limit"), 7}});
        const QString secret = created.json().value(QStringLiteral("app")).toObject().value(QStringLiteral("webhook_secret")).toString();
        const Response updated = h->createApp("fresh", {{QStringLiteral("envelope"), QStringLiteral("flat")}});
        QCOMPARE(updated.status, 200);
        const QJsonObject app = updated.json().value(QStringLiteral("app")).toObject();
        QCOMPARE(app.value(QStringLiteral("rate_limit")).toInt(), 7);
        QCOMPARE(app.value(QStringLiteral("envelope")).toString(), QStringLiteral("flat"));
        QCOMPARE(app.value(QStringLiteral("webhook_secret")).toString(), secret);
    }

    void invalidFieldsGive400AndChangeNothing_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("error");
        QTest::newRow("rate_limit zero") << QByteArray(R"({"rate_limit": 0})") << QStringLiteral("rate_limit must be an integer between 1 and 1000000000");
        QTest::newRow("rate_limit fraction") << QByteArray(R"({"rate_limit": 1.5})") << QStringLiteral("rate_limit must be an integer between 1 and 1000000000");
        QTest::newRow("rate_limit string") << QByteArray(R"({"rate_limit": "9"})") << QStringLiteral("rate_limit must be an integer between 1 and 1000000000");
        QTest::newRow("webhook_url ftp") << QByteArray("{\"webhook_url\": \"ftp:/" "/x/y\"}") /* split: moc reads // as a comment */ << QStringLiteral("webhook_url must be an http or https URL");
        QTest::newRow("webhook_url relative") << QByteArray(R"({"webhook_url": "/hook"})") << QStringLiteral("webhook_url must be an http or https URL");
        QTest::newRow("secret prefix") << QByteArray(R"({"webhook_secret": "abc"})") << QStringLiteral("webhook_secret must be whsec_ followed by at least 16 base64-encoded bytes");
        QTest::newRow("secret short") << QByteArray(R"({"webhook_secret": "whsec_AAAA"})") << QStringLiteral("webhook_secret must be whsec_ followed by at least 16 base64-encoded bytes");
        QTest::newRow("dids numbers") << QByteArray(R"({"dids": [1]})") << QStringLiteral("dids must be an array of non-empty strings");
        QTest::newRow("dids string") << QByteArray(R"({"dids": "+1555"})") << QStringLiteral("dids must be an array of non-empty strings");
        QTest::newRow("envelope") << QByteArray(R"({"envelope": "xml"})") << QStringLiteral("envelope must be default or flat");
        QTest::newRow("api_key empty") << QByteArray(R"({"api_key": ""})") << QStringLiteral("api_key must be a non-empty string of at most 256 characters");
        QTest::newRow("bad json") << QByteArray("{") << QStringLiteral("Invalid request body");
    }
    void invalidFieldsGive400AndChangeNothing()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, error);
        const QJsonObject before = get("/admin/apps/demo-app").json();
        const Response r = h->api().request("POST", "/admin/apps/demo-app", Harness::adminHeaders(), body);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error(), error);
        QCOMPARE(get("/admin/apps/demo-app").json(), before);
    }

    void validFieldBesideABadOneIsNotApplied()
    {
        const Response r = h->api().request("POST", "/admin/apps/demo-app", Harness::adminHeaders(),
                                            R"({"rate_limit": 3, "envelope": "xml"})");
        QCOMPARE(r.status, 400);
        QCOMPARE(get("/admin/apps/demo-app").json().value(QStringLiteral("app")).toObject().value(QStringLiteral("rate_limit")).toInt(), 10000);
    }

    void invalidAppIdGives400()
    {
        const Response r = h->createApp("bad.app", {{QStringLiteral("api_key"), QStringLiteral("k")}});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error(), QStringLiteral("Invalid app_id format"));
    }

    void listGetAndDelete()
    {
        QCOMPARE(h->createApp("second", {{QStringLiteral("api_key"), QStringLiteral("k2")}}).status, 200);
        const QJsonArray apps = get("/admin/apps").json().value(QStringLiteral("apps")).toArray();
        QCOMPARE(apps.size(), 2);
        QCOMPARE(apps.at(0).toObject().value(QStringLiteral("app_id")).toString(), QStringLiteral("demo-app"));
        QCOMPARE(apps.at(1).toObject().value(QStringLiteral("app_id")).toString(), QStringLiteral("second"));

        const Response missing = get("/admin/apps/none");
        QCOMPARE(missing.status, 404);
        QCOMPARE(missing.error(), QStringLiteral("App not found"));

        const Response deleted = h->api().request("DELETE", "/admin/apps/second", Harness::adminHeaders());
        QCOMPARE(deleted.status, 200);
        QCOMPARE(deleted.json(), (QJsonObject{{QStringLiteral("success"), true}, {QStringLiteral("app_id"), QStringLiteral("second")}}));
        QCOMPARE(h->api().request("DELETE", "/admin/apps/second", Harness::adminHeaders()).status, 404);
        QCOMPARE(h->command(QStringLiteral("x"), "answer", {}, Harness::appHeaders("second", "k2")).error(), QStringLiteral("Invalid API key"));
    }

    void wrongMethodGives405()
    {
        const Response r = h->api().request("PATCH", "/admin/apps/demo-app", Harness::adminHeaders());
        QCOMPARE(r.status, 405);
        QCOMPARE(r.header("Allow"), QByteArray("DELETE, GET, HEAD, POST"));
    }
};

QTEST_GUILESS_MAIN(TestAdminApi)
#include "tst_adminapi.moc"
