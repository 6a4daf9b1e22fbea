// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "credentialstore.h"

#include <QDir>
#include <QFile>
#include <QSettings>

namespace VoiceSim {

CredentialStore::CredentialStore(QString dataDir)
    : m_dataDir(std::move(dataDir))
{
}

bool CredentialStore::appliesTo(const Settings &settings)
{
    return !settings.ephemeral && !settings.seed && !settings.dataDir.isEmpty();
}

QString CredentialStore::filePath() const
{
    return m_dataDir + QStringLiteral("/credentials.ini");
}

void CredentialStore::load(Settings &settings) const
{
    if (!QFile::exists(filePath()))
        return;
    const QSettings file(filePath(), QSettings::IniFormat);
    const auto fill = [&file](QString &target, const QString &key) {
        if (target.isEmpty())
            target = file.value(key).toString();
    };
    fill(settings.apiKey, QStringLiteral("api-key"));
    fill(settings.adminKey, QStringLiteral("admin-key"));
    fill(settings.webhookSecret, QStringLiteral("webhook-secret"));
    fill(settings.node, QStringLiteral("node"));
}

bool CredentialStore::save(const QString &apiKey, const QString &adminKey, const QString &webhookSecret,
                           const QString &node)
{
    if (!QDir().mkpath(m_dataDir)) {
        m_error = QStringLiteral("cannot create the data folder ") + m_dataDir;
        return false;
    }
    QSettings file(filePath(), QSettings::IniFormat);
    file.setValue(QStringLiteral("api-key"), apiKey);
    file.setValue(QStringLiteral("admin-key"), adminKey);
    file.setValue(QStringLiteral("webhook-secret"), webhookSecret);
    file.setValue(QStringLiteral("node"), node);
    file.sync();
    if (file.status() != QSettings::NoError) {
        m_error = QStringLiteral("cannot write ") + filePath();
        return false;
    }
    QFile::setPermissions(filePath(), QFile::ReadOwner | QFile::WriteOwner); // keys: owner only
    return true;
}

} // namespace VoiceSim
