// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "webhookclient.h"

#include <QList>
#include <QString>

#include <optional>

namespace VoiceSim {

// When a failed webhook attempt is tried again (C-RETRY): a schedule of
// waits with jitter, Retry-After honoured on 429 and 503, and dead-lettering after the last
// retry. Pure: the caller passes the random draw and the time.
class RetryPolicy
{
public:
    enum class Preset {
        Default, // the contract: 0.5, 1, 2, 4, 8, 16, 32, 60 s, ±10 %
        Svix,    // 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, ±10 %
        None,    // one attempt only
    };

    static RetryPolicy preset(Preset preset);
    static QString presetName(Preset preset);
    static bool parsePreset(const QString &name, Preset *preset);

    // The same schedule with another jitter (a fraction, 0 for exact waits; default 0.1).
    RetryPolicy withJitter(double fraction) const;
    double jitter() const { return m_jitter; }

    int maxRetries() const { return int(m_delaysMs.size()); }
    const QList<qint64> &delaysMs() const { return m_delaysMs; }

    static bool isSuccess(const WebhookResponse &response);
    // A Retry-After (seconds or HTTP date) on a 429 or 503, in ms from nowEpochMs, capped at a day.
    static std::optional<qint64> retryAfterMs(const WebhookResponse &response, qint64 nowEpochMs);

    // The wait before the next attempt after failedAttempts attempts have failed, the last one
    // answering last; nullopt when no retry is left (dead letter). jitter01 is a uniform draw
    // in [0, 1): the scheduled wait is moved by up to ±jitter() (none for a Retry-After).
    std::optional<qint64> nextDelay(int failedAttempts, const WebhookResponse &last, qint64 nowEpochMs, double jitter01) const;

private:
    explicit RetryPolicy(QList<qint64> delaysMs)
        : m_delaysMs(std::move(delaysMs))
    {
    }
    QList<qint64> m_delaysMs;
    double m_jitter = 0.1;
};

} // namespace VoiceSim
