// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "appregistry.h"

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

bool AppRegistry::keyMatches(const QString &expected, const QString &presented)
{
    const QByteArray a = expected.toUtf8();
    const QByteArray b = presented.toUtf8();
    // The running time depends only on the presented length, never on where the keys differ.
    unsigned diff = unsigned(a.size() ^ b.size());
    for (qsizetype i = 0; i < b.size(); ++i)
        diff |= unsigned(uchar(b[i]) ^ uchar(a.isEmpty() ? 0 : a[i % a.size()]));
    return diff == 0 && !a.isEmpty();
}

} // namespace VoiceSim
