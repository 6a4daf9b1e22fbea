// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apiresult.h"
#include "cooldowns.h"

#include <QJsonObject>
#include <QStringList>

#include <optional>

namespace VoiceSim {

// The session commands' synchronous rules: which paths exist, their rate groups and request
// validation (400s, with the exact strings of docs/api.md). Pure functions, no state.
namespace CommandRules {

bool isKnownCommand(const QString &command);
// The command's rate group (spec §4.2); record/stop's is configurable (C-RECORD-GROUP).
RateGroup groupOf(const QString &command, RateGroup recordStopGroup);
std::optional<ApiResult> validate(const QString &command, const QJsonObject &body);

// The urls of a playback-like body (playback/start, play_and_get_digits, room play): a
// non-empty array of at most 128 http(s) URLs of at most 2048 characters. On success fills urls.
std::optional<ApiResult> parseUrls(const QJsonObject &body, QStringList *urls, bool acceptPromptFiles = false);

// play_and_get_digits parameters with the defaults of C-DIGITS.
struct DigitParams
{
    int minDigits = 1;
    int maxDigits = 128;
    qint64 timeoutMs = 5000;
    qint64 interDigitTimeoutMs = 3000;
    QString terminators = QStringLiteral("#");
    int maxTries = 1;
};
DigitParams digitParams(const QJsonObject &body); // body already validated

// A Q.850 cause name as hangup takes it: ^[A-Z_]{1,64}$.
bool isValidCause(const QJsonValue &cause);

// True for a string of DTMF keys (0-9, A-D, *, #), and 'w' pauses when allowPause.
bool isDtmfString(const QString &keys, bool allowPause);

} // namespace CommandRules

} // namespace VoiceSim
