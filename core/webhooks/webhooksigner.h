// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <optional>

namespace VoiceSim {

// Signs webhook deliveries the Standard Webhooks way (C-HTTP): HMAC-SHA256 over
// "<id>.<timestamp>.<body>" with the app's whsec_ secret, sent as webhook-id,
// webhook-timestamp and webhook-signature ("v1,<base64>").
class WebhookSigner
{
public:
    using Headers = QList<QPair<QByteArray, QByteArray>>;

    // nullopt unless secret is "whsec_" followed by base64 of at least 16 bytes.
    static std::optional<WebhookSigner> fromSecret(const QString &secret);

    QByteArray signature(const QByteArray &id, qint64 timestampSeconds, const QByteArray &body) const;
    // The three Standard Webhooks headers for one attempt.
    Headers headers(const QByteArray &id, qint64 timestampSeconds, const QByteArray &body) const;

private:
    explicit WebhookSigner(QByteArray key);

    QByteArray m_key;
};

} // namespace VoiceSim
