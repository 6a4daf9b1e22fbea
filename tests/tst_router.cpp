// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// The route table: parameters, %2F, 404, 405 with Allow, HEAD, guards.
#include <http/router.h>

#include <QJsonDocument>
#include <QTest>

using namespace VoiceSim;

namespace {

HttpRequest request(const QByteArray &method, const QByteArray &path)
{
    HttpRequest r;
    r.method = method;
    r.target = path;
    r.path = path;
    return r;
}

QString errorOf(const HttpResponse &response)
{
    return QJsonDocument::fromJson(response.body).object().value(QStringLiteral("error")).toString();
}

} // namespace

class TestRouter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void capturesDecodedSegmentsWithoutSplittingOnEncodedSlash()
    {
        Router router;
        PathParams seen;
        router.addRoute("GET", QStringLiteral("/items/{id}"), [&](const HttpRequest &, const PathParams &p) {
            seen = p;
            return HttpResponse::json(200, {});
        });
        QCOMPARE(router.handle(request("GET", "/items/a%2Fb")).status, 200);
        QCOMPARE(seen.value(QStringLiteral("id")), QStringLiteral("a/b"));
        QCOMPARE(router.handle(request("GET", "/items/a/b")).status, 404);
        QCOMPARE(router.handle(request("GET", "/items/")).status, 404);
    }

    void tailCapturesTheRestOfThePath()
    {
        Router router;
        QString command;
        router.addRoute("POST", QStringLiteral("/s/{uuid}/commands/{*command}"), [&](const HttpRequest &, const PathParams &p) {
            command = p.value(QStringLiteral("command"));
            return HttpResponse::json(202, {});
        });
        QCOMPARE(router.handle(request("POST", "/s/u1/commands/playback/start")).status, 202);
        QCOMPARE(command, QStringLiteral("playback/start"));
        QCOMPARE(router.handle(request("POST", "/s/u1/commands")).status, 404);
    }

    void unknownPathIs404NotFound()
    {
        Router router;
        const HttpResponse response = router.handle(request("GET", "/nowhere"));
        QCOMPARE(response.status, 404);
        QCOMPARE(errorOf(response), QStringLiteral("Not found"));
    }

    void wrongMethodIs405WithAllow()
    {
        Router router;
        const auto ok = [](const HttpRequest &, const PathParams &) { return HttpResponse::json(200, {}); };
        router.addRoute("GET", QStringLiteral("/x"), ok);
        router.addRoute("PUT", QStringLiteral("/x"), ok);
        const HttpResponse response = router.handle(request("DELETE", "/x"));
        QCOMPARE(response.status, 405);
        QCOMPARE(errorOf(response), QStringLiteral("Method not allowed"));
        QCOMPARE(response.header("Allow"), QByteArray("GET, HEAD, PUT"));
    }

    void headIsServedByGetRoutes()
    {
        Router router;
        router.addRoute("GET", QStringLiteral("/x"), [](const HttpRequest &, const PathParams &) { return HttpResponse::json(200, {{QStringLiteral("a"), 1}}); });
        QCOMPARE(router.handle(request("HEAD", "/x")).status, 200);
    }

    void headersAreFoundCaseInsensitivelyFirstOneWins()
    {
        HttpRequest r = request("GET", "/");
        r.addHeader("X-App-ID", "first");
        r.addHeader("Empty", "");
        r.addHeader("x-app-id", "second");
        QCOMPARE(r.header("x-APP-id"), QByteArrayView("first"));
        QVERIFY(r.hasHeader("empty"));
        QVERIFY(r.header("Empty").isEmpty());
        QVERIFY(!r.hasHeader("Missing"));
        const HttpRequest copy = r; // views stay valid in copies
        QCOMPARE(copy.header("X-App-Id"), QByteArrayView("first"));
    }

    void guardRunsBeforeRoutingUnderItsPrefixOnly()
    {
        Router router;
        router.addRoute("GET", QStringLiteral("/api/v1/x"), [](const HttpRequest &, const PathParams &) { return HttpResponse::json(200, {}); });
        router.addGuard("/api/v1/", [](const HttpRequest &r) -> std::optional<HttpResponse> {
            if (r.header("X-Key") != "k")
                return HttpResponse::error(401, QStringLiteral("no"));
            return std::nullopt;
        });
        QCOMPARE(router.handle(request("GET", "/api/v1/x")).status, 401);
        QCOMPARE(router.handle(request("GET", "/api/v1/unknown")).status, 401); // auth before 404
        HttpRequest authed = request("GET", "/api/v1/unknown");
        authed.addHeader("x-key", "k");
        QCOMPARE(router.handle(authed).status, 404);
        QCOMPARE(router.handle(request("GET", "/other")).status, 404);
    }
};

QTEST_GUILESS_MAIN(TestRouter)
#include "tst_router.moc"
