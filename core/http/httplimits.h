// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

namespace VoiceSim {

// Transport limits of voicesim's HTTP server (issue #2, docs/http-server.md).
struct HttpLimits
{
    quint32 maxHeaderBytes = 16 * 1024;
    quint64 maxBodyBytes = 1024 * 1024;
    qint64 stallTimeoutMs = 10'000;  // a started request that makes no progress for this long: 408
    qint64 idleTimeoutMs = 75'000;   // a keep-alive connection with no request for this long: closed
    qint64 maxPendingWriteBytes = 1024 * 1024; // stop reading pipelined requests past this
    qint64 lingerMs = 2000; // after a final answer, how long unread input is drained before closing
};

// Counters of one server, for diagnostics and for tests that wait on the server's progress.
struct HttpStats
{
    quint64 bytesReceived = 0;
    quint64 requests = 0;
    quint64 connectionsAccepted = 0;
};

} // namespace VoiceSim
