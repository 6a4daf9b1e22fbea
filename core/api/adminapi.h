// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "../http/router.h"

namespace VoiceSim {

class AppRegistry;
class IdGenerator;
struct App;

// The admin API under /admin (C-ADMIN): apps, their keys, webhooks, limits and DIDs.
class AdminApi
{
public:
    AdminApi(AppRegistry &apps, IdGenerator &ids);

    void registerRoutes(Router &router);

    // The X-Admin-API-Key check shared by /admin and /sim/v1 (C-PATHS).
    static Router::Guard adminKeyGuard(QString adminKey);
    static QJsonObject appJson(const App &app);

private:
    HttpResponse upsertApp(const HttpRequest &request, const QString &appId);

    AppRegistry &m_apps;
    IdGenerator &m_ids;
};

} // namespace VoiceSim
