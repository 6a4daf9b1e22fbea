// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "controlapi.h"

#include "jsonbody.h"
#include "../clock/virtualclock.h"
#include "../engine/appregistry.h"
#include "../engine/commandrules.h"
#include "../engine/engine.h"
#include "../engine/ratelimiter.h"
#include "../events/eventstream.h"
#include "../webhooks/webhookdispatcher.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QUrl>
#include <QJsonArray>

namespace VoiceSim {

namespace {

constexpr qint64 kMaxAdvanceMs = 366LL * 24 * 3600 * 1000;

} // namespace

ControlApi::ControlApi(Engine &engine, EventStream &events, AppRegistry &apps, RateLimiter &limiter,
                       WebhookDispatcher &dispatcher, Clock &clock, VirtualClock *virtualClock, const QString &mediaDir)
    : m_engine(engine)
    , m_events(events)
    , m_apps(apps)
    , m_limiter(limiter)
    , m_dispatcher(dispatcher)
    , m_clock(clock)
    , m_virtualClock(virtualClock)
    , m_mediaDir(mediaDir)
{
}

void ControlApi::registerRoutes(Router &router)
{
    const QByteArray get = QByteArrayLiteral("GET");
    const QByteArray post = QByteArrayLiteral("POST");
    router.addRoute(post, QStringLiteral("/sim/v1/calls"), [this](const HttpRequest &r, const PathParams &) { return createCall(r); });
    router.addRoute(get, QStringLiteral("/sim/v1/calls"), [this](const HttpRequest &, const PathParams &) {
        QJsonArray calls;
        for (const Session *session : m_engine.sessions())
            calls.append(callJson(*session));
        return HttpResponse::json(200, {{QStringLiteral("calls"), calls}});
    });
    router.addRoute(get, QStringLiteral("/sim/v1/calls/{uuid}"), [this](const HttpRequest &, const PathParams &p) {
        const Session *session = m_engine.session(p.value(QStringLiteral("uuid")));
        if (!session)
            return HttpResponse::error(404, QStringLiteral("Session not found"));
        return HttpResponse::json(200, callJson(*session));
    });
    router.addRoute(post, QStringLiteral("/sim/v1/calls/{uuid}/hangup"), [this](const HttpRequest &r, const PathParams &p) {
        return callerHangup(r, p.value(QStringLiteral("uuid")));
    });
    router.addRoute(post, QStringLiteral("/sim/v1/calls/{uuid}/drop"), [this](const HttpRequest &, const PathParams &p) {
        return toHttp(m_engine.dropChannel(p.value(QStringLiteral("uuid"))));
    });
    router.addRoute(post, QStringLiteral("/sim/v1/calls/{uuid}/dtmf"), [this](const HttpRequest &r, const PathParams &p) {
        return pressKeys(r, p.value(QStringLiteral("uuid")));
    });
    router.addRoute(post, QStringLiteral("/sim/v1/calls/{uuid}/speak"), [this](const HttpRequest &r, const PathParams &p) {
        return speak(r, p.value(QStringLiteral("uuid")));
    });
    router.addRoute(get, QStringLiteral("/sim/v1/calls/{uuid}/audio"), [this](const HttpRequest &r, const PathParams &p) {
        return heardAudio(r, p.value(QStringLiteral("uuid")));
    });
    router.addRoute(get, QStringLiteral("/sim/v1/events"), [this](const HttpRequest &r, const PathParams &) { return listEvents(r); });
    router.addRoute(get, QStringLiteral("/sim/v1/clock"), [this](const HttpRequest &, const PathParams &) {
        return HttpResponse::json(200, clockJson());
    });
    router.addRoute(post, QStringLiteral("/sim/v1/clock/advance"), [this](const HttpRequest &r, const PathParams &) { return advanceClock(r); });
    router.addRoute(get, QStringLiteral("/sim/v1/faults"), [this](const HttpRequest &, const PathParams &) {
        return HttpResponse::json(200, faultsJson());
    });
    router.addRoute(QByteArrayLiteral("PUT"), QStringLiteral("/sim/v1/faults"), [this](const HttpRequest &r, const PathParams &) { return putFaults(r); });
    router.addRoute(post, QStringLiteral("/sim/v1/reset"), [this](const HttpRequest &, const PathParams &) {
        m_engine.reset();
        m_events.clear();
        m_limiter.clear();
        return HttpResponse::json(200, {{QStringLiteral("success"), true}});
    });
}

HttpResponse ControlApi::createCall(const HttpRequest &request)
{
    QJsonObject body;
    if (auto error = readJsonBody(request, body))
        return *error;

    Engine::InboundCall call;
    const QJsonValue callerId = body.value(QStringLiteral("caller_id"));
    if (!callerId.isUndefined() && (!callerId.isString() || callerId.toString().isEmpty() || callerId.toString().size() > 64))
        return HttpResponse::error(400, QStringLiteral("caller_id must be a non-empty string of at most 64 characters"));
    const QJsonValue did = body.value(QStringLiteral("did"));
    if (!did.isUndefined() && (!did.isString() || did.toString().isEmpty() || did.toString().size() > 64))
        return HttpResponse::error(400, QStringLiteral("did must be a non-empty string of at most 64 characters"));
    const QJsonValue autoAnswer = body.value(QStringLiteral("auto_answer"));
    if (!autoAnswer.isUndefined() && !autoAnswer.isBool())
        return HttpResponse::error(400, QStringLiteral("auto_answer must be a boolean"));
    const QJsonValue dtmfMode = body.value(QStringLiteral("dtmf_mode"));
    if (!dtmfMode.isUndefined() && !parseDtmfMode(dtmfMode.toString(), &call.dtmfMode))
        return HttpResponse::error(400, QStringLiteral("dtmf_mode must be rfc4733 or inband"));
    // Defaults from the reserved 555-01xx range, so examples never dial a real number.
    call.callerId = callerId.toString(QStringLiteral("+15555550100"));
    call.did = did.toString(QStringLiteral("+15555550199"));
    call.autoAnswer = autoAnswer.toBool(false);
    return toHttp(m_engine.createInboundCall(call));
}

HttpResponse ControlApi::callerHangup(const HttpRequest &request, const QString &uuid)
{
    QJsonObject body;
    if (auto error = readJsonBody(request, body))
        return *error;
    const QJsonValue cause = body.value(QStringLiteral("cause"));
    if (!cause.isUndefined() && !CommandRules::isValidCause(cause))
        return HttpResponse::error(400, QStringLiteral("Invalid cause format"));
    return toHttp(m_engine.callerHangup(uuid, cause.toString(QStringLiteral("NORMAL_CLEARING"))));
}

HttpResponse ControlApi::pressKeys(const HttpRequest &request, const QString &uuid)
{
    QJsonObject body;
    if (auto error = readJsonBody(request, body))
        return *error;
    const QJsonValue digits = body.value(QStringLiteral("digits"));
    if (digits.isUndefined() || digits.isNull())
        return HttpResponse::error(400, QStringLiteral("digits is required"));
    if (!digits.isString() || digits.toString().isEmpty() || digits.toString().size() > 256
        || !CommandRules::isDtmfString(digits.toString(), true))
        return HttpResponse::error(400, QStringLiteral("digits must be 1-256 keys from 0-9, A-D, *, # and w (a 500 ms pause)"));
    const QJsonValue duration = body.value(QStringLiteral("duration_ms"));
    if (!duration.isUndefined() && !isIntegerIn(duration, 1, 60'000))
        return HttpResponse::error(400, QStringLiteral("duration_ms must be an integer between 1 and 60000"));
    const QJsonValue gap = body.value(QStringLiteral("gap_ms"));
    if (!gap.isUndefined() && !isIntegerIn(gap, 0, 60'000))
        return HttpResponse::error(400, QStringLiteral("gap_ms must be an integer between 0 and 60000"));
    return toHttp(m_engine.pressKeys(uuid, digits.toString(), int(duration.toDouble(100)), int(gap.toDouble(100))));
}

HttpResponse ControlApi::speak(const HttpRequest &request, const QString &uuid)
{
    QJsonObject body;
    if (auto error = readJsonBody(request, body))
        return *error;
    const QJsonValue url = body.value(QStringLiteral("url"));
    const QJsonValue file = body.value(QStringLiteral("file"));
    if (url.isUndefined() == file.isUndefined())
        return HttpResponse::error(400, QStringLiteral("Exactly one of url or file is required"));
    if (!url.isUndefined()) {
        const QString text = url.toString();
        if (!url.isString() || text.size() > 2048
            || (!text.startsWith(QLatin1String("http://")) && !text.startsWith(QLatin1String("https://"))))
            return HttpResponse::error(400, QStringLiteral("url must be an http:// or https:// URL of at most 2048 characters"));
        return toHttp(m_engine.speak(uuid, text));
    }
    if (m_mediaDir.isEmpty())
        return HttpResponse::error(409, QStringLiteral("No media folder configured (start with --media-dir)"));
    const QString name = file.toString();
    const QDir root(m_mediaDir);
    const QString path = QDir::cleanPath(root.absoluteFilePath(name));
    // Only files under the media folder: no absolute paths, no way out with "..".
    if (!file.isString() || name.isEmpty() || QDir::isAbsolutePath(name)
        || !path.startsWith(QDir::cleanPath(root.absolutePath()) + QLatin1Char('/')))
        return HttpResponse::error(400, QStringLiteral("file must be a relative path inside the media folder"));
    if (!QFileInfo(path).isFile())
        return HttpResponse::error(404, QStringLiteral("Media file not found: ") + name);
    return toHttp(m_engine.speak(uuid, QUrl::fromLocalFile(path).toString()));
}

HttpResponse ControlApi::heardAudio(const HttpRequest &request, const QString &uuid)
{
    qint64 range[2] = {0, -1};
    const QString names[2] = {QStringLiteral("from_ms"), QStringLiteral("to_ms")};
    for (int i = 0; i < 2; ++i) {
        if (!request.hasQueryValue(names[i]))
            continue;
        bool ok = false;
        range[i] = request.queryValue(names[i]).toLongLong(&ok);
        if (!ok || range[i] < 0)
            return HttpResponse::error(400, names[i] + QStringLiteral(" must be a non-negative integer"));
    }
    if (range[1] >= 0 && range[1] < range[0])
        return HttpResponse::error(400, QStringLiteral("to_ms must not be before from_ms"));
    const std::optional<QByteArray> wav = m_engine.heardAudio(uuid, range[0], range[1]);
    if (!wav)
        return HttpResponse::error(404, QStringLiteral("Session not found"));
    HttpResponse response;
    response.body = *wav;
    return response.withHeader(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("audio/wav"));
}

HttpResponse ControlApi::listEvents(const HttpRequest &request)
{
    const bool bySession = request.hasQueryValue(QStringLiteral("session_uuid"));
    const bool byRoom = request.hasQueryValue(QStringLiteral("room_id"));
    if (bySession == byRoom)
        return HttpResponse::error(400, QStringLiteral("Exactly one of session_uuid or room_id is required"));
    const QString streamId = request.queryValue(bySession ? QStringLiteral("session_uuid") : QStringLiteral("room_id"));
    qint64 after = 0;
    if (request.hasQueryValue(QStringLiteral("after"))) {
        bool ok = false;
        after = request.queryValue(QStringLiteral("after")).toLongLong(&ok);
        if (!ok || after < 0)
            return HttpResponse::error(400, QStringLiteral("after must be a non-negative integer"));
    }
    if (!m_events.hasStream(streamId))
        return HttpResponse::error(404, bySession ? QStringLiteral("Session not found") : QStringLiteral("Conference not found"));

    QJsonArray list;
    for (const Event &event : m_events.events(streamId, after)) {
        const App *app = m_apps.find(event.appId);
        list.append(event.body(app ? app->envelope : EnvelopeShape::Default));
    }
    return HttpResponse::json(200, {{QStringLiteral("events"), list}});
}

HttpResponse ControlApi::advanceClock(const HttpRequest &request)
{
    if (!m_virtualClock)
        return HttpResponse::error(409, QStringLiteral("Clock is not in virtual mode (start with --clock virtual)"));
    QJsonObject body;
    if (auto error = readJsonBody(request, body))
        return *error;
    const QJsonValue ms = body.value(QStringLiteral("ms"));
    if (ms.isUndefined())
        return HttpResponse::error(400, QStringLiteral("ms is required"));
    if (!isIntegerIn(ms, 0, kMaxAdvanceMs))
        return HttpResponse::error(400, QStringLiteral("ms must be an integer between 0 and ") + QString::number(kMaxAdvanceMs));
    m_virtualClock->advance(qint64(ms.toDouble()));
    return HttpResponse::json(200, clockJson());
}

namespace {

// The delivery faults by their API names (C-CHAOS), in one table for reading and writing.
struct DeliveryFaultField
{
    const char *name;
    double DeliveryFaults::*member;
};
const DeliveryFaultField kDeliveryFaults[] = {
    {"duplicate", &DeliveryFaults::duplicate},        {"reorder", &DeliveryFaults::reorder},
    {"delay", &DeliveryFaults::delay},                {"drop", &DeliveryFaults::drop},
    {"bad_signature", &DeliveryFaults::badSignature}, {"stale_timestamp", &DeliveryFaults::staleTimestamp},
};

} // namespace

std::optional<HttpResponse> ControlApi::readDeliveryFaults(const QJsonValue &value, DeliveryFaults *faults) const
{
    if (!value.isObject())
        return HttpResponse::error(400, QStringLiteral("delivery must be an object"));
    const QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (it.key() == QLatin1String("delay_ms")) {
            if (!isIntegerIn(it.value(), 0, 3'600'000))
                return HttpResponse::error(400, QStringLiteral("delivery.delay_ms must be an integer between 0 and 3600000"));
            faults->delayMs = qint64(it.value().toDouble());
            continue;
        }
        const auto field = std::find_if(std::begin(kDeliveryFaults), std::end(kDeliveryFaults),
                                        [&](const DeliveryFaultField &f) { return it.key() == QLatin1String(f.name); });
        if (field == std::end(kDeliveryFaults))
            return HttpResponse::error(400, QStringLiteral("Unknown delivery fault: ") + it.key());
        if (!it.value().isDouble() || it.value().toDouble() < 0 || it.value().toDouble() > 1)
            return HttpResponse::error(400, QStringLiteral("delivery.") + it.key() + QStringLiteral(" must be a number between 0 and 1"));
        faults->*(field->member) = it.value().toDouble();
    }
    return std::nullopt;
}

HttpResponse ControlApi::putFaults(const HttpRequest &request)
{
    QJsonObject body;
    if (auto error = readJsonBody(request, body))
        return *error;
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (it.key() != QLatin1String("answer_latency_ms") && it.key() != QLatin1String("fetch_failure_rate")
            && it.key() != QLatin1String("delivery"))
            return HttpResponse::error(400, QStringLiteral("Unknown fault: ") + it.key());
    }
    // Everything is checked before anything changes.
    const QJsonValue failureRate = body.value(QStringLiteral("fetch_failure_rate"));
    if (!failureRate.isUndefined() && (!failureRate.isDouble() || failureRate.toDouble() < 0 || failureRate.toDouble() > 1))
        return HttpResponse::error(400, QStringLiteral("fetch_failure_rate must be a number between 0 and 1"));
    const QJsonValue latency = body.value(QStringLiteral("answer_latency_ms"));
    if (!latency.isUndefined() && !isIntegerIn(latency, 0, 3'600'000))
        return HttpResponse::error(400, QStringLiteral("answer_latency_ms must be an integer between 0 and 3600000"));
    // A delivery object replaces the whole set: what it leaves out is off.
    const QJsonValue delivery = body.value(QStringLiteral("delivery"));
    DeliveryFaults faults;
    if (!delivery.isUndefined()) {
        if (auto error = readDeliveryFaults(delivery, &faults))
            return *error;
    }
    if (!latency.isUndefined())
        m_engine.channels().setAnswerLatencyMs(qint64(latency.toDouble()));
    if (!failureRate.isUndefined())
        m_engine.media().setFetchFailureRate(failureRate.toDouble());
    if (!delivery.isUndefined())
        m_dispatcher.setFaults(faults);
    return HttpResponse::json(200, faultsJson());
}

QJsonObject ControlApi::faultsJson() const
{
    const DeliveryFaults &faults = m_dispatcher.faults();
    QJsonObject delivery{{QStringLiteral("delay_ms"), faults.delayMs}};
    for (const DeliveryFaultField &f : kDeliveryFaults)
        delivery.insert(QLatin1String(f.name), faults.*(f.member));
    return {{QStringLiteral("answer_latency_ms"), m_engine.channels().answerLatencyMs()},
            {QStringLiteral("fetch_failure_rate"), m_engine.media().fetchFailureRate()},
            {QStringLiteral("delivery"), delivery}};
}

QJsonObject ControlApi::clockJson() const
{
    return {{QStringLiteral("mode"), m_virtualClock ? QStringLiteral("virtual") : QStringLiteral("real")},
            {QStringLiteral("now_ms"), m_clock.nowMs()},
            {QStringLiteral("now"), isoTime(m_clock.nowMs())}};
}

QString ControlApi::isoTime(qint64 engineMs) const
{
    return QDateTime::fromMSecsSinceEpoch(m_clock.startEpochMs() + engineMs, Qt::UTC)
        .toString(Qt::ISODateWithMs);
}

QJsonObject ControlApi::callJson(const Session &session) const
{
    const auto timeOrNull = [this](qint64 ms) { return ms < 0 ? QJsonValue() : QJsonValue(isoTime(ms)); };
    const qint64 end = session.endedMs >= 0 ? session.endedMs : m_clock.nowMs();
    return {{QStringLiteral("session_uuid"), session.uuid},
            {QStringLiteral("app_id"), session.appId},
            {QStringLiteral("caller_id"), session.callerId},
            {QStringLiteral("did"), session.did},
            {QStringLiteral("state"), callStateName(session.state)},
            {QStringLiteral("channel"), session.channelUp ? QStringLiteral("up") : QStringLiteral("dropped")},
            {QStringLiteral("dtmf_mode"), dtmfModeName(session.dtmfMode)},
            {QStringLiteral("created_at"), isoTime(session.createdMs)},
            {QStringLiteral("answered_at"), timeOrNull(session.answeredMs)},
            {QStringLiteral("ended_at"), timeOrNull(session.endedMs)},
            {QStringLiteral("duration_ms"), end - session.createdMs},
            {QStringLiteral("hangup_cause"), session.hangupCause.isEmpty() ? QJsonValue() : QJsonValue(session.hangupCause)},
            {QStringLiteral("last_sequence"), m_events.lastSequence(session.uuid)},
            {QStringLiteral("media"), mediaJson(session)}};
}

QJsonObject ControlApi::mediaJson(const Session &session) const
{
    const auto orNull = [](const QString &text) { return text.isEmpty() ? QJsonValue() : QJsonValue(text); };
    QString playback;
    switch (session.playback.phase) {
    case PlaybackState::Phase::Idle:
        playback = session.collect.phase == DigitCollection::Phase::Prompting ? QStringLiteral("prompt") : QStringLiteral("idle");
        break;
    case PlaybackState::Phase::Fetching:
        playback = QStringLiteral("fetching");
        break;
    case PlaybackState::Phase::Playing:
        playback = session.playback.paused ? QStringLiteral("paused") : QStringLiteral("playing");
        break;
    case PlaybackState::Phase::Silence:
        playback = QStringLiteral("silence");
        break;
    }
    return {{QStringLiteral("playback"), playback},
            {QStringLiteral("playback_urls"), QJsonArray::fromStringList(session.playback.urls)},
            {QStringLiteral("collecting_digits"), session.collect.phase != DigitCollection::Phase::Idle},
            {QStringLiteral("recording"), session.recording.active},
            {QStringLiteral("room_id"), orNull(session.roomId)},
            {QStringLiteral("muted"), session.roomId.isEmpty() ? QJsonValue() : QJsonValue(session.muted)},
            {QStringLiteral("speak_error"), orNull(session.speakError)}};
}

} // namespace VoiceSim
