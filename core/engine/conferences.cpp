// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "conferences.h"

#include "commandrules.h"
#include "idgenerator.h"
#include "../api/jsonbody.h"
#include "../clock/clock.h"
#include "../events/eventstream.h"

#include <QDateTime>
#include <QJsonArray>
#include <QRegularExpression>

namespace VoiceSim {

namespace {

constexpr QLatin1StringView kRoomId("room_id");
constexpr QLatin1StringView kUrls("urls");

QString playbackName(Conferences::Room::Playback state)
{
    switch (state) {
    case Conferences::Room::Playback::Idle:
        return QStringLiteral("idle");
    case Conferences::Room::Playback::Playing:
        return QStringLiteral("playing");
    case Conferences::Room::Playback::Paused:
        return QStringLiteral("paused");
    }
    return {};
}

} // namespace

Conferences::Conferences(SessionHost &host, Clock &clock, MediaPort &media, IdGenerator &ids, EventStream &events,
                         Cooldowns &cooldowns, const QString &nodeHash)
    : m_host(host)
    , m_clock(clock)
    , m_media(media)
    , m_ids(ids)
    , m_events(events)
    , m_cooldowns(cooldowns)
    , m_node(nodeHash)
{
}

const Conferences::Room *Conferences::room(const QString &roomId) const
{
    const auto it = m_rooms.find(roomId);
    return it == m_rooms.end() ? nullptr : it->second.get();
}

QList<const Conferences::Room *> Conferences::rooms() const
{
    QList<const Room *> out;
    out.reserve(qsizetype(m_rooms.size()));
    for (const auto &[id, room] : m_rooms)
        out.append(room.get());
    return out;
}

Conferences::Room *Conferences::access(const QString &appId, const QString &roomId, ApiResult *refusal) const
{
    const auto it = m_rooms.find(roomId);
    if (it == m_rooms.end()) {
        *refusal = ApiResult::error(404, QStringLiteral("Conference not found"));
        return nullptr;
    }
    if (it->second->appId != appId) {
        *refusal = ApiResult::error(403, QStringLiteral("Conference belongs to another application"));
        return nullptr;
    }
    return it->second.get();
}

QJsonObject Conferences::roomJson(const Room &room) const
{
    const auto iso = [this](qint64 ms) {
        return QDateTime::fromMSecsSinceEpoch(m_clock.startEpochMs() + ms, Qt::UTC).toString(Qt::ISODateWithMs);
    };
    QJsonArray members;
    for (const Member &m : room.members)
        members.append(QJsonObject{{QStringLiteral("session_uuid"), m.sessionUuid},
                                   {QStringLiteral("caller_id"), m.callerId},
                                   {QStringLiteral("muted"), m.muted},
                                   {QStringLiteral("joined_at"), iso(m.joinedMs)}});
    return {{QStringLiteral("room_id"), room.id},
            {QStringLiteral("name"), room.name},
            {QStringLiteral("created_at"), iso(room.createdMs)},
            {QStringLiteral("members"), members},
            {QStringLiteral("playback"), QJsonObject{{QStringLiteral("state"), playbackName(room.playback)},
                                                     {QStringLiteral("urls"), QJsonArray::fromStringList(room.urls)},
                                                     {QStringLiteral("volume"), room.volume}}}};
}

void Conferences::publishRoom(Room &room, const QString &type, const EventData &data)
{
    m_events.publish(StreamKind::Room, room.id, room.appId, type, data);
}

ApiResult Conferences::create(const QString &appId, const QJsonObject &body)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"));
    const QJsonValue name = body.value(QStringLiteral("name"));
    if (name.isUndefined() || name.isNull())
        return ApiResult::error(400, QStringLiteral("name is required"));
    if (!name.isString() || !pattern.match(name.toString()).hasMatch())
        return ApiResult::error(400, QStringLiteral("name must be 1-64 letters, digits, - or _, starting with a letter or digit"));
    for (const auto &[id, room] : m_rooms) {
        if (room->appId == appId && room->name == name.toString())
            return ApiResult::error(409, QStringLiteral("Conference name already taken for this application"),
                                    {{QStringLiteral("room_id"), id}});
    }
    auto room = std::make_unique<Room>();
    room->id = m_node + QStringLiteral("-room-") + m_ids.uuid4();
    room->appId = appId;
    room->name = name.toString();
    room->createdMs = m_clock.nowMs();
    Room &ref = *room;
    m_rooms.emplace(ref.id, std::move(room));
    m_order.push_back(ref.id);
    m_media.openRoom(ref.id);
    // Immediate: published before the 201 goes out.
    publishRoom(ref, QStringLiteral("conference.created"),
                {{QLatin1StringView("app_id"), appId}, {kRoomId, ref.id}, {QLatin1StringView("name"), ref.name}});
    return ApiResult::success(201, {{QStringLiteral("room_id"), ref.id}});
}

