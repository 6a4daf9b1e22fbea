// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "webhooksigner.h"

#include <QMessageAuthenticationCode>

namespace VoiceSim {

WebhookSigner::WebhookSigner(QByteArray key)
    : m_key(std::move(key))
{
}

std::optional<WebhookSigner> WebhookSigner::fromSecret(const QString &secret)
{
    static const QLatin1StringView prefix("whsec_");
    if (!secret.startsWith(prefix))
        return std::nullopt;
    auto decoded = QByteArray::fromBase64Encoding(secret.mid(prefix.size()).toLatin1(),
                                                  QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() < 16)
        return std::nullopt;
    return WebhookSigner(std::move(decoded.decoded));
}

QByteArray WebhookSigner::signature(const QByteArray &id, qint64 timestampSeconds, const QByteArray &body) const
{
    QMessageAuthenticationCode mac(QCryptographicHash::Sha256, m_key);
    mac.addData(id);
    mac.addData(".");
    mac.addData(QByteArray::number(timestampSeconds));
    mac.addData(".");
    mac.addData(body);
    return "v1," + mac.result().toBase64();
}

WebhookSigner::Headers WebhookSigner::headers(const QByteArray &id, qint64 timestampSeconds, const QByteArray &body) const
{
    return {{QByteArrayLiteral("webhook-id"), id},
            {QByteArrayLiteral("webhook-timestamp"), QByteArray::number(timestampSeconds)},
            {QByteArrayLiteral("webhook-signature"), signature(id, timestampSeconds, body)}};
}

} // namespace VoiceSim
