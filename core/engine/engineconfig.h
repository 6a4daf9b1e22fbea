// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cooldowns.h"

#include <QString>

namespace VoiceSim {

// Engine timings and bounds; every contract timing is a default here (see docs/api.md).
struct EngineConfig
{
    QString nodeHash = QStringLiteral("vsim0"); // C-IDS
    qint64 deferredTimeoutMs = 2000;  // C-RESP / C-ANSWER
    qint64 disconnectDelayMs = 1000;  // C-DISCONNECT
    qint64 orphanTimeoutMs = 120'000; // C-ORPHAN
    RateGroup recordStopGroup = RateGroup::Heavy; // C-RECORD-GROUP
    int maxRememberedUids = 4096;     // per session
    int maxEndedSessions = 10'000;    // kept for queries after hangup
    QString recordingsDir;            // where recordings are written (C-RECORD)
    QString publicBaseUrl;            // how recording_url starts, e.g. http://127.0.0.1:8470
};

} // namespace VoiceSim