ApiResult Conferences::list(const QString &appId) const
{
    QJsonArray rooms;
    for (const QString &id : m_order) {
        const Room *r = room(id);
        if (r && r->appId == appId)
            rooms.append(roomJson(*r));
    }
    return ApiResult::success(200, {{QStringLiteral("conferences"), rooms}});
}

ApiResult Conferences::get(const QString &appId, const QString &roomId) const
{
    ApiResult refusal;
    const Room *r = access(appId, roomId, &refusal);
    return r ? ApiResult::success(200, roomJson(*r)) : refusal;
}

std::optional<ApiResult> Conferences::checkAccess(const QString &appId, const QString &roomId) const
{
    ApiResult refusal;
    if (!access(appId, roomId, &refusal))
        return refusal;
    return std::nullopt;
}

ApiResult Conferences::remove(const QString &appId, const QString &roomId)
{
    ApiResult refusal;
    Room *r = access(appId, roomId, &refusal);
    if (!r)
        return refusal;
    stopPlayback(*r, false);
    // Everyone is removed (kicked), then the room goes.
    const std::vector<Member> members = r->members;
    for (const Member &m : members)
        if (Session *s = m_host.liveSession(m.sessionUuid))
            leave(*s, QStringLiteral("removed"));
    publishRoom(*r, QStringLiteral("conference.destroyed"), {{QLatin1StringView("app_id"), r->appId}, {kRoomId, r->id}});
    m_media.closeRoom(roomId);
    m_cooldowns.forget(roomId);
    m_order.erase(std::remove(m_order.begin(), m_order.end(), roomId), m_order.end());
    m_rooms.erase(roomId);
    return ApiResult::success(200, {{QStringLiteral("room_id"), roomId}});
}

void Conferences::stopPlayback(Room &room, bool publishStopped)
{
    if (room.playback == Room::Playback::Idle)
        return;
    m_media.stopRoom(room.id);
    m_media.discard(room.request);
    m_requests.remove(room.request);
    const QStringList urls = room.urls;
    room.playback = Room::Playback::Idle;
    room.request = 0;
    if (publishStopped)
        publishRoom(room, QStringLiteral("conference.play.stopped"), {{kRoomId, room.id}, {kUrls, urls}});
}

ApiResult Conferences::play(const QString &appId, const QString &roomId, const QJsonObject &body)
{
    ApiResult refusal;
    Room *r = access(appId, roomId, &refusal);
    if (!r)
        return refusal;
    QStringList urls;
    if (auto invalid = CommandRules::parseUrls(body, &urls))
        return *invalid;
    if (const qint64 wait = m_cooldowns.remaining(roomId, RateGroup::ConferencePlay); wait > 0)
        return ApiResult::rateLimited(rateGroupName(RateGroup::ConferencePlay), wait);
    m_cooldowns.start(roomId, RateGroup::ConferencePlay);
    stopPlayback(*r, true); // a new room playback replaces the old one
    r->playback = Room::Playback::Playing;
    r->urls = urls;
    r->request = m_host.newMediaRequest();
    m_requests.insert(r->request, roomId);
    // Immediate: started at once; the audio follows as soon as it is fetched.
    publishRoom(*r, QStringLiteral("conference.play.started"), {{kRoomId, roomId}, {kUrls, urls}});
    m_media.fetch(r->request, urls);
    return ApiResult::success(200, roomJson(*r));
}

