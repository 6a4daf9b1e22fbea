// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "appregistry.h"

#include <QUrl>

#include <algorithm>

namespace VoiceSim {

AppRegistry::AppRegistry(QString defaultAppId)
    : m_defaultAppId(std::move(defaultAppId))
{
}

const App *AppRegistry::find(const QString &id) const
{
    const auto it = m_apps.constFind(id);
    return it == m_apps.cend() ? nullptr : &*it;
}

App &AppRegistry::upsert(const QString &id)
{
    auto it = m_apps.find(id);
    if (it == m_apps.end()) {
        it = m_apps.insert(id, App{});
        it->id = id;
        m_order.append(id);
    }
    return *it;
}

bool AppRegistry::remove(const QString &id)
{
    m_order.removeOne(id);
    return m_apps.remove(id) > 0;
}

QList<App> AppRegistry::apps() const
{
    QList<App> out;
    out.reserve(m_order.size());
    for (const QString &id : m_order)
        out.append(m_apps.value(id));
    return out;
}

const App *AppRegistry::routeDid(const QString &did) const
{
    for (const QString &id : m_order) {
        const App *app = find(id);
        if (app && app->dids.contains(did))
            return app;
    }
    return find(m_defaultAppId);
}

bool AppRegistry::isValidAppId(QByteArrayView id)
{
    if (id.isEmpty() || id.size() > 64)
        return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

bool AppRegistry::isValidWebhookUrl(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    return url.isValid() && (url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https"))
        && !url.host().isEmpty() && text.size() <= 2048;
}

bool AppRegistry::keyMatches(const QString &expected, QByteArrayView presented)
{
    if (expected.isEmpty())
        return false;
    // Runs on every request: compare ASCII keys in place; only other keys pay for a conversion.
    const bool ascii = std::all_of(expected.cbegin(), expected.cend(), [](QChar c) { return c.unicode() < 0x80; });
    const QByteArray utf8 = ascii ? QByteArray() : expected.toUtf8();
    const qsizetype size = ascii ? expected.size() : utf8.size();
    const auto unit = [&](qsizetype i) { return ascii ? unsigned(expected.at(i).unicode()) : unsigned(uchar(utf8.at(i))); };
    // The running time depends only on the presented length, never on where the keys differ.
    unsigned diff = unsigned(size ^ presented.size());
    for (qsizetype i = 0; i < presented.size(); ++i)
        diff |= unsigned(uchar(presented[i])) ^ unit(i % size);
    return diff == 0;
}

} // namespace VoiceSim
