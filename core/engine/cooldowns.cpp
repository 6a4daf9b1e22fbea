// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "cooldowns.h"

#include "../clock/clock.h"

namespace VoiceSim {

QString rateGroupName(RateGroup group)
{
    switch (group) {
    case RateGroup::None: return {};
    case RateGroup::Seek: return QStringLiteral("seek");
    case RateGroup::Playback: return QStringLiteral("playback");
    case RateGroup::Heavy: return QStringLiteral("heavy");
    case RateGroup::Conference: return QStringLiteral("conference");
    case RateGroup::ConferenceMute: return QStringLiteral("conference_mute");
    case RateGroup::ConferencePlay: return QStringLiteral("conference_play");
    case RateGroup::ConferenceControl: return QStringLiteral("conference_control");
    }
    return {};
}

Cooldowns::Cooldowns(Clock &clock)
    : m_clock(clock)
{
    // Spec §4.2 defaults; every one is configurable.
    m_durations = {{RateGroup::Seek, 100},          {RateGroup::Playback, 500},
                   {RateGroup::Heavy, 2000},        {RateGroup::Conference, 2000},
                   {RateGroup::ConferenceMute, 2000}, {RateGroup::ConferencePlay, 2000},
                   {RateGroup::ConferenceControl, 200}};
}

void Cooldowns::setDuration(RateGroup group, qint64 ms)
{
    m_durations.insert(group, ms);
}

qint64 Cooldowns::duration(RateGroup group) const
{
    return m_durations.value(group, 0);
}

qint64 Cooldowns::remaining(const QString &scope, RateGroup group) const
{
    if (group == RateGroup::None)
        return 0;
    const auto scopeIt = m_until.constFind(scope);
    if (scopeIt == m_until.cend())
        return 0;
    const qint64 until = scopeIt->value(group, 0);
    return std::max<qint64>(0, until - m_clock.nowMs());
}

void Cooldowns::start(const QString &scope, RateGroup group)
{
    if (group == RateGroup::None)
        return;
    m_until[scope].insert(group, m_clock.nowMs() + duration(group));
}

void Cooldowns::forget(const QString &scope)
{
    m_until.remove(scope);
}

} // namespace VoiceSim