Conferences::Room *Conferences::playbackControl(const QString &appId, const QString &roomId, ApiResult *refusal)
{
    Room *r = access(appId, roomId, refusal);
    if (!r)
        return nullptr;
    if (const qint64 wait = m_cooldowns.remaining(roomId, RateGroup::ConferenceControl); wait > 0) {
        *refusal = ApiResult::rateLimited(rateGroupName(RateGroup::ConferenceControl), wait);
        return nullptr;
    }
    if (r->playback == Room::Playback::Idle) {
        *refusal = ApiResult::error(409, QStringLiteral("No room playback"));
        return nullptr;
    }
    m_cooldowns.start(roomId, RateGroup::ConferenceControl);
    return r;
}

ApiResult Conferences::pause(const QString &appId, const QString &roomId)
{
    ApiResult refusal;
    Room *r = playbackControl(appId, roomId, &refusal);
    if (!r)
        return refusal;
    // Toggles: pause when playing, resume when paused.
    const bool paused = r->playback == Room::Playback::Playing;
    r->playback = paused ? Room::Playback::Paused : Room::Playback::Playing;
    m_media.setRoomPaused(roomId, paused);
    publishRoom(*r, QStringLiteral("conference.play.paused"), {{kRoomId, roomId}, {QLatin1StringView("paused"), paused}});
    return ApiResult::success(200, roomJson(*r));
}

ApiResult Conferences::stop(const QString &appId, const QString &roomId)
{
    ApiResult refusal;
    Room *r = playbackControl(appId, roomId, &refusal);
    if (!r)
        return refusal;
    stopPlayback(*r, true);
    return ApiResult::success(200, roomJson(*r));
}

ApiResult Conferences::setVolume(const QString &appId, const QString &roomId, const QJsonObject &body)
{
    ApiResult refusal;
    Room *r = access(appId, roomId, &refusal);
    if (!r)
        return refusal;
    const QJsonValue volume = body.value(QStringLiteral("volume"));
    if (volume.isUndefined() || volume.isNull())
        return ApiResult::error(400, QStringLiteral("volume is required"));
    if (!isIntegerIn(volume, -50, 7))
        return ApiResult::error(400, QStringLiteral("volume must be between -50 and 7"));
    if (const qint64 wait = m_cooldowns.remaining(roomId, RateGroup::ConferenceControl); wait > 0)
        return ApiResult::rateLimited(rateGroupName(RateGroup::ConferenceControl), wait);
    m_cooldowns.start(roomId, RateGroup::ConferenceControl);
    r->volume = int(volume.toDouble());
    m_media.setRoomVolume(roomId, r->volume);
    publishRoom(*r, QStringLiteral("conference.play.volume_changed"), {{kRoomId, roomId}, {QLatin1StringView("volume"), r->volume}});
    return ApiResult::success(200, roomJson(*r));
}

bool Conferences::mediaReady(MediaRequest request, const QList<MediaFailure> &failures)
{
    const auto it = m_requests.find(request);
    if (it == m_requests.end())
        return false;
    const QString roomId = *it;
    m_requests.erase(it);
    const auto found = m_rooms.find(roomId);
    if (found == m_rooms.end() || found->second->request != request) {
        m_media.discard(request);
        return true;
    }
    Room &r = *found->second;
    if (!failures.isEmpty()) {
        for (const MediaFailure &failure : failures)
            publishRoom(r, QStringLiteral("playback.file_not_found"),
                        {{kRoomId, roomId}, {kUrls, r.urls}, {QLatin1StringView("url"), failure.url},
                         {QLatin1StringView("reason"), failure.reason}});
        stopPlayback(r, true);
        return true;
    }
    m_media.playInRoom(roomId, request);
    if (r.playback == Room::Playback::Paused)
        m_media.setRoomPaused(roomId, true);
    return true;
}

