// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apiresult.h"
#include "cooldowns.h"
#include "sessionhost.h"

#include <QJsonObject>
#include <QObject>

#include <map>
#include <optional>
#include <memory>
#include <vector>

namespace VoiceSim {

class Clock;
class EventStream;
class IdGenerator;

// Conference rooms and their members (C-CONF, C-ROOMS, C-ROOM-PATHS): the room endpoints, the
// session commands join/leave/mute/unmute, room playback and its events, with the per-room
// cooldowns. Audio is mixed by the media port.
class Conferences
{
public:
    struct Member
    {
        QString sessionUuid;
        QString callerId;
        bool muted = true;
        qint64 joinedMs = 0;
    };
    struct Room
    {
        enum class Playback { Idle, Playing, Paused };
        QString id;
        QString appId;
        QString name;
        qint64 createdMs = 0;
        std::vector<Member> members; // join order
        Playback playback = Playback::Idle;
        QStringList urls;
        int volume = 0;
        MediaRequest request = 0;
    };

    Conferences(SessionHost &host, Clock &clock, MediaPort &media, IdGenerator &ids, EventStream &events,
                Cooldowns &cooldowns, const QString &nodeHash);

    // Room endpoints, for one app; each answers like its HTTP endpoint.
    ApiResult create(const QString &appId, const QJsonObject &body);
    ApiResult list(const QString &appId) const;
    ApiResult get(const QString &appId, const QString &roomId) const;
    // 404 or 403 when the app may not use the room (for handlers that check before reading a body).
    std::optional<ApiResult> checkAccess(const QString &appId, const QString &roomId) const;
    ApiResult remove(const QString &appId, const QString &roomId);
    ApiResult play(const QString &appId, const QString &roomId, const QJsonObject &body);
    ApiResult pause(const QString &appId, const QString &roomId);
    ApiResult stop(const QString &appId, const QString &roomId);
    ApiResult setVolume(const QString &appId, const QString &roomId, const QJsonObject &body);

    static bool handles(const QString &command);
    void run(Session &session, const Operation &op, const QJsonObject &body);

    bool mediaReady(MediaRequest request, const QList<MediaFailure> &failures);
    void roomPlaybackFinished(const QString &roomId, MediaRequest request);
    // The session ends while in a room: member.left with reason (hangup or orphan).
    void endSession(Session &session, const QString &reason);
    void reset();

    const Room *room(const QString &roomId) const;
    int roomCount() const { return int(m_rooms.size()); }
    QList<const Room *> rooms() const; // by id

private:
    // 404 or 403 for a room the app may not use; else the room.
    Room *access(const QString &appId, const QString &roomId, ApiResult *refusal) const;
    // access(), then the 200 ms room control group and a playback to control (409 without one).
    Room *playbackControl(const QString &appId, const QString &roomId, ApiResult *refusal);
    QJsonObject roomJson(const Room &room) const;
    void publishRoom(Room &room, const QString &type, const EventData &data);
    void leave(Session &session, const QString &reason);
    void stopPlayback(Room &room, bool publishStopped);

    SessionHost &m_host;
    Clock &m_clock;
    MediaPort &m_media;
    IdGenerator &m_ids;
    EventStream &m_events;
    Cooldowns &m_cooldowns;
    QString m_node;
    std::map<QString, std::unique_ptr<Room>> m_rooms;
    std::vector<QString> m_order; // creation order, for listing
    QHash<MediaRequest, QString> m_requests;
};

} // namespace VoiceSim
