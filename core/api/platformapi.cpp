// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "platformapi.h"

#include "jsonbody.h"
#include "../engine/appregistry.h"
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
    if (!Engine::isKnownCommand(command))
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
