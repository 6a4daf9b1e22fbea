// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "../events/event.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace VoiceSim {

// One application registered with the platform (C-ADMIN).
struct App
{
    QString id;
    QString apiKey;
    QString webhookUrl;
    QString webhookSecret;
    int rateLimit = 10'000; // requests per 1 s window (C-GLOBAL-RL)
    QStringList dids;       // DIDs routed to this app (C-INBOUND)
    EnvelopeShape envelope = EnvelopeShape::Default;
};

// The apps known to this instance and the DID routing table.
class AppRegistry
{
public:
    explicit AppRegistry(QString defaultAppId);

    const App *find(const QString &id) const;
    App &upsert(const QString &id); // existing app, or a new one with defaults
    bool remove(const QString &id);
    QList<App> apps() const;
    const QString &defaultAppId() const { return m_defaultAppId; }

    // The app an inbound call to this DID belongs to: an explicit route first, then the default
    // app; nullptr when neither exists.
    const App *routeDid(const QString &did) const;

    // ^[A-Za-z0-9_-]{1,64}$ (spec §1); checked by hand, it runs on every request.
    static bool isValidAppId(QByteArrayView id);
    // An absolute http or https URL with a host, at most 2048 characters.
    static bool isValidWebhookUrl(const QString &url);

    // Constant-time comparison of a presented key with the app's key.
    static bool keyMatches(const QString &expected, QByteArrayView presented);

private:
    QString m_defaultAppId;
    QHash<QString, App> m_apps;
    QList<QString> m_order; // creation order, for stable listings
};

} // namespace VoiceSim
