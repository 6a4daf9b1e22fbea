// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "mediaport.h"
#include "operation.h"
#include "session.h"

#include "../events/eventdata.h"

namespace VoiceSim {

// What the engine offers the command families it delegates to (media, conferences): live
// sessions, publishing on a session's stream, and media request ids.
class SessionHost
{
public:
    virtual ~SessionHost() = default;
    virtual Session *liveSession(const QString &uuid) = 0;
    virtual void publish(Session &session, const QString &type, const EventData &data) = 0;
    virtual void publishResult(Session &session, const Operation &op, bool success, const QString &error = {}) = 0;
    virtual MediaRequest newMediaRequest() = 0;
};

} // namespace VoiceSim
