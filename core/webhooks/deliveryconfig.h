// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "retrypolicy.h"

namespace VoiceSim {

// Delivery faults for testing receivers (C-CHAOS): each a probability per attempt, off by default.
struct DeliveryFaults
{
    double duplicate = 0;      // the same request goes out twice
    double reorder = 0;        // the event does not wait for its stream's earlier events
    double delay = 0;          // the attempt waits delayMs before it goes out
    double drop = 0;           // the attempt never goes out and counts as failed
    double badSignature = 0;   // signed with a wrong key
    double staleTimestamp = 0; // webhook-timestamp ten minutes in the past
    qint64 delayMs = 1000;

    bool any() const { return duplicate + reorder + delay + drop + badSignature + staleTimestamp > 0; }
};

// How deliveries are made (contract §5); the settings fill it in.
struct DispatcherConfig
{
    RetryPolicy::Preset retryPreset = RetryPolicy::Preset::Default;
    double retryJitter = 0.1;         // C-RETRY: ±10 %; 0 gives the exact schedule
    qint64 attemptTimeoutMs = 10'000; // C-HTTP
    int maxInFlight = 64;             // attempts on the wire at once, over all streams (C-FIFO)
    qsizetype maxQueued = 100'000;    // events held in memory; later ones wait in the journal only
    // webhook-timestamp from the wall clock (what receivers check against their own clock), or
    // from the engine clock (byte-for-byte repeatable requests with a seed and a virtual clock).
    bool wallClockTimestamps = true;
    // With a virtual clock, how long (wall ms) time waits for attempts on the wire to answer
    // before it moves (C-CLOCK); an attempt is waited for once, so a hanging receiver costs this
    // once and then times out in virtual time.
    int settleWaitMs = 1000;
};

} // namespace VoiceSim
