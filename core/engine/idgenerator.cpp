// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "idgenerator.h"

#include <QByteArray>
#include <QUuid>

namespace VoiceSim {

IdGenerator::IdGenerator(std::optional<quint64> seed)
    : m_rng(seed ? QRandomGenerator(quint32(*seed ^ (*seed >> 32)))
                 : QRandomGenerator(QRandomGenerator::system()->generate()))
    , m_seeded(seed.has_value())
{
}

QString IdGenerator::uuid4()
{
    QByteArray bytes(16, Qt::Uninitialized);
    m_rng.fillRange(reinterpret_cast<quint32 *>(bytes.data()), 4);
    bytes[6] = char((bytes[6] & 0x0F) | 0x40); // version 4
    bytes[8] = char((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
    return QUuid::fromRfc4122(bytes).toString(QUuid::WithoutBraces);
}

QString IdGenerator::alphanumeric(int length)
{
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString out;
    out.reserve(length);
    for (int i = 0; i < length; ++i)
        out.append(QLatin1Char(alphabet[m_rng.bounded(int(sizeof(alphabet) - 1))]));
    return out;
}

QString IdGenerator::secret(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    for (char &c : raw)
        c = char(m_rng.bounded(256));
    return QString::fromLatin1(raw.toBase64());
}

} // namespace VoiceSim
