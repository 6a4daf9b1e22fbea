// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "settings.h"

#include <QString>

namespace VoiceSim {

// Keeps the generated keys of the default app, the admin key and the node hash in the data
// folder, so that voicesim answers with the same credentials after a restart (C-ADMIN: they are
// created on first start). Values given on the command line or in the settings file always win.
class CredentialStore
{
public:
    explicit CredentialStore(QString dataDir);

    // Whether credentials are kept at all: not with --ephemeral or --seed (a seed already makes
    // them reproducible), nor without a data folder.
    static bool appliesTo(const Settings &settings);

    // Fills what settings leave empty from the store.
    void load(Settings &settings) const;
    // Records the credentials in use; returns false and sets errorString() when it cannot.
    bool save(const QString &apiKey, const QString &adminKey, const QString &webhookSecret, const QString &node);
    QString errorString() const { return m_error; }
    QString filePath() const;

private:
    QString m_dataDir;
    QString m_error;
};

} // namespace VoiceSim
