// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

namespace VoiceSim {

// A live caller attached to one call: its voice goes up the call, what the call sends down
// comes back to it, one 20 ms frame of 8 kHz mono at a time, on the media engine's thread.
class AudioEndpoint
{
public:
    virtual ~AudioEndpoint() = default;
    // Adds the caller's next samples to frame (samples long); the endpoint pads what it lacks.
    virtual void readUpstream(qint32 *frame, int samples) = 0;
    virtual void writeDownstream(const qint16 *frame, int samples) = 0;
};

} // namespace VoiceSim
