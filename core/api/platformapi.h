// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "../http/router.h"

namespace VoiceSim {

class AppRegistry;
class Engine;
class RateLimiter;

// The platform's own API under /api/v1: authentication, the global rate limit and session
// commands, checked in the order of C-ORDER-CHECKS. Thin: the engine does the work.
class PlatformApi
{
public:
    PlatformApi(AppRegistry &apps, RateLimiter &limiter, Engine &engine, int unauthenticatedLimit = 10);

    void registerRoutes(Router &router);

private:
    std::optional<HttpResponse> authenticate(const HttpRequest &request);
    HttpResponse sessionCommand(const HttpRequest &request, const PathParams &params);

    AppRegistry &m_apps;
    RateLimiter &m_limiter;
    Engine &m_engine;
    int m_unauthenticatedLimit;
};

} // namespace VoiceSim
