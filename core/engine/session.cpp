// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "session.h"

namespace VoiceSim {

QString callStateName(CallState state)
{
    switch (state) {
    case CallState::Ringing: return QStringLiteral("ringing");
    case CallState::Answered: return QStringLiteral("answered");
    case CallState::Ended: return QStringLiteral("ended");
    }
    return {};
}

QString dtmfModeName(DtmfMode mode)
{
    return mode == DtmfMode::Inband ? QStringLiteral("inband") : QStringLiteral("rfc4733");
}

bool parseDtmfMode(const QString &name, DtmfMode *mode)
{
    if (name == QLatin1String("rfc4733")) {
        *mode = DtmfMode::Rfc4733;
        return true;
    }
    if (name == QLatin1String("inband")) {
        *mode = DtmfMode::Inband;
        return true;
    }
    return false;
}

} // namespace VoiceSim
