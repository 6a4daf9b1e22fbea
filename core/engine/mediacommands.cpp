// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "mediacommands.h"

#include "commandrules.h"
#include "idgenerator.h"
#include "../clock/clock.h"

#include <QDir>

namespace VoiceSim {

namespace {

constexpr QLatin1StringView kCommandUid("command_uid");
constexpr QLatin1StringView kUrls("urls");
constexpr QLatin1StringView kFilePath("file_path");
constexpr QLatin1StringView kReason("reason");

using Phase = PlaybackState::Phase;
using CollectPhase = DigitCollection::Phase;

} // namespace

MediaCommands::MediaCommands(SessionHost &host, Clock &clock, MediaPort &media, IdGenerator &ids,
                             const EngineConfig &config, QObject *context)
    : m_host(host)
    , m_clock(clock)
    , m_media(media)
    , m_ids(ids)
    , m_config(config)
    , m_context(context)
{
}

bool MediaCommands::handles(const QString &command)
{
    return command.startsWith(QLatin1String("playback/")) || command.startsWith(QLatin1String("record/"))
        || command == QLatin1String("play_and_get_digits");
}

void MediaCommands::run(Session &session, const Operation &op, const QJsonObject &body)
{
    const QString &c = op.command;
    if (c == QLatin1String("playback/start"))
        startPlayback(session, op, body);
    else if (c == QLatin1String("playback/stop"))
        stopPlayback(session, op);
    else if (c == QLatin1String("playback/silence"))
        startSilence(session, op);
    else if (c.startsWith(QLatin1String("playback/")))
        transport(session, op, body);
    else if (c == QLatin1String("play_and_get_digits"))
        startCollect(session, op, body);
    else if (c == QLatin1String("record/start"))
        startRecording(session, op);
    else if (c == QLatin1String("record/stop"))
        stopRecording(session, &op);
}

// --- playback -------------------------------------------------------------------------------

void MediaCommands::settleResult(Session &session, PlaybackState &state, bool success, const QString &error)
{
    m_clock.cancel(state.resultTimer);
    state.resultTimer = 0;
    if (state.resultSent)
        return;
    state.resultSent = true;
    m_host.publishResult(session, state.op, success, error);
}

void MediaCommands::publishStopped(Session &session, qint64 positionMs, const QString &reason)
{
    const PlaybackState &p = session.playback;
    m_host.publish(session, QStringLiteral("playback.stopped"),
                   {{kCommandUid, p.op.commandUid},
                    {kUrls, p.urls},
                    {kFilePath, p.urls.join(QLatin1Char(','))},
                    {QLatin1StringView("offset_ms"), positionMs},
                    {QLatin1StringView("duration_ms"), p.durationMs},
                    {kReason, reason}});
}

void MediaCommands::endPlayer(Session &session, const QString &reason)
{
    PlaybackState &p = session.playback;
    switch (p.phase) {
    case Phase::Idle:
        break;
    case Phase::Fetching:
        // Replaced or stopped before it could start: it never played, so no playback.stopped;
        // its deferred result says why.
        m_media.discard(p.request);
        m_requests.remove(p.request);
        settleResult(session, p, false, reason);
        break;
    case Phase::Playing: {
        const qint64 position = m_media.stopPlayback(session.uuid);
        m_media.discard(p.request);
        publishStopped(session, position, reason);
        break;
    }
    case Phase::Silence:
        m_media.stopPlayback(session.uuid); // C-SILENCE: silence has no playback.stopped
        break;
    }
    m_clock.cancel(p.resultTimer);
    p = PlaybackState{};
    // A prompt on the player counts as ended too: the collection waits for digits.
    if (session.collect.phase == CollectPhase::Prompting) {
        m_media.stopPlayback(session.uuid);
        promptEnded(session);
    }
}

void MediaCommands::startPlayback(Session &session, const Operation &op, const QJsonObject &body)
{
    QStringList urls;
    CommandRules::parseUrls(body, &urls); // validated already
    endPlayer(session, QStringLiteral("replaced")); // last-wins
    PlaybackState &p = session.playback;
    p.phase = Phase::Fetching;
    p.op = op;
    p.urls = urls;
    p.offsetMs = qint64(body.value(QStringLiteral("offset_sec")).toDouble(0)) * 1000;
    p.request = m_host.newMediaRequest();
    const QString uuid = session.uuid;
    // Deferred: without the media side's confirmation in time, the result reports a timeout.
    p.resultTimer = m_clock.callAfter(m_config.deferredTimeoutMs, m_context, [this, uuid] {
        if (Session *s = m_host.liveSession(uuid)) {
            s->playback.resultTimer = 0;
            settleResult(*s, s->playback, false, QStringLiteral("timeout"));
        }
    });
    m_requests.insert(p.request, uuid);
    m_media.fetch(p.request, urls);
}

void MediaCommands::stopPlayback(Session &session, const Operation &op)
{
    if (session.playback.phase == Phase::Idle) {
        m_host.publishResult(session, op, false, QStringLiteral("no active playback"));
        return;
    }
    // command.result first (Immediate), then the interrupted playback's playback.stopped
    // with the original start's command_uid.
    m_host.publishResult(session, op, true);
    endPlayer(session, QStringLiteral("stopped"));
}

void MediaCommands::transport(Session &session, const Operation &op, const QJsonObject &body)
{
    PlaybackState &p = session.playback;
    if (p.phase != Phase::Playing) {
        m_host.publishResult(session, op, false, QStringLiteral("no active playback"));
        return;
    }
    const QString &c = op.command;
    if (c == QLatin1String("playback/pause")) {
        p.paused = true;
        m_media.setPaused(session.uuid, true);
    } else if (c == QLatin1String("playback/resume")) {
        p.paused = false;
        m_media.setPaused(session.uuid, false);
    } else if (c == QLatin1String("playback/seek")) {
        // C-TRANSPORT: past the end, the playback completes at the next frame.
        m_media.seek(session.uuid, qint64(body.value(QStringLiteral("position_ms")).toDouble()));
    } else if (c == QLatin1String("playback/restart")) {
        p.paused = false;
        m_media.seek(session.uuid, 0);
        m_media.setPaused(session.uuid, false);
    }
    m_host.publishResult(session, op, true);
}

void MediaCommands::startSilence(Session &session, const Operation &op)
{
    endPlayer(session, QStringLiteral("silence"));
    session.playback.phase = Phase::Silence;
    m_media.playSilence(session.uuid);
    m_host.publishResult(session, op, true);
}

bool MediaCommands::mediaReady(MediaRequest request, qint64 durationMs, const QList<MediaFailure> &failures)
{
    const auto it = m_requests.find(request);
    if (it == m_requests.end())
        return false;
    const QString uuid = *it;
    m_requests.erase(it);
    Session *session = m_host.liveSession(uuid);
    if (!session) {
        m_media.discard(request);
        return true;
    }

    if (session->collect.phase == CollectPhase::Fetching && session->collect.request == request) {
        DigitCollection &d = session->collect;
        if (!failures.isEmpty()) {
            for (const MediaFailure &failure : failures)
                m_host.publish(*session, QStringLiteral("playback.file_not_found"),
                               {{kCommandUid, d.op.commandUid}, {kUrls, d.urls},
                                {QLatin1StringView("url"), failure.url}, {kReason, failure.reason}});
            m_clock.cancel(d.resultTimer);
            if (!d.resultSent)
                m_host.publishResult(*session, d.op, false, QStringLiteral("file not found"));
            d = DigitCollection{};
            return true;
        }
        startTry(*session);
        return true;
    }

    PlaybackState &p = session->playback;
    if (p.phase != Phase::Fetching || p.request != request) {
        m_media.discard(request);
        return true;
    }
    if (!failures.isEmpty()) {
        // C-PLAYBACK: one file_not_found per failing URL, no playback.started.
        for (const MediaFailure &failure : failures)
            m_host.publish(*session, QStringLiteral("playback.file_not_found"),
                           {{kCommandUid, p.op.commandUid}, {kUrls, p.urls},
                            {QLatin1StringView("url"), failure.url}, {kReason, failure.reason}});
        settleResult(*session, p, false, QStringLiteral("file not found"));
        p = PlaybackState{};
        return true;
    }
    p.phase = Phase::Playing;
    p.durationMs = durationMs;
    m_media.play(uuid, request, p.offsetMs);
    m_host.publish(*session, QStringLiteral("playback.started"),
                   {{kCommandUid, p.op.commandUid}, {kUrls, p.urls}, {kFilePath, p.urls.join(QLatin1Char(','))}});
    settleResult(*session, p, true);
    return true;
}

void MediaCommands::playbackFinished(Session &session, MediaRequest request, qint64 positionMs)
{
    PlaybackState &p = session.playback;
    if (p.phase == Phase::Playing && p.request == request) {
        m_media.discard(request);
        publishStopped(session, positionMs, QStringLiteral("completed"));
        p = PlaybackState{};
        return;
    }
    if (session.collect.phase == CollectPhase::Prompting && session.collect.request == request)
        promptEnded(session);
}

// --- play_and_get_digits ----------------------------------------------------------------------

void MediaCommands::startCollect(Session &session, const Operation &op, const QJsonObject &body)
{
    if (session.collect.phase != CollectPhase::Idle)
        finishCollect(session, QStringLiteral("failure"), QString(), QStringLiteral("replaced")); // a new one replaces it
    DigitCollection &d = session.collect;
    const CommandRules::DigitParams params = CommandRules::digitParams(body);
    CommandRules::parseUrls(body, &d.urls, true);
    d.op = op;
    d.minDigits = params.minDigits;
    d.maxDigits = params.maxDigits;
    d.timeoutMs = params.timeoutMs;
    d.interDigitTimeoutMs = params.interDigitTimeoutMs;
    d.terminators = params.terminators;
    d.maxTries = params.maxTries;
    d.phase = CollectPhase::Fetching;
    d.request = m_host.newMediaRequest();
    const QString uuid = session.uuid;
    d.resultTimer = m_clock.callAfter(m_config.deferredTimeoutMs, m_context, [this, uuid] {
        Session *s = m_host.liveSession(uuid);
        if (!s || s->collect.phase == CollectPhase::Idle || s->collect.resultSent)
            return;
        s->collect.resultTimer = 0;
        s->collect.resultSent = true;
        m_host.publishResult(*s, s->collect.op, false, QStringLiteral("timeout"));
    });
    m_requests.insert(d.request, uuid);
    m_media.fetch(d.request, d.urls);
}

void MediaCommands::startTry(Session &session)
{
    DigitCollection &d = session.collect;
    ++d.tryNumber;
    d.digits.clear();
    m_clock.cancel(d.timer);
    d.timer = 0;
    // The prompt takes the player like a playback would (last-wins), then plays from its start.
    if (session.playback.phase != Phase::Idle) {
        d.phase = CollectPhase::Waiting; // so endPlayer does not take the prompt as ended
        endPlayer(session, QStringLiteral("replaced"));
    }
    d.phase = CollectPhase::Prompting;
    m_media.play(session.uuid, d.request, 0);
    // C-DIGITS: the deferred result goes out once the prompt starts playing.
    if (!d.resultSent) {
        d.resultSent = true;
        m_clock.cancel(d.resultTimer);
        d.resultTimer = 0;
        m_host.publishResult(session, d.op, true);
    }
}

void MediaCommands::promptEnded(Session &session)
{
    DigitCollection &d = session.collect;
    d.phase = CollectPhase::Waiting;
    armCollectTimer(session, d.digits.isEmpty() ? d.timeoutMs : d.interDigitTimeoutMs);
}

void MediaCommands::armCollectTimer(Session &session, qint64 ms)
{
    m_clock.cancel(session.collect.timer);
    const QString uuid = session.uuid;
    session.collect.timer = m_clock.callAfter(ms, m_context, [this, uuid] { onCollectTimer(uuid); });
}

void MediaCommands::onCollectTimer(const QString &uuid)
{
    Session *session = m_host.liveSession(uuid);
    if (!session || session->collect.phase != CollectPhase::Waiting)
        return;
    DigitCollection &d = session->collect;
    d.timer = 0;
    if (!d.digits.isEmpty() && d.digits.size() >= d.minDigits) {
        finishCollect(*session, QStringLiteral("success"), QString());
        return;
    }
    failedTry(*session, QStringLiteral("timeout"), QString());
}

void MediaCommands::failedTry(Session &session, const QString &status, const QString &terminator)
{
    DigitCollection &d = session.collect;
    if (d.tryNumber < d.maxTries) {
        startTry(session); // replays the prompt
        return;
    }
    finishCollect(session, status, terminator);
}

void MediaCommands::keyDown(Session &session)
{
    // Barge-in: the prompt stops as the key goes down. Should the key not make a digit after
    // all (an in-band blip too short to count), the collection waits as after the prompt.
    DigitCollection &d = session.collect;
    if (d.phase != CollectPhase::Prompting)
        return;
    m_media.stopPlayback(session.uuid);
    promptEnded(session);
}

void MediaCommands::digitReceived(Session &session, QChar digit)
{
    DigitCollection &d = session.collect;
    if (d.phase != CollectPhase::Prompting && d.phase != CollectPhase::Waiting)
        return; // keys before the prompt plays are only dtmf events
    if (d.phase == CollectPhase::Prompting) {
        m_media.stopPlayback(session.uuid); // barge-in, for a media side without key-down
        d.phase = CollectPhase::Waiting;
    }
    m_clock.cancel(d.timer);
    d.timer = 0;
    if (d.terminators.contains(digit)) {
        if (d.digits.size() >= d.minDigits)
            finishCollect(session, QStringLiteral("success"), QString(digit));
        else
            failedTry(session, QStringLiteral("failure"), QString(digit));
        return;
    }
    d.digits += digit;
    if (d.digits.size() >= d.maxDigits) {
        finishCollect(session, QStringLiteral("success"), QString());
        return;
    }
    armCollectTimer(session, d.interDigitTimeoutMs);
}

void MediaCommands::finishCollect(Session &session, const QString &status, const QString &terminator,
                                  const QString &unfetchedError)
{
    DigitCollection &d = session.collect;
    m_clock.cancel(d.timer);
    m_clock.cancel(d.resultTimer);
    if (d.phase == CollectPhase::Prompting)
        m_media.stopPlayback(session.uuid);
    if (d.phase == CollectPhase::Fetching) {
        m_media.discard(d.request);
        m_requests.remove(d.request);
        if (!d.resultSent)
            m_host.publishResult(session, d.op, false, unfetchedError.isEmpty() ? status : unfetchedError);
    } else {
        m_media.discard(d.request);
    }
    const DigitCollection done = d;
    d = DigitCollection{};
    if (done.phase == CollectPhase::Fetching)
        return; // it never collected: no digits.collected
    m_host.publish(session, QStringLiteral("digits.collected"),
                   {{kCommandUid, done.op.commandUid},
                    {QLatin1StringView("digits"), done.digits},
                    {QLatin1StringView("terminator"), terminator},
                    {QLatin1StringView("status"), status}});
}

// --- recording -----------------------------------------------------------------------------------

QString MediaCommands::recordingUrl(const QString &id) const
{
    return m_config.publicBaseUrl + QStringLiteral("/recordings/") + id + QStringLiteral(".wav");
}

void MediaCommands::startRecording(Session &session, const Operation &op)
{
    if (session.recording.active) {
        m_host.publishResult(session, op, false, QStringLiteral("already recording"));
        return;
    }
    RecordingState r;
    r.id = m_ids.alphanumeric(32); // the URL is the only key to the file (C-RECORD)
    r.path = QDir(m_config.recordingsDir).filePath(r.id + QStringLiteral(".wav"));
    r.commandUid = op.commandUid;
    QString error;
    if (m_config.recordingsDir.isEmpty() || !m_media.startRecording(session.uuid, r.path, &error)) {
        m_host.publishResult(session, op, false, QStringLiteral("recording failed: ") + (error.isEmpty() ? QStringLiteral("no recordings folder") : error));
        return;
    }
    r.active = true;
    session.recording = r;
    m_host.publishResult(session, op, true);
}

void MediaCommands::stopRecording(Session &session, const Operation *op)
{
    if (!session.recording.active) {
        if (op)
            m_host.publishResult(session, *op, false, QStringLiteral("not recording"));
        return;
    }
    const qint64 ms = m_media.stopRecording(session.uuid);
    const RecordingState r = session.recording;
    session.recording = RecordingState{};
    if (op)
        m_host.publishResult(session, *op, true);
    m_host.publish(session, QStringLiteral("recording.completed"),
                   {{QLatin1StringView("recording_url"), recordingUrl(r.id)},
                    {QLatin1StringView("duration"), ms / 1000},
                    {kCommandUid, r.commandUid}});
}

// --- session end ------------------------------------------------------------------------------------

void MediaCommands::endSession(Session &session)
{
    endPlayer(session, QStringLiteral("hangup"));
    if (session.collect.phase != CollectPhase::Idle)
        finishCollect(session, QStringLiteral("failure"), QString(), QStringLiteral("hangup"));
    stopRecording(session, nullptr);
}

void MediaCommands::cancelAll(Session &session)
{
    m_clock.cancel(session.playback.resultTimer);
    m_clock.cancel(session.collect.timer);
    m_clock.cancel(session.collect.resultTimer);
    m_requests.remove(session.playback.request);
    m_requests.remove(session.collect.request);
    if (session.recording.active)
        m_media.stopRecording(session.uuid);
    session.playback = PlaybackState{};
    session.collect = DigitCollection{};
    session.recording = RecordingState{};
}

} // namespace VoiceSim
