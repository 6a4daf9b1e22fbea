// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "retrypolicy.h"

#include <QDateTime>

#include <cmath>

namespace VoiceSim {

namespace {

constexpr qint64 kSecond = 1000;
constexpr qint64 kMinute = 60 * kSecond;
constexpr qint64 kHour = 60 * kMinute;
constexpr qint64 kMaxRetryAfterMs = 24 * kHour;

} // namespace

RetryPolicy RetryPolicy::preset(Preset preset)
{
    switch (preset) {
    case Preset::Default:
        return RetryPolicy({500, kSecond, 2 * kSecond, 4 * kSecond, 8 * kSecond, 16 * kSecond, 32 * kSecond, 60 * kSecond});
    case Preset::Svix:
        return RetryPolicy({5 * kSecond, 5 * kMinute, 30 * kMinute, 2 * kHour, 5 * kHour, 10 * kHour, 10 * kHour});
    case Preset::None:
        return RetryPolicy({});
    }
    return RetryPolicy({});
}

QString RetryPolicy::presetName(Preset preset)
{
    switch (preset) {
    case Preset::Default:
        return QStringLiteral("default");
    case Preset::Svix:
        return QStringLiteral("svix");
    case Preset::None:
        return QStringLiteral("none");
    }
    return {};
}

bool RetryPolicy::parsePreset(const QString &name, Preset *preset)
{
    // The Standard Webhooks spec suggests the same schedule as Svix.
    if (name == QLatin1String("standard-webhooks")) {
        *preset = Preset::Svix;
        return true;
    }
    for (Preset p : {Preset::Default, Preset::Svix, Preset::None}) {
        if (presetName(p) == name) {
            *preset = p;
            return true;
        }
    }
    return false;
}

RetryPolicy RetryPolicy::withJitter(double fraction) const
{
    RetryPolicy copy = *this;
    copy.m_jitter = std::clamp(fraction, 0.0, 1.0);
    return copy;
}

bool RetryPolicy::isSuccess(const WebhookResponse &response)
{
    return response.outcome == WebhookResponse::Outcome::Response && response.status >= 200 && response.status < 300;
}

std::optional<qint64> RetryPolicy::retryAfterMs(const WebhookResponse &response, qint64 nowEpochMs)
{
    if (response.outcome != WebhookResponse::Outcome::Response || (response.status != 429 && response.status != 503))
        return std::nullopt;
    const QByteArray value = response.header("Retry-After").trimmed();
    if (value.isEmpty())
        return std::nullopt;
    bool isNumber = false;
    const qint64 seconds = value.toLongLong(&isNumber);
    if (isNumber)
        return seconds < 0 ? std::nullopt : std::optional<qint64>(std::min(seconds * kSecond, kMaxRetryAfterMs));
    // An HTTP date (RFC 9110 IMF-fixdate): RFC 2822 for Qt, once its "GMT" is a numeric zone.
    QString text = QString::fromLatin1(value);
    if (text.endsWith(QLatin1String(" GMT")))
        text = text.left(text.size() - 4) + QStringLiteral(" +0000");
    const QDateTime at = QDateTime::fromString(text, Qt::RFC2822Date);
    if (!at.isValid())
        return std::nullopt;
    return std::clamp<qint64>(at.toMSecsSinceEpoch() - nowEpochMs, 0, kMaxRetryAfterMs);
}

std::optional<qint64> RetryPolicy::nextDelay(int failedAttempts, const WebhookResponse &last, qint64 nowEpochMs,
                                             double jitter01) const
{
    const int retry = failedAttempts; // the first failure leads to retry 1
    if (retry < 1 || retry > maxRetries())
        return std::nullopt;
    if (const std::optional<qint64> asked = retryAfterMs(last, nowEpochMs))
        return *asked;
    const double scheduled = double(m_delaysMs.at(retry - 1));
    const double factor = 1.0 + m_jitter * (2.0 * std::clamp(jitter01, 0.0, 1.0) - 1.0);
    return qint64(std::llround(scheduled * factor));
}

} // namespace VoiceSim
