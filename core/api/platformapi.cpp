// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "platformapi.h"

#include "jsonbody.h"
#include "../engine/appregistry.h"
#include "../engine/commandrules.h"
#include "../engine/engine.h"
#include "../engine/ratelimiter.h"


namespace VoiceSim {

PlatformApi::PlatformApi(AppRegistry &apps, RateLimiter &limiter, Engine &engine, int unauthenticatedLimit)
    : m_apps(apps)
    , m_limiter(limiter)
    , m_engine(engine)
    , m_unauthenticatedLimit(unauthenticatedLimit)
{
}

void PlatformApi::registerRoutes(Router &router)
{
    router.addGuard(QByteArrayLiteral("/api/v1/"), [this](const HttpRequest &request) { return authenticate(request); });
    router.addRoute(QByteArrayLiteral("POST"), QStringLiteral("/api/v1/sessions/{uuid}/commands/{*command}"),
                    [this](const HttpRequest &request, const PathParams &params) {
                        return sessionCommand(request, params);
                    });

    // C-ROOMS under C-ROOM-PATHS. Each handler checks the room, then the body.
    const QByteArray get = QByteArrayLiteral("GET");
    const QByteArray post = QByteArrayLiteral("POST");
    Conferences &rooms = m_engine.conferences();
    const auto appOf = [](const HttpRequest &request) { return QString::fromLatin1(request.header("X-App-ID")); };
    const auto roomOf = [](const PathParams &params) { return params.value(QStringLiteral("room_id")); };
    router.addRoute(post, QStringLiteral("/api/v1/conferences"), [&rooms, appOf](const HttpRequest &request, const PathParams &) {
        QJsonObject body;
        if (auto error = readJsonBody(request, body))
            return *error;
        return toHttp(rooms.create(appOf(request), body));
    });
    router.addRoute(get, QStringLiteral("/api/v1/conferences"), [&rooms, appOf](const HttpRequest &request, const PathParams &) {
        return toHttp(rooms.list(appOf(request)));
    });
    router.addRoute(get, QStringLiteral("/api/v1/conferences/{room_id}"), [&rooms, appOf, roomOf](const HttpRequest &request, const PathParams &params) {
        return toHttp(rooms.get(appOf(request), roomOf(params)));
    });
    router.addRoute(QByteArrayLiteral("DELETE"), QStringLiteral("/api/v1/conferences/{room_id}"),
                    [&rooms, appOf, roomOf](const HttpRequest &request, const PathParams &params) {
                        return toHttp(rooms.remove(appOf(request), roomOf(params)));
                    });
    // Body-taking room actions: the room is checked before the body is read.
    const auto withBody = [&rooms, appOf, roomOf](auto action) {
        return [&rooms, appOf, roomOf, action](const HttpRequest &request, const PathParams &params) {
            const QString appId = appOf(request);
            const QString roomId = roomOf(params);
            if (auto refusal = rooms.checkAccess(appId, roomId))
                return toHttp(*refusal);
            QJsonObject body;
            if (auto error = readJsonBody(request, body))
                return *error;
            return toHttp(action(appId, roomId, body));
        };
    };
    router.addRoute(post, QStringLiteral("/api/v1/conferences/{room_id}/play"),
                    withBody([&rooms](const QString &a, const QString &r, const QJsonObject &b) { return rooms.play(a, r, b); }));
    router.addRoute(post, QStringLiteral("/api/v1/conferences/{room_id}/pause"),
                    withBody([&rooms](const QString &a, const QString &r, const QJsonObject &) { return rooms.pause(a, r); }));
    router.addRoute(post, QStringLiteral("/api/v1/conferences/{room_id}/stop"),
                    withBody([&rooms](const QString &a, const QString &r, const QJsonObject &) { return rooms.stop(a, r); }));
    router.addRoute(post, QStringLiteral("/api/v1/conferences/{room_id}/volume"),
                    withBody([&rooms](const QString &a, const QString &r, const QJsonObject &b) { return rooms.setVolume(a, r, b); }));
}

std::optional<HttpResponse> PlatformApi::authenticate(const HttpRequest &request)
{
    const QByteArrayView rawAppId = request.header("X-App-ID");
    const QString appId = QString::fromLatin1(rawAppId);

    std::optional<ApiResult> failure;
    if (!request.hasHeader("X-App-ID"))
        failure = ApiResult::error(400, QStringLiteral("Missing X-App-ID header"));
    else if (!AppRegistry::isValidAppId(rawAppId))
        failure = ApiResult::error(400, QStringLiteral("Invalid X-App-ID format"));
    else if (!request.hasHeader("X-API-Key"))
        failure = ApiResult::error(401, QStringLiteral("Missing API key"));

    const App *app = failure ? nullptr : m_apps.find(appId);
    if (!failure && (!app || !AppRegistry::keyMatches(app->apiKey, request.header("X-API-Key"))))
        failure = ApiResult::error(401, QStringLiteral("Invalid API key"));

    // C-GLOBAL-RL: failed authentications have their own, much smaller window.
    if (failure) {
        if (const qint64 wait = m_limiter.hit(QStringLiteral("unauth|") + appId, request.peer, m_unauthenticatedLimit))
            return toHttp(ApiResult::rateLimited(QStringLiteral("global"), wait));
        return toHttp(*failure);
    }
    if (const qint64 wait = m_limiter.hit(appId, request.peer, app->rateLimit))
        return toHttp(ApiResult::rateLimited(QStringLiteral("global"), wait));
    return std::nullopt;
}

HttpResponse PlatformApi::sessionCommand(const HttpRequest &request, const PathParams &params)
{
    const QString command = params.value(QStringLiteral("command"));
    if (!CommandRules::isKnownCommand(command))
        return toHttp(ApiResult::error(400, QStringLiteral("Invalid command")));
    const QString appId = QString::fromLatin1(request.header("X-App-ID")); // validated ASCII
    const QString uuid = params.value(QStringLiteral("uuid"));
    if (auto refusal = m_engine.checkAccess(appId, uuid))
        return toHttp(*refusal);
    QJsonObject body;
    if (auto error = readJsonBody(request, body))
        return *error;
    return toHttp(m_engine.execute(appId, uuid, command, body));
}

} // namespace VoiceSim
