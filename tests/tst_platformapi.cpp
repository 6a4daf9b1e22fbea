// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// The platform API's front door over real HTTP: authentication with the exact error strings,
// the check order of C-ORDER-CHECKS, the global rate limit (C-GLOBAL-RL, C-429), C-PATHS and
// multi-app isolation (404 vs 403).
#include "harness.h"

#include <QTest>

using namespace VoiceSim;
using namespace VoiceSim::Test;

namespace {

const QByteArray kOtherApp = "other-app";
const QByteArray kOtherKey = "other-key";
const QString kOtherDid = QStringLiteral("+15555550002");

} // namespace

class TestPlatformApi : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<Harness> h;

    QByteArray answerPath(const QString &uuid) { return "/api/v1/sessions/" + uuid.toUtf8() + "/commands/answer"; }
    void addOtherApp(int rateLimit = 10'000)
    {
        const Response r = h->createApp(kOtherApp, {{QStringLiteral("api_key"), QString::fromLatin1(kOtherKey)},
                                                    {QStringLiteral("dids"), QJsonArray{kOtherDid}},
                                                    {QStringLiteral("rate_limit"), rateLimit}});
        QCOMPARE(r.status, 200);
    }

private Q_SLOTS:
    void init() { h = std::make_unique<Harness>(); }
    void cleanup() { h.reset(); }

    void missingAppIdGives400()
    {
        const Response r = h->api().post(answerPath(QStringLiteral("x")), {{"X-API-Key", Harness::kApiKey}});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json(), (QJsonObject{{QStringLiteral("success"), false}, {QStringLiteral("error"), QStringLiteral("Missing X-App-ID header")}}));
    }

    void invalidAppIdFormatGives400_data()
    {
        QTest::addColumn<QByteArray>("appId");
        QTest::newRow("space") << QByteArray("my app");
        QTest::newRow("dot") << QByteArray("my.app");
        QTest::newRow("slash") << QByteArray("a/b");
        QTest::newRow("65 chars") << QByteArray(65, 'a');
        QTest::newRow("empty") << QByteArray();
    }
    void invalidAppIdFormatGives400()
    {
        QFETCH(QByteArray, appId);
        const Response r = h->api().post(answerPath(QStringLiteral("x")), Harness::appHeaders(appId));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error(), QStringLiteral("Invalid X-App-ID format"));
    }

    void appIdOf64CharactersIsWellFormed()
    {
        const Response r = h->api().post(answerPath(QStringLiteral("x")), Harness::appHeaders(QByteArray(64, 'a')));
        QCOMPARE(r.status, 401); // well-formed, but no such app
        QCOMPARE(r.error(), QStringLiteral("Invalid API key"));
    }

    void missingApiKeyGives401()
    {
        const Response r = h->api().post(answerPath(QStringLiteral("x")), {{"X-App-ID", Harness::kAppId}});
        QCOMPARE(r.status, 401);
        QCOMPARE(r.error(), QStringLiteral("Missing API key"));
    }

    void wrongApiKeyGives401()
    {
        const Response r = h->api().post(answerPath(QStringLiteral("x")), Harness::appHeaders(Harness::kAppId, "nope"));
        QCOMPARE(r.status, 401);
        QCOMPARE(r.error(), QStringLiteral("Invalid API key"));
    }

    void unknownAppGives401InvalidApiKey()
    {
        const Response r = h->api().post(answerPath(QStringLiteral("x")), Harness::appHeaders("ghost-app", Harness::kApiKey));
        QCOMPARE(r.status, 401);
        QCOMPARE(r.error(), QStringLiteral("Invalid API key"));
    }

    void appIdIsCheckedBeforeTheKey()
    {
        const Response r = h->api().post(answerPath(QStringLiteral("x")), {});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error(), QStringLiteral("Missing X-App-ID header"));
    }

    void authIsCheckedBeforeRouting()
    {
        const Response unauthenticated = h->api().request("GET", "/api/v1/nothing-here");
        QCOMPARE(unauthenticated.status, 400);
        QCOMPARE(unauthenticated.error(), QStringLiteral("Missing X-App-ID header"));
        const Response authenticated = h->api().request("GET", "/api/v1/nothing-here", Harness::appHeaders());
        QCOMPARE(authenticated.status, 404);
        QCOMPARE(authenticated.error(), QStringLiteral("Not found"));
    }

    void unknownCommandGives400BeforeTheSessionIsLookedUp()
    {
        const Response r = h->command(QStringLiteral("no-such-session"), "fly");
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error(), QStringLiteral("Invalid command"));
        const Response nested = h->command(QStringLiteral("no-such-session"), "playback/fly");
        QCOMPARE(nested.status, 400);
        QCOMPARE(nested.error(), QStringLiteral("Invalid command"));
    }

    void wrongMethodOnACommandGives405WithAllow()
    {
        const Response r = h->api().request("GET", answerPath(QStringLiteral("x")), Harness::appHeaders());
        QCOMPARE(r.status, 405);
        QCOMPARE(r.header("Allow"), QByteArray("POST"));
        QCOMPARE(r.error(), QStringLiteral("Method not allowed"));
    }

    void unknownSessionGives404()
    {
        const Response r = h->command(QStringLiteral("acW68-00000000-0000-4000-8000-000000000000"), "answer");
        QCOMPARE(r.status, 404);
        QCOMPARE(r.error(), QStringLiteral("Session not found"));
    }

    void anotherAppsSessionGives403()
    {
        addOtherApp();
        const QString theirs = h->newCall({{QStringLiteral("did"), kOtherDid}});
        QVERIFY(!theirs.isEmpty());
        const Response mine = h->command(theirs, "answer");
        QCOMPARE(mine.status, 403);
        QCOMPARE(mine.error(), QStringLiteral("Session belongs to another application"));
        const Response owner = h->command(theirs, "answer", {}, Harness::appHeaders(kOtherApp, kOtherKey));
        QCOMPARE(owner.status, 202);
    }

    void ownershipIsCheckedBeforeTheBody()
    {
        addOtherApp();
        const QString theirs = h->newCall({{QStringLiteral("did"), kOtherDid}});
        const QString mine = h->newCall();
        const QByteArray broken = "{not json";
        QCOMPARE(h->api().request("POST", answerPath(QStringLiteral("missing")), Harness::appHeaders(), broken).status, 404);
        QCOMPARE(h->api().request("POST", answerPath(theirs), Harness::appHeaders(), broken).status, 403);
        const Response own = h->api().request("POST", answerPath(mine), Harness::appHeaders(), broken);
        QCOMPARE(own.status, 400);
        QCOMPARE(own.error(), QStringLiteral("Invalid request body"));
    }

    void bodyMustBeAJsonObject_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("array") << QByteArray("[]");
        QTest::newRow("string") << QByteArray("\"answer\"");
        QTest::newRow("truncated") << QByteArray("{\"command_uid\": ");
        // The body is checked before its fields: a broken body with a bad uid is still a body error.
        QTest::newRow("broken with bad uid") << QByteArray("{\"command_uid\": \"a b\"");
    }
    void bodyMustBeAJsonObject()
    {
        QFETCH(QByteArray, body);
        const QString uuid = h->newCall();
        const Response r = h->api().request("POST", answerPath(uuid), Harness::appHeaders(), body);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error(), QStringLiteral("Invalid request body"));
    }

    void nonJsonContentTypeGives415()
    {
        const QString uuid = h->newCall();
        auto headers = Harness::appHeaders();
        headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/x-www-form-urlencoded")));
        const Response r = h->api().request("POST", answerPath(uuid), headers, "command_uid=x");
        QCOMPARE(r.status, 415);
        QCOMPARE(r.error(), QStringLiteral("Content-Type must be application/json"));
    }

    void jsonContentTypeWithCharsetIsAccepted()
    {
        const QString uuid = h->newCall();
        auto headers = Harness::appHeaders();
        headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json; charset=utf-8")));
        QCOMPARE(h->api().request("POST", answerPath(uuid), headers, "{}").status, 202);
    }

    void emptyBodyCountsAsAnEmptyObject()
    {
        const QString uuid = h->newCall();
        const Response r = h->api().request("POST", answerPath(uuid), Harness::appHeaders());
        QCOMPARE(r.status, 202);
    }

    void globalLimitCountsEveryAuthenticatedRequestPerWindow()
    {
        addOtherApp(5);
        const auto headers = Harness::appHeaders(kOtherApp, kOtherKey);
        for (int i = 0; i < 5; ++i)
            QCOMPARE(h->command(QStringLiteral("missing"), "answer", {}, headers).status, 404);
        const Response limited = h->command(QStringLiteral("missing"), "answer", {}, headers);
        QCOMPARE(limited.status, 429);
        QCOMPARE(limited.error(), QStringLiteral("Rate limit exceeded"));
        const QJsonObject detail = limited.json().value(QStringLiteral("detail")).toObject();
        QCOMPARE(detail.value(QStringLiteral("group")).toString(), QStringLiteral("global"));
        QCOMPARE(detail.value(QStringLiteral("retry_after_ms")).toInt(), 1000);
        QCOMPARE(limited.header("Retry-After"), QByteArray("1"));

        // Another app from the same address has its own window.
        QCOMPARE(h->command(QStringLiteral("missing"), "answer").status, 404);

        QCOMPARE(h->advance(400).status, 200);
        const Response later = h->command(QStringLiteral("missing"), "answer", {}, headers);
        QCOMPARE(later.status, 429);
        QCOMPARE(later.json().value(QStringLiteral("detail")).toObject().value(QStringLiteral("retry_after_ms")).toInt(), 600);
        QCOMPARE(h->advance(600).status, 200); // the next fixed window
        QCOMPARE(h->command(QStringLiteral("missing"), "answer", {}, headers).status, 404);
    }

    void failedAuthenticationHasATenPerSecondWindow()
    {
        const auto bad = Harness::appHeaders(Harness::kAppId, "wrong");
        for (int i = 0; i < 10; ++i)
            QCOMPARE(h->command(QStringLiteral("x"), "answer", {}, bad).status, 401);
        const Response limited = h->command(QStringLiteral("x"), "answer", {}, bad);
        QCOMPARE(limited.status, 429);
        QCOMPARE(limited.json().value(QStringLiteral("detail")).toObject().value(QStringLiteral("group")).toString(), QStringLiteral("global"));
        // The app itself, with the right key, is not locked out by someone guessing keys.
        QCOMPARE(h->command(QStringLiteral("x"), "answer").status, 404);
    }

    void healthNeedsNoKeyAndIsNeverRateLimited()
    {
        for (int i = 0; i < 30; ++i) {
            const Response r = h->api().request("GET", "/health");
            QCOMPARE(r.status, 200);
            QCOMPARE(r.json().value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
            QCOMPARE(r.json().value(QStringLiteral("version")).toString(), QStringLiteral(VOICESIM_VERSION));
            QVERIFY(r.json().value(QStringLiteral("uptime_s")).isDouble());
        }
        const Response head = h->api().request("HEAD", "/health");
        QCOMPARE(head.status, 200);
        QVERIFY(head.body.isEmpty());
        const Response post = h->api().request("POST", "/health");
        QCOMPARE(post.status, 405);
        QCOMPARE(post.header("Allow"), QByteArray("GET, HEAD"));
    }

    void pathsOutsideTheApisGive404WithoutAuth()
    {
        const Response r = h->api().request("GET", "/wp-admin");
        QCOMPARE(r.status, 404);
        QCOMPARE(r.json(), (QJsonObject{{QStringLiteral("success"), false}, {QStringLiteral("error"), QStringLiteral("Not found")}}));
        QCOMPARE(h->api().request("GET", "/api/v2/sessions").status, 404);
    }

    void adminAndControlPathsCheckOnlyTheAdminKey_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::newRow("admin") << QByteArray("/admin/apps");
        QTest::newRow("control") << QByteArray("/sim/v1/calls");
    }
    void adminAndControlPathsCheckOnlyTheAdminKey()
    {
        QFETCH(QByteArray, path);
        const Response missing = h->api().request("GET", path, Harness::appHeaders());
        QCOMPARE(missing.status, 401);
        QCOMPARE(missing.error(), QStringLiteral("Missing X-Admin-API-Key header"));
        const Response wrong = h->api().request("GET", path, {{"X-Admin-API-Key", Harness::kApiKey}});
        QCOMPARE(wrong.status, 401);
        QCOMPARE(wrong.error(), QStringLiteral("Invalid admin API key"));
        QCOMPARE(h->api().request("GET", path, Harness::adminHeaders()).status, 200);
    }
};

QTEST_GUILESS_MAIN(TestPlatformApi)
#include "tst_platformapi.moc"
