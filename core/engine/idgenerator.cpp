// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "idgenerator.h"

#include <QByteArray>

#include <cstring>

namespace VoiceSim {

IdGenerator::IdGenerator(std::optional<quint64> seed)
    : m_rng(seed ? QRandomGenerator(quint32(*seed ^ (*seed >> 32)))
                 : QRandomGenerator(QRandomGenerator::system()->generate()))
    , m_seeded(seed.has_value())
{
}

namespace {

QString formatUuid(const uchar (&bytes)[16])
{
    // Formatted here rather than through QUuid::toString(): ids are made several times per
    // command, and this is a quarter of the cost.
    static constexpr char hex[] = "0123456789abcdef";
    QString out(36, Qt::Uninitialized);
    QChar *p = out.data();
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            *p++ = QLatin1Char('-');
        *p++ = QLatin1Char(hex[bytes[i] >> 4]);
        *p++ = QLatin1Char(hex[bytes[i] & 0x0F]);
    }
    return out;
}

} // namespace

QString IdGenerator::uuid4()
{
    quint32 words[4];
    m_rng.fillRange(words);
    uchar bytes[16];
    std::memcpy(bytes, words, sizeof bytes);
    bytes[6] = uchar((bytes[6] & 0x0F) | 0x40); // version 4
    bytes[8] = uchar((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
    return formatUuid(bytes);
}

QString IdGenerator::uuid7(qint64 epochMs)
{
    if (epochMs > m_lastMs) {
        m_lastMs = epochMs;
        m_counter = 0;
    } else if (++m_counter > 0xFFF) {
        ++m_lastMs; // 4,096 ids in one millisecond: borrow the next one, order is kept
        m_counter = 0;
    }
    quint32 words[2];
    m_rng.fillRange(words);
    uchar bytes[16];
    for (int i = 0; i < 6; ++i)
        bytes[i] = uchar(quint64(m_lastMs) >> (40 - 8 * i));
    bytes[6] = uchar(0x70 | (m_counter >> 8)); // version 7, counter high bits
    bytes[7] = uchar(m_counter & 0xFF);
    std::memcpy(bytes + 8, words, 8);
    bytes[8] = uchar((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
    return formatUuid(bytes);
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