void Conferences::roomPlaybackFinished(const QString &roomId, MediaRequest request)
{
    const auto found = m_rooms.find(roomId);
    if (found == m_rooms.end() || found->second->request != request)
        return;
    Room &r = *found->second;
    m_media.discard(request);
    const QStringList urls = r.urls;
    r.playback = Room::Playback::Idle;
    r.request = 0;
    publishRoom(r, QStringLiteral("conference.play.finished"), {{kRoomId, roomId}, {kUrls, urls}});
}

bool Conferences::handles(const QString &command)
{
    return command.startsWith(QLatin1String("conference/"));
}

void Conferences::leave(Session &session, const QString &reason)
{
    const QString roomId = session.roomId;
    if (roomId.isEmpty())
        return;
    const auto found = m_rooms.find(roomId);
    if (found != m_rooms.end()) {
        auto &members = found->second->members;
        members.erase(std::remove_if(members.begin(), members.end(),
                                     [&](const Member &m) { return m.sessionUuid == session.uuid; }),
                      members.end());
    }
    m_media.leaveRoom(session.uuid);
    session.roomId.clear();
    session.muted = true;
    session.joinedMs = -1;
    m_host.publish(session, QStringLiteral("conference.member.left"),
                   {{kRoomId, roomId}, {QLatin1StringView("reason"), reason}});
}

void Conferences::run(Session &session, const Operation &op, const QJsonObject &body)
{
    const QString &c = op.command;
    if (c == QLatin1String("conference/join")) {
        const QString roomId = body.value(QStringLiteral("room_id")).toString();
        const auto found = m_rooms.find(roomId);
        // Another app's room does not exist as far as this session can tell.
        if (found == m_rooms.end() || found->second->appId != session.appId) {
            m_host.publishResult(session, op, false, QStringLiteral("room not found"));
            return;
        }
        if (session.roomId == roomId) {
            m_host.publishResult(session, op, true); // already a member
            return;
        }
        leave(session, QStringLiteral("removed")); // C-CONF: joining a second room leaves the first
        Room &r = *found->second;
        r.members.push_back({session.uuid, session.callerId, true, m_clock.nowMs()});
        session.roomId = roomId;
        session.muted = true;
        session.joinedMs = m_clock.nowMs();
        m_media.joinRoom(session.uuid, roomId, true);
        // Deferred: the media engine confirms the join at once, so the event and the result
        // follow each other directly.
        m_host.publish(session, QStringLiteral("conference.member.joined"),
                       {{kRoomId, roomId}, {QLatin1StringView("caller_id"), session.callerId},
                        {QLatin1StringView("muted"), true}});
        m_host.publishResult(session, op, true);
        return;
    }
    if (session.roomId.isEmpty()) {
        m_host.publishResult(session, op, false, QStringLiteral("not in conference"));
        return;
    }
    if (c == QLatin1String("conference/leave")) {
        leave(session, QStringLiteral("removed"));
        m_host.publishResult(session, op, true);
        return;
    }
    const bool muted = c == QLatin1String("conference/mute");
    session.muted = muted;
    if (Room *r = m_rooms.count(session.roomId) ? m_rooms[session.roomId].get() : nullptr) {
        for (Member &m : r->members)
            if (m.sessionUuid == session.uuid)
                m.muted = muted;
    }
    m_media.setMuted(session.uuid, muted);
    m_host.publish(session, muted ? QStringLiteral("conference.member.muted") : QStringLiteral("conference.member.unmuted"),
                   {{kRoomId, session.roomId}});
    m_host.publishResult(session, op, true);
}

void Conferences::endSession(Session &session, const QString &reason)
{
    leave(session, reason);
}

void Conferences::reset()
{
    for (const auto &[id, room] : m_rooms)
        m_media.closeRoom(id);
    m_rooms.clear();
    m_order.clear();
    m_requests.clear();
}

} // namespace VoiceSim
