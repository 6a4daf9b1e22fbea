// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QRandomGenerator>
#include <QString>

#include <optional>

namespace VoiceSim {

// Generates ids and keys (C-IDS); with a seed, the same sequence on every run.
class IdGenerator
{
public:
    explicit IdGenerator(std::optional<quint64> seed = std::nullopt);

    bool isSeeded() const { return m_seeded; }
    QString uuid4();
    // A time-ordered UUID (RFC 9562 version 7) for epochMs, monotonic within a millisecond (a
    // 12-bit counter): ids made in order sort in order, so an index on them grows at its end.
    QString uuid7(qint64 epochMs);
    QString alphanumeric(int length);
    // Random bytes in standard base64, as Standard Webhooks secrets carry them.
    QString secret(int bytes);

private:
    QRandomGenerator m_rng;
    bool m_seeded;
    qint64 m_lastMs = -1;
    int m_counter = 0;
};

} // namespace VoiceSim
