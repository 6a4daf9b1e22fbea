// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "commandrules.h"

#include "../api/jsonbody.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace VoiceSim::CommandRules {

namespace {

const QStringList kCommands = {
    QStringLiteral("answer"), QStringLiteral("hangup"), QStringLiteral("disconnect"),
    QStringLiteral("playback/start"), QStringLiteral("playback/stop"), QStringLiteral("playback/pause"),
    QStringLiteral("playback/resume"), QStringLiteral("playback/seek"), QStringLiteral("playback/restart"),
    QStringLiteral("playback/silence"), QStringLiteral("play_and_get_digits"),
    QStringLiteral("record/start"), QStringLiteral("record/stop"),
    QStringLiteral("conference/join"), QStringLiteral("conference/leave"),
    QStringLiteral("conference/mute"), QStringLiteral("conference/unmute")};

constexpr QLatin1StringView kCommandUid("command_uid");

bool isValidCommandUid(const QJsonValue &value)
{
    static const QRegularExpression pattern(QStringLiteral("^[a-zA-Z0-9._-]{1,128}$"));
    return value.isString() && pattern.match(value.toString()).hasMatch();
}

std::optional<ApiResult> bad(const QString &message)
{
    return ApiResult::error(400, message);
}

// An optional integer field within [min, max]: the error names the field and the range.
std::optional<ApiResult> checkRange(const QJsonObject &body, const QString &field, qint64 min, qint64 max)
{
    const QJsonValue value = body.value(field);
    if (value.isUndefined() || isIntegerIn(value, min, max))
        return std::nullopt;
    return bad(field + QStringLiteral(" must be an integer between ") + QString::number(min) + QStringLiteral(" and ")
               + QString::number(max));
}

std::optional<ApiResult> validateDigits(const QJsonObject &body)
{
    QStringList urls;
    if (auto invalid = parseUrls(body, &urls, true))
        return invalid;
    if (auto invalid = checkRange(body, QStringLiteral("min_digits"), 1, 128))
        return invalid;
    const qint64 minDigits = qint64(body.value(QStringLiteral("min_digits")).toDouble(1));
    const QJsonValue maxDigits = body.value(QStringLiteral("max_digits"));
    if (!maxDigits.isUndefined() && !isIntegerIn(maxDigits, minDigits, 128))
        return bad(QStringLiteral("max_digits must be an integer between min_digits and 128"));
    if (auto invalid = checkRange(body, QStringLiteral("timeout_ms"), 100, 600'000))
        return invalid;
    if (auto invalid = checkRange(body, QStringLiteral("inter_digit_timeout_ms"), 100, 600'000))
        return invalid;
    const QJsonValue terminators = body.value(QStringLiteral("terminators"));
    if (!terminators.isUndefined() && (!terminators.isString() || !isDtmfString(terminators.toString(), false)))
        return bad(QStringLiteral("terminators must be a string of keys from 0-9, A-D, * and #"));
    return checkRange(body, QStringLiteral("max_tries"), 1, 10);
}

} // namespace

bool isValidCause(const QJsonValue &cause)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Z_]{1,64}$"));
    return cause.isString() && pattern.match(cause.toString()).hasMatch();
}

bool isKnownCommand(const QString &command)
{
    return kCommands.contains(command);
}

RateGroup groupOf(const QString &command, RateGroup recordStopGroup)
{
    if (command == QLatin1String("record/stop"))
        return recordStopGroup;
    if (command == QLatin1String("playback/start") || command == QLatin1String("playback/silence"))
        return RateGroup::Playback;
    if (command.startsWith(QLatin1String("playback/")))
        return RateGroup::Seek;
    if (command == QLatin1String("record/start") || command == QLatin1String("play_and_get_digits"))
        return RateGroup::Heavy;
    if (command == QLatin1String("conference/join") || command == QLatin1String("conference/leave"))
        return RateGroup::Conference;
    if (command == QLatin1String("conference/mute") || command == QLatin1String("conference/unmute"))
        return RateGroup::ConferenceMute;
    return RateGroup::None; // answer, hangup, disconnect: global limit only
}

bool isDtmfString(const QString &keys, bool allowPause)
{
    for (const QChar key : keys) {
        const bool ok = (key >= QLatin1Char('0') && key <= QLatin1Char('9')) || (key >= QLatin1Char('A') && key <= QLatin1Char('D'))
            || key == QLatin1Char('*') || key == QLatin1Char('#') || (allowPause && key == QLatin1Char('w'));
        if (!ok)
            return false;
    }
    return true;
}

std::optional<ApiResult> parseUrls(const QJsonObject &body, QStringList *urls, bool acceptPromptFiles)
{
    QJsonValue value = body.value(QStringLiteral("urls"));
    if (value.isUndefined() && acceptPromptFiles)
        value = body.value(QStringLiteral("prompt_files"));
    if (value.isUndefined() || value.isNull())
        return bad(QStringLiteral("urls is required"));
    if (!value.isArray())
        return bad(QStringLiteral("urls must be an array of strings"));
    const QJsonArray array = value.toArray();
    if (array.isEmpty())
        return bad(QStringLiteral("urls must not be empty"));
    if (array.size() > 128)
        return bad(QStringLiteral("urls must have at most 128 entries"));
    urls->clear();
    for (const QJsonValue &entry : array) {
        if (!entry.isString())
            return bad(QStringLiteral("urls must be an array of strings"));
        const QString url = entry.toString();
        if (url.size() > 2048)
            return bad(QStringLiteral("each url must be at most 2048 characters"));
        if (!url.startsWith(QLatin1String("http://")) && !url.startsWith(QLatin1String("https://")))
            return bad(QStringLiteral("only http:// and https:// urls are supported: ") + url.left(64));
        urls->append(url);
    }
    return std::nullopt;
}

DigitParams digitParams(const QJsonObject &body)
{
    DigitParams p;
    p.minDigits = int(body.value(QStringLiteral("min_digits")).toDouble(p.minDigits));
    p.maxDigits = int(body.value(QStringLiteral("max_digits")).toDouble(p.maxDigits));
    p.timeoutMs = qint64(body.value(QStringLiteral("timeout_ms")).toDouble(double(p.timeoutMs)));
    p.interDigitTimeoutMs = qint64(body.value(QStringLiteral("inter_digit_timeout_ms")).toDouble(double(p.interDigitTimeoutMs)));
    p.terminators = body.value(QStringLiteral("terminators")).toString(p.terminators);
    p.maxTries = int(body.value(QStringLiteral("max_tries")).toDouble(p.maxTries));
    return p;
}

std::optional<ApiResult> validate(const QString &command, const QJsonObject &body)
{
    if (body.contains(kCommandUid) && !isValidCommandUid(body.value(kCommandUid)))
        return bad(QStringLiteral("Invalid command_uid format"));
    if (command == QLatin1String("hangup") && body.contains(QStringLiteral("cause"))
        && !isValidCause(body.value(QStringLiteral("cause"))))
        return bad(QStringLiteral("Invalid cause format"));
    if (command == QLatin1String("playback/start")) {
        QStringList urls;
        if (auto invalid = parseUrls(body, &urls))
            return invalid;
        if (auto invalid = checkRange(body, QStringLiteral("offset_sec"), 0, 86'400))
            return invalid;
        if (body.contains(QStringLiteral("offset_sec")) && urls.size() > 1)
            return bad(QStringLiteral("offset_sec is only allowed with a single url"));
    }
    if (command == QLatin1String("playback/seek")) {
        const QJsonValue position = body.value(QStringLiteral("position_ms"));
        if (position.isUndefined() || position.isNull())
            return bad(QStringLiteral("position_ms is required"));
        if (!isIntegerIn(position, 0, qint64(9e15)))
            return bad(QStringLiteral("position_ms must be a non-negative integer"));
    }
    if (command == QLatin1String("play_and_get_digits"))
        return validateDigits(body);
    if (command == QLatin1String("record/start")) {
        // C-UNKNOWN-FIELDS: record/start takes no fields but command_uid.
        for (auto it = body.begin(); it != body.end(); ++it)
            if (it.key() != kCommandUid)
                return bad(QStringLiteral("Unknown field: ") + it.key());
    }
    if (command == QLatin1String("conference/join")) {
        const QJsonValue room = body.value(QStringLiteral("room_id"));
        if (room.isUndefined() || room.isNull())
            return bad(QStringLiteral("room_id is required"));
        if (!room.isString() || room.toString().isEmpty() || room.toString().size() > 256)
            return bad(QStringLiteral("room_id must be a non-empty string"));
    }
    return std::nullopt;
}

} // namespace VoiceSim::CommandRules
