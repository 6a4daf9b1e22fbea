// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QString>

namespace VoiceSim {

class Clock;

// The platform's rate groups (spec §4.2): commands of one group share a cooldown per session
// or per room.
enum class RateGroup { None, Seek, Playback, Heavy, Conference, ConferenceMute, ConferencePlay, ConferenceControl };

QString rateGroupName(RateGroup group);

// Cooldown windows per (scope, group). A rejected request does not restart the window; only
// accepted commands call start() (C-ORDER-CHECKS).
class Cooldowns
{
public:
    explicit Cooldowns(Clock &clock);

    void setDuration(RateGroup group, qint64 ms);
    qint64 duration(RateGroup group) const;

    // Milliseconds left in the scope's window for the group, 0 when a command may run.
    qint64 remaining(const QString &scope, RateGroup group) const;
    void start(const QString &scope, RateGroup group);
    void forget(const QString &scope);
    void clear() { m_until.clear(); }

private:
    Clock &m_clock;
    QHash<RateGroup, qint64> m_durations;
    QHash<QString, QHash<RateGroup, qint64>> m_until;
};

} // namespace VoiceSim
