// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "../http/router.h"

#include <optional>

namespace VoiceSim {

class AppRegistry;
class Clock;
class Engine;
class EventStream;
class RateLimiter;
class VirtualClock;
class WebhookDispatcher;
struct Session;

// The simulator's control API under /sim/v1 (contract §6): plays the caller's part, exposes
// events and the clock, injects faults, resets.
class ControlApi
{
public:
    ControlApi(Engine &engine, EventStream &events, AppRegistry &apps, RateLimiter &limiter,
               WebhookDispatcher &dispatcher, Clock &clock, VirtualClock *virtualClock, const QString &mediaDir = {});

    void registerRoutes(Router &router);

private:
    HttpResponse createCall(const HttpRequest &request);
    HttpResponse callerHangup(const HttpRequest &request, const QString &uuid);
    HttpResponse pressKeys(const HttpRequest &request, const QString &uuid);
    HttpResponse speak(const HttpRequest &request, const QString &uuid);
    HttpResponse heardAudio(const HttpRequest &request, const QString &uuid);
    HttpResponse listEvents(const HttpRequest &request);
    HttpResponse advanceClock(const HttpRequest &request);
    HttpResponse putFaults(const HttpRequest &request);
    std::optional<HttpResponse> readDeliveryFaults(const QJsonValue &value, struct DeliveryFaults *faults) const;
    QJsonObject callJson(const Session &session) const;
    QJsonObject mediaJson(const Session &session) const;
    QJsonObject faultsJson() const;
    QJsonObject clockJson() const;
    QString isoTime(qint64 engineMs) const;

    Engine &m_engine;
    EventStream &m_events;
    AppRegistry &m_apps;
    RateLimiter &m_limiter;
    WebhookDispatcher &m_dispatcher;
    Clock &m_clock;
    VirtualClock *m_virtualClock;
    QString m_mediaDir;
};

} // namespace VoiceSim
