// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "adminapi.h"

#include "jsonbody.h"
#include "../engine/appregistry.h"
#include "../engine/idgenerator.h"
#include "../webhooks/webhooksigner.h"

#include <QJsonArray>

namespace VoiceSim {

namespace {

const QString kSuccess = QStringLiteral("success");

} // namespace

AdminApi::AdminApi(AppRegistry &apps, IdGenerator &ids)
    : m_apps(apps)
    , m_ids(ids)
{
}

Router::Guard AdminApi::adminKeyGuard(QString adminKey)
{
    return [adminKey = std::move(adminKey)](const HttpRequest &request) -> std::optional<HttpResponse> {
        if (!request.hasHeader("X-Admin-API-Key"))
            return HttpResponse::error(401, QStringLiteral("Missing X-Admin-API-Key header"));
        if (!AppRegistry::keyMatches(adminKey, request.header("X-Admin-API-Key")))
            return HttpResponse::error(401, QStringLiteral("Invalid admin API key"));
        return std::nullopt;
    };
}

QJsonObject AdminApi::appJson(const App &app)
{
    // The API key is never echoed back (C-ADMIN); the webhook secret is, since the receiver
    // needs it to verify signatures.
    return {{QStringLiteral("app_id"), app.id},
            {QStringLiteral("webhook_url"), app.webhookUrl.isEmpty() ? QJsonValue() : QJsonValue(app.webhookUrl)},
            {QStringLiteral("webhook_secret"), app.webhookSecret},
            {QStringLiteral("rate_limit"), app.rateLimit},
            {QStringLiteral("dids"), QJsonArray::fromStringList(app.dids)},
            {QStringLiteral("envelope"), envelopeShapeName(app.envelope)}};
}

void AdminApi::registerRoutes(Router &router)
{
    router.addRoute(QByteArrayLiteral("GET"), QStringLiteral("/admin/apps"), [this](const HttpRequest &, const PathParams &) {
        QJsonArray list;
        for (const App &app : m_apps.apps())
            list.append(appJson(app));
        return HttpResponse::json(200, {{kSuccess, true}, {QStringLiteral("apps"), list}});
    });
    router.addRoute(QByteArrayLiteral("GET"), QStringLiteral("/admin/apps/{app_id}"), [this](const HttpRequest &, const PathParams &p) {
        const App *app = m_apps.find(p.value(QStringLiteral("app_id")));
        if (!app)
            return HttpResponse::error(404, QStringLiteral("App not found"));
        return HttpResponse::json(200, {{kSuccess, true}, {QStringLiteral("app"), appJson(*app)}});
    });
    router.addRoute(QByteArrayLiteral("POST"), QStringLiteral("/admin/apps/{app_id}"), [this](const HttpRequest &request, const PathParams &p) {
        return upsertApp(request, p.value(QStringLiteral("app_id")));
    });
    router.addRoute(QByteArrayLiteral("DELETE"), QStringLiteral("/admin/apps/{app_id}"), [this](const HttpRequest &, const PathParams &p) {
        const QString id = p.value(QStringLiteral("app_id"));
        if (!m_apps.remove(id))
            return HttpResponse::error(404, QStringLiteral("App not found"));
        return HttpResponse::json(200, {{kSuccess, true}, {QStringLiteral("app_id"), id}});
    });
}

HttpResponse AdminApi::upsertApp(const HttpRequest &request, const QString &appId)
{
    if (!AppRegistry::isValidAppId(appId.toUtf8()))
        return HttpResponse::error(400, QStringLiteral("Invalid app_id format"));
    QJsonObject body;
    if (auto error = readJsonBody(request, body))
        return *error;
    const bool isNew = m_apps.find(appId) == nullptr;

    // Validate everything before changing anything, so a bad field leaves the app as it was.
    const QJsonValue apiKey = body.value(QStringLiteral("api_key"));
    if (!apiKey.isUndefined() && (!apiKey.isString() || apiKey.toString().isEmpty() || apiKey.toString().size() > 256))
        return HttpResponse::error(400, QStringLiteral("api_key must be a non-empty string of at most 256 characters"));
    if (isNew && apiKey.isUndefined())
        return HttpResponse::error(400, QStringLiteral("api_key is required for a new app"));
    const QJsonValue url = body.value(QStringLiteral("webhook_url"));
    if (!url.isUndefined() && !url.isNull() && !(url.isString() && (url.toString().isEmpty() || AppRegistry::isValidWebhookUrl(url.toString()))))
        return HttpResponse::error(400, QStringLiteral("webhook_url must be an http or https URL"));
    const QJsonValue secret = body.value(QStringLiteral("webhook_secret"));
    if (!secret.isUndefined() && !(secret.isString() && WebhookSigner::fromSecret(secret.toString())))
        return HttpResponse::error(400, QStringLiteral("webhook_secret must be whsec_ followed by at least 16 base64-encoded bytes"));
    const QJsonValue rateLimit = body.value(QStringLiteral("rate_limit"));
    if (!rateLimit.isUndefined() && !isIntegerIn(rateLimit, 1, 1'000'000'000))
        return HttpResponse::error(400, QStringLiteral("rate_limit must be an integer between 1 and 1000000000"));
    const QJsonValue dids = body.value(QStringLiteral("dids"));
    if (!dids.isUndefined()) {
        bool valid = dids.isArray();
        for (const QJsonValue &did : dids.toArray())
            valid = valid && did.isString() && !did.toString().isEmpty();
        if (!valid)
            return HttpResponse::error(400, QStringLiteral("dids must be an array of non-empty strings"));
    }
    EnvelopeShape envelope = EnvelopeShape::Default;
    const QJsonValue envelopeValue = body.value(QStringLiteral("envelope"));
    if (!envelopeValue.isUndefined() && !parseEnvelopeShape(envelopeValue.toString(), &envelope))
        return HttpResponse::error(400, QStringLiteral("envelope must be default or flat"));

    App &app = m_apps.upsert(appId);
    if (apiKey.isString())
        app.apiKey = apiKey.toString();
    if (!url.isUndefined())
        app.webhookUrl = url.toString();
    if (secret.isString())
        app.webhookSecret = secret.toString();
    else if (app.webhookSecret.isEmpty())
        app.webhookSecret = QStringLiteral("whsec_") + m_ids.secret(24);
    if (!rateLimit.isUndefined())
        app.rateLimit = rateLimit.toInt();
    if (!dids.isUndefined()) {
        app.dids.clear();
        for (const QJsonValue &did : dids.toArray())
            app.dids.append(did.toString());
    }
    if (!envelopeValue.isUndefined())
        app.envelope = envelope;
    return HttpResponse::json(200, {{kSuccess, true}, {QStringLiteral("app"), appJson(app)}});
}

} // namespace VoiceSim
