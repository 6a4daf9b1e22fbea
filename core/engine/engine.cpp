// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine.h"

#include "appregistry.h"
#include "commandrules.h"
#include "idgenerator.h"
#include "../events/eventstream.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace VoiceSim {

namespace {

constexpr QLatin1StringView kSuccess("success");
constexpr QLatin1StringView kCommandUid("command_uid");

} // namespace

Engine::Engine(Clock &clock, IdGenerator &ids, AppRegistry &apps, EventStream &events,
               ChannelPort &channels, MediaPort &media, EngineConfig config, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_ids(ids)
    , m_apps(apps)
    , m_events(events)
    , m_channels(channels)
    , m_media(media)
    , m_config(config)
    , m_cooldowns(clock)
    , m_mediaCommands(*this, clock, media, ids, m_config, this)
    , m_conferences(*this, clock, media, ids, events, m_cooldowns, m_config.nodeHash)
{
    m_channels.setListener(this);
    m_media.setListener(this);
}

Engine::~Engine()
{
    m_channels.setListener(nullptr);
    m_media.setListener(nullptr);
}

QString Engine::hangupCauseFor(const QString &q850Cause)
{
    static const QHash<QString, QString> causes = {
        {QStringLiteral("NORMAL_CLEARING"), QStringLiteral("completed")},
        {QStringLiteral("USER_BUSY"), QStringLiteral("busy")},
        {QStringLiteral("CALL_REJECTED"), QStringLiteral("rejected")},
        {QStringLiteral("NO_ANSWER"), QStringLiteral("no_answer")},
        {QStringLiteral("NO_USER_RESPONSE"), QStringLiteral("no_answer")},
        {QStringLiteral("SUBSCRIBER_ABSENT"), QStringLiteral("unavailable")},
        {QStringLiteral("DESTINATION_OUT_OF_ORDER"), QStringLiteral("unavailable")},
        {QStringLiteral("NETWORK_OUT_OF_ORDER"), QStringLiteral("unavailable")},
        {QStringLiteral("UNALLOCATED_NUMBER"), QStringLiteral("unavailable")},
    };
    return causes.value(q850Cause, QStringLiteral("failed"));
}

ApiResult Engine::createInboundCall(const InboundCall &call)
{
    const App *app = m_apps.routeDid(call.did);
    if (!app)
        return ApiResult::error(404, QStringLiteral("No application routes DID ") + call.did);

    auto session = std::make_unique<Session>();
    session->uuid = m_config.nodeHash + QLatin1Char('-') + m_ids.uuid4();
    session->serial = m_nextSerial++;
    session->appId = app->id;
    session->callerId = call.callerId;
    session->did = call.did;
    session->dtmfMode = call.dtmfMode;
    session->createdMs = m_clock.nowMs();
    session->lastActivityMs = session->createdMs;
    Session &ref = *session;
    m_sessions.emplace(ref.uuid, std::move(session));

    // call.new is published before the id is handed out, so no command can precede it.
    publish(ref, QStringLiteral("call.new"),
            {{QLatin1StringView("caller_id"), ref.callerId}, {QLatin1StringView("did"), ref.did}});
    armOrphanTimer(ref);
    const QString uuid = ref.uuid;
    m_media.openCall(uuid, ref.dtmfMode);
    m_channels.open(uuid, call.autoAnswer);
    return ApiResult::success(201, {{QStringLiteral("session_uuid"), uuid}});
}

Session *Engine::callerSide(const QString &uuid, ApiResult *refusal)
{
    const auto it = m_sessions.find(uuid);
    if (it == m_sessions.end()) {
        *refusal = ApiResult::error(404, QStringLiteral("Session not found"));
        return nullptr;
    }
    if (it->second->state == CallState::Ended) {
        *refusal = ApiResult::error(409, QStringLiteral("Call has already ended"));
        return nullptr;
    }
    return it->second.get();
}

ApiResult Engine::callerHangup(const QString &uuid, const QString &q850Cause)
{
    ApiResult refusal;
    Session *session = callerSide(uuid, &refusal);
    if (!session)
        return refusal;
    endSession(*session, q850Cause, hangupCauseFor(q850Cause));
    return ApiResult::success(200, {{QStringLiteral("session_uuid"), uuid},
                                    {QStringLiteral("state"), callStateName(CallState::Ended)}});
}

ApiResult Engine::dropChannel(const QString &uuid)
{
    ApiResult refusal;
    Session *caller = callerSide(uuid, &refusal);
    if (!caller)
        return refusal;
    Session &session = *caller;
    if (!session.channelUp)
        return ApiResult::error(409, QStringLiteral("Channel already dropped"));
    // Silent loss: nothing is published; the janitor notices after the orphan timeout.
    session.channelUp = false;
    session.droppedMs = m_clock.nowMs();
    m_channels.drop(uuid);
    armOrphanTimer(session);
    return ApiResult::success(200, {{QStringLiteral("session_uuid"), uuid},
                                    {QStringLiteral("channel"), QStringLiteral("dropped")}});
}

void Engine::reset()
{
    for (auto &[uuid, session] : m_sessions) {
        m_clock.cancel(session->orphanTimer);
        m_clock.cancel(session->disconnectTimer);
        for (const auto &pending : std::as_const(session->pendingAnswers))
            m_clock.cancel(pending.timeout);
        m_mediaCommands.cancelAll(*session);
    }
    m_conferences.reset();
    m_media.closeAll();
    m_speech.clear();
    m_channels.closeAll();
    m_sessions.clear();
    m_endedOrder.clear();
    m_cooldowns.clear();
}

const Session *Engine::session(const QString &uuid) const
{
    const auto it = m_sessions.find(uuid);
    return it == m_sessions.end() ? nullptr : it->second.get();
}

QList<const Session *> Engine::sessions() const
{
    QList<const Session *> out;
    out.reserve(qsizetype(m_sessions.size()));
    for (const auto &entry : m_sessions)
        out.append(entry.second.get());
    std::sort(out.begin(), out.end(), [](const Session *a, const Session *b) { return a->serial < b->serial; });
    return out;
}

Session *Engine::liveSession(const QString &uuid)
{
    const auto it = m_sessions.find(uuid);
    if (it == m_sessions.end() || it->second->state == CallState::Ended)
        return nullptr;
    return it->second.get();
}

std::optional<ApiResult> Engine::checkAccess(const QString &appId, const QString &uuid) const
{
    const auto it = m_sessions.find(uuid);
    if (it == m_sessions.end() || it->second->state == CallState::Ended)
        return ApiResult::error(404, QStringLiteral("Session not found"));
    if (it->second->appId != appId)
        return ApiResult::error(403, QStringLiteral("Session belongs to another application"));
    return std::nullopt;
}

ApiResult Engine::execute(const QString &appId, const QString &uuid, const QString &command,
                          const QJsonObject &body)
{
    if (auto refusal = checkAccess(appId, uuid))
        return *refusal;
    Session &session = *liveSession(uuid);
    if (auto invalid = CommandRules::validate(command, body))
        return *invalid;

    // C-UID: a repeated client uid replays the first answer and runs nothing again.
    const QString clientUid = body.value(kCommandUid).toString();
    if (!clientUid.isEmpty()) {
        const auto known = session.uids.constFind(clientUid);
        if (known != session.uids.cend()) {
            if (known->command != command)
                return ApiResult::error(409, QStringLiteral("command_uid already used by another command"));
            return ApiResult::serialized(202, known->reply);
        }
    }

    const RateGroup group = CommandRules::groupOf(command, m_config.recordStopGroup);
    if (const qint64 wait = m_cooldowns.remaining(uuid, group); wait > 0)
        return ApiResult::rateLimited(rateGroupName(group), wait);

    const Accepted op{command, clientUid.isEmpty() ? m_ids.uuid4() : clientUid, m_ids.uuid4()};
    // C-RESP. Written as bytes: every field is a generated UUID or a number, so nothing needs
    // escaping, and Qt's JSON objects would cost a third of the whole request here.
    const QByteArray reply = "{\"operation_id\":\"" + op.operationId.toLatin1()
        + "\",\"status\":\"in_progress\",\"timeout_ms\":" + QByteArray::number(m_config.deferredTimeoutMs) + '}';
    if (!clientUid.isEmpty()) {
        session.uids.insert(clientUid, {command, reply});
        session.uidOrder.push_back(clientUid);
        if (qsizetype(session.uidOrder.size()) > m_config.maxRememberedUids) {
            session.uids.remove(session.uidOrder.front());
            session.uidOrder.pop_front();
        }
    }
    m_cooldowns.start(uuid, group);
    touch(session);
    run(session, op, body);
    return ApiResult::serialized(202, reply);
}

void Engine::run(Session &session, const Accepted &op, const QJsonObject &body)
{
    const QString &command = op.command;
    if (command == QLatin1String("answer")) {
        runAnswer(session, op);
    } else if (command == QLatin1String("hangup")) {
        const QString cause = body.value(QStringLiteral("cause")).toString(QStringLiteral("NORMAL_CLEARING"));
        publishResult(session, op, true);
        endSession(session, cause, hangupCauseFor(cause));
    } else if (command == QLatin1String("disconnect")) {
        runDisconnect(session, op);
    } else if (session.state != CallState::Answered) {
        // C-STATE: media-level refusals are asynchronous.
        publishResult(session, op, false, QStringLiteral("call not answered"));
    } else if (MediaCommands::handles(command)) {
        m_mediaCommands.run(session, op, body);
    } else if (Conferences::handles(command)) {
        m_conferences.run(session, op, body);
    }
}

void Engine::runAnswer(Session &session, const Accepted &op)
{
    Session::PendingAnswer pending{op.operationId, op.commandUid, 0, false};
    const QString uuid = session.uuid;
    const QString operationId = op.operationId;
    const QString commandUid = op.commandUid;
    // C-ANSWER: without confirmation in time, the deferred result reports the timeout.
    pending.timeout = m_clock.callAfter(m_config.deferredTimeoutMs, this, [this, uuid, operationId, commandUid] {
        Session *s = liveSession(uuid);
        if (!s)
            return;
        auto it = s->pendingAnswers.find(operationId);
        if (it == s->pendingAnswers.end())
            return;
        it->timedOut = true;
        it->timeout = 0;
        publishResult(*s, {QStringLiteral("answer"), commandUid, operationId}, false, QStringLiteral("timeout"));
    });
    session.pendingAnswers.insert(op.operationId, pending);
    m_channels.answer(uuid, op.operationId);
}

void Engine::channelAnswered(const QString &sessionUuid, const QString &token)
{
    Session *session = liveSession(sessionUuid);
    if (!session)
        return;
    if (session->state == CallState::Ringing) {
        session->state = CallState::Answered;
        session->answeredMs = m_clock.nowMs();
    }
    if (token.isEmpty()) {
        publish(*session, QStringLiteral("call.answered"), {}); // the network's own answer
        return;
    }
    const auto it = session->pendingAnswers.find(token);
    if (it == session->pendingAnswers.end())
        return;
    const Session::PendingAnswer pending = *it;
    session->pendingAnswers.erase(it);
    m_clock.cancel(pending.timeout);
    publish(*session, QStringLiteral("call.answered"),
            {{kCommandUid, pending.commandUid}, {kSuccess, true}});
    // A confirmation after the timeout still answers the channel, but its command.result
    // already went out with success: false.
    if (!pending.timedOut)
        publishResult(*session, {QStringLiteral("answer"), pending.commandUid, pending.operationId}, true);
}

void Engine::runDisconnect(Session &session, const Accepted &op)
{
    publishResult(session, op, true);
    if (session.disconnectTimer)
        return; // the dialplan already has the call
    const QString uuid = session.uuid;
    // C-DISCONNECT: the simulated dialplan hangs up after its delay.
    session.disconnectTimer = m_clock.callAfter(m_config.disconnectDelayMs, this, [this, uuid] {
        if (Session *s = liveSession(uuid)) {
            s->disconnectTimer = 0;
            endSession(*s, QStringLiteral("NORMAL_CLEARING"), QStringLiteral("completed"));
        }
    });
}

void Engine::publish(Session &session, const QString &type, const EventData &data)
{
    touch(session);
    m_events.publish(StreamKind::Session, session.uuid, session.appId, type, data);
}

void Engine::publishResult(Session &session, const Operation &op, bool success, const QString &error)
{
    EventData data{{kCommandUid, op.commandUid},
                     {QLatin1StringView("operation_id"), op.operationId},
                     {QLatin1StringView("command"), op.command},
                     {kSuccess, success}};
    if (!error.isEmpty())
        data.insert(QLatin1StringView("error"), error);
    publish(session, QStringLiteral("command.result"), data);
}

void Engine::touch(Session &session)
{
    session.lastActivityMs = m_clock.nowMs();
}

qint64 Engine::orphanDeadline(const Session &session) const
{
    // C-ORPHAN: idle for the timeout, or the timeout since the channel vanished, whichever
    // comes first.
    qint64 deadline = session.lastActivityMs + m_config.orphanTimeoutMs;
    if (session.hasMediaActivity() && session.channelUp)
        deadline = std::max(deadline, m_clock.nowMs() + m_config.orphanTimeoutMs);
    if (!session.channelUp)
        deadline = std::min(deadline, session.droppedMs + m_config.orphanTimeoutMs);
    return deadline;
}

void Engine::armOrphanTimer(Session &session)
{
    // Activity only moves a time stamp; the timer re-arms itself when it fires.
    const qint64 deadline = orphanDeadline(session);
    m_clock.cancel(session.orphanTimer);
    const QString uuid = session.uuid;
    session.orphanTimer = m_clock.callAfter(deadline - m_clock.nowMs(), this, [this, uuid] { onOrphanTimer(uuid); });
}

void Engine::onOrphanTimer(const QString &uuid)
{
    Session *session = liveSession(uuid);
    if (!session)
        return;
    session->orphanTimer = 0;
    if (m_clock.nowMs() < orphanDeadline(*session)) {
        armOrphanTimer(*session);
        return;
    }
    endSession(*session, QStringLiteral("RECOVERY_ON_TIMER_EXPIRE"), QStringLiteral("orphaned"));
}

void Engine::mediaReady(MediaRequest request, qint64 durationMs, const QList<MediaFailure> &failures)
{
    if (m_mediaCommands.mediaReady(request, durationMs, failures) || m_conferences.mediaReady(request, failures))
        return;
    const QString uuid = m_speech.take(request);
    Session *session = uuid.isEmpty() ? nullptr : liveSession(uuid);
    if (session && failures.isEmpty()) {
        session->speakError.clear();
        m_media.speak(uuid, request);
        return;
    }
    // The caller's own audio has no platform event; the control API shows why it failed.
    if (session)
        session->speakError = failures.first().url + QStringLiteral(": ") + failures.first().reason;
    m_media.discard(request);
}

void Engine::playbackFinished(const QString &sessionUuid, MediaRequest request, qint64 positionMs)
{
    if (Session *session = liveSession(sessionUuid))
        m_mediaCommands.playbackFinished(*session, request, positionMs);
}

void Engine::roomPlaybackFinished(const QString &roomId, MediaRequest request)
{
    m_conferences.roomPlaybackFinished(roomId, request);
}

void Engine::dtmfReceived(const QString &sessionUuid, QChar digit, int durationMs)
{
    Session *session = liveSession(sessionUuid);
    if (!session)
        return;
    // One dtmf event per key, whatever else the call is doing; then the collection sees it.
    publish(*session, QStringLiteral("dtmf"),
            {{QLatin1StringView("digit"), QString(digit)}, {QLatin1StringView("duration_ms"), durationMs}});
    m_mediaCommands.digitReceived(*session, digit);
}

void Engine::dtmfStarted(const QString &sessionUuid)
{
    if (Session *session = liveSession(sessionUuid))
        m_mediaCommands.keyDown(*session);
}

Session *Engine::callerInCall(const QString &uuid, ApiResult *refusal)
{
    Session *session = callerSide(uuid, refusal);
    if (session && session->state != CallState::Answered) {
        *refusal = ApiResult::error(409, QStringLiteral("Call is not answered yet"));
        return nullptr;
    }
    if (session && !session->channelUp) {
        *refusal = ApiResult::error(409, QStringLiteral("Channel is dropped"));
        return nullptr;
    }
    return session;
}

ApiResult Engine::pressKeys(const QString &uuid, const QString &digits, int durationMs, int gapMs)
{
    ApiResult refusal;
    if (!callerInCall(uuid, &refusal))
        return refusal;
    m_media.pressKeys(uuid, digits, durationMs, gapMs);
    return ApiResult::success(202, {{QStringLiteral("session_uuid"), uuid}, {QStringLiteral("digits"), digits}});
}

ApiResult Engine::speak(const QString &uuid, const QString &url)
{
    ApiResult refusal;
    if (!callerInCall(uuid, &refusal))
        return refusal;
    const MediaRequest request = newMediaRequest();
    m_speech.insert(request, uuid);
    m_media.fetch(request, {url});
    return ApiResult::success(202, {{QStringLiteral("session_uuid"), uuid}, {QStringLiteral("url"), url}});
}

std::optional<QByteArray> Engine::heardAudio(const QString &uuid, qint64 fromMs, qint64 toMs) const
{
    if (!m_sessions.count(uuid))
        return std::nullopt;
    return m_media.heardAudio(uuid, fromMs, toMs); // ended calls too, while media keeps them
}

void Engine::endSession(Session &session, const QString &q850Cause, const QString &hangupCause)
{
    m_clock.cancel(session.orphanTimer);
    m_clock.cancel(session.disconnectTimer);
    session.orphanTimer = session.disconnectTimer = 0;
    for (const auto &pending : std::as_const(session.pendingAnswers))
        m_clock.cancel(pending.timeout);
    session.pendingAnswers.clear();
    // What was under way ends first, with its own events, then the call (C-RECORD, C-ORPHAN).
    m_mediaCommands.endSession(session);
    m_conferences.endSession(session, hangupCause == QLatin1String("orphaned") ? QStringLiteral("orphan") : QStringLiteral("hangup"));
    m_media.closeCall(session.uuid);
    m_channels.close(session.uuid);

    session.state = CallState::Ended;
    session.endedMs = m_clock.nowMs();
    session.hangupCause = hangupCause;
    session.q850Cause = q850Cause;
    m_cooldowns.forget(session.uuid);
    const QString uuid = session.uuid;
    m_events.publish(StreamKind::Session, uuid, session.appId, QStringLiteral("call.hangup"),
                     {{QLatin1StringView("hangup_cause"), hangupCause},
                      {QLatin1StringView("q850_cause"), q850Cause},
                      {QLatin1StringView("duration_ms"), session.endedMs - session.createdMs}});
    retire(uuid);
}

void Engine::retire(const QString &uuid)
{
    m_endedOrder.push_back(uuid);
    while (qsizetype(m_endedOrder.size()) > m_config.maxEndedSessions) {
        m_sessions.erase(m_endedOrder.front());
        m_events.forget(m_endedOrder.front());
        m_endedOrder.pop_front();
    }
}

} // namespace VoiceSim
