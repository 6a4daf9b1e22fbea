// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "mediaengine.h"

#include "dtmfdetector.h"
#include "mediafetcher.h"
#include "wavrecorder.h"

#include <QEventLoop>
#include <QSet>
#include <QTimer>
#include <QUrl>

#include <algorithm>
#include <cmath>

namespace VoiceSim {

namespace {

constexpr int kN = MediaEngine::kFrameSamples;
constexpr qint64 kMaxCatchUpFrames = 50; // one second; beyond that a stall skips ahead

constexpr qint32 kVoicePeak = 328; // -40 dBFS of full scale

qint16 saturate(qint32 v)
{
    return qint16(std::clamp<qint32>(v, -32768, 32767));
}

} // namespace

struct MediaEngine::Call
{
    DtmfMode mode = DtmfMode::Rfc4733;
    qint64 openedMs = 0;
    qint64 firstFrameMs = -1;
    Player player;
    std::deque<QList<qint16>> speech;
    qint64 speechPosition = 0;
    std::deque<KeyPress> keys;
    qint64 keysEndSample = 0;
    std::unique_ptr<WavRecorder> recorder;
    std::unique_ptr<DtmfDetector> detector;
    QString roomId;
    bool muted = true;
    QSet<MediaRequest> played; // dropped with the call, should the engine not discard them
    // What the caller heard, in one-second chunks, the oldest dropped beyond the cap.
    std::deque<QList<qint16>> history;
    qint64 historyDropped = 0; // samples no longer kept
    qint64 historySamples = 0; // samples kept
    qint32 up[kN] = {};
    qint32 down[kN] = {};
    AudioEndpoint *endpoint = nullptr;
    qint64 lastVoiceFrame = -1000; // the last frame whose upstream peaked above -40 dBFS
};

struct MediaEngine::Room
{
    std::vector<QString> members; // join order
    Player player;
    float gain = 1.0f;
    qint32 mix[kN] = {};
    qint32 playback[kN] = {};
};

struct MediaEngine::Fetch
{
    QStringList urls;
    QList<QByteArray> data;
    QList<QString> errors;
    QList<quint64> ids;
    int remaining = 0;
    bool decoding = false;
};

MediaEngine::MediaEngine(Clock &clock, Options options, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_options(options)
    , m_decoder(kRate)
    , m_keys(kRate)
    , m_fetcher(new MediaFetcher(options.fetchTimeoutMs, options.maxFetchBytes, this))
    , m_random(options.seed)
{
    m_pool.setMaxThreadCount(1); // one decoder beside the engine thread; fetches are rare
}

MediaEngine::~MediaEngine()
{
    m_clock.cancel(m_tickTimer);
    m_pool.waitForDone(); // decoders post back to this object
}

MediaEngine::Call *MediaEngine::call(const QString &uuid) const
{
    const auto it = m_calls.find(uuid);
    return it == m_calls.end() ? nullptr : it->second.get();
}

MediaEngine::Room *MediaEngine::room(const QString &roomId) const
{
    const auto it = m_rooms.find(roomId);
    return it == m_rooms.end() ? nullptr : it->second.get();
}

void MediaEngine::settle()
{
    while (!m_fetching.isEmpty()) {
        QEventLoop loop;
        connect(this, &MediaEngine::fetchesSettled, &loop, &QEventLoop::quit);
        // The fetcher's own timeout ends every download; this only guards against a bug.
        QTimer::singleShot(m_options.fetchTimeoutMs + 5000, &loop, &QEventLoop::quit);
        loop.exec();
        if (!m_fetching.isEmpty() && m_fetcher->pendingCount() == 0 && m_decoding == 0)
            break;
    }
}

void MediaEngine::openCall(const QString &sessionUuid, DtmfMode mode)
{
    auto c = std::make_unique<Call>();
    c->mode = mode;
    c->openedMs = m_clock.nowMs();
    if (mode == DtmfMode::Inband) {
        c->detector = std::make_unique<DtmfDetector>(
            [this, sessionUuid](const DtmfDetector::Press &press) {
                notifyLater([this, sessionUuid, press] {
                    if (m_listener)
                        m_listener->dtmfReceived(sessionUuid, press.key, press.durationMs);
                });
            },
            [this, sessionUuid] {
                notifyLater([this, sessionUuid] {
                    if (m_listener)
                        m_listener->dtmfStarted(sessionUuid);
                });
            });
    }
    m_calls[sessionUuid] = std::move(c);
    ensureTicking();
}

void MediaEngine::closeCall(const QString &sessionUuid)
{
    Call *c = call(sessionUuid);
    if (!c)
        return;
    if (!c->roomId.isEmpty())
        leaveRoom(sessionUuid);
    if (c->recorder)
        c->recorder->finish();
    for (MediaRequest request : std::as_const(c->played))
        m_ready.remove(request);
    // What the caller heard stays available for a while after the call.
    c->recorder.reset();
    c->detector.reset();
    c->speech.clear();
    c->keys.clear();
    m_closed.emplace_back(sessionUuid, std::move(m_calls[sessionUuid]));
    if (m_closed.size() > kClosedCallsKept)
        m_closed.pop_front();
    m_calls.erase(sessionUuid);
}

void MediaEngine::closeAll()
{
    for (auto &[uuid, c] : m_calls)
        if (c->recorder)
            c->recorder->finish();
    m_calls.clear();
    m_closed.clear();
    m_rooms.clear();
    for (auto it = m_fetching.begin(); it != m_fetching.end(); ++it)
        for (quint64 id : std::as_const((*it)->ids))
            m_fetcher->cancel(id);
    m_fetching.clear();
    m_ready.clear();
    Q_EMIT fetchesSettled();
}

void MediaEngine::fetch(MediaRequest request, const QStringList &urls)
{
    auto f = std::make_shared<Fetch>();
    f->urls = urls;
    f->data.resize(urls.size());
    f->errors.resize(urls.size());
    f->remaining = int(urls.size());
    m_fetching.insert(request, f);
    std::uniform_real_distribution<double> draw(0.0, 1.0);
    for (qsizetype i = 0; i < urls.size(); ++i) {
        if (m_fetchFailureRate > 0 && draw(m_random) < m_fetchFailureRate) {
            f->errors[i] = QStringLiteral("injected fetch failure");
            --f->remaining;
            continue;
        }
        const quint64 id = m_fetcher->get(QUrl(urls.at(i)), [this, request, i](const MediaFetcher::Result &result) {
            const auto it = m_fetching.find(request);
            if (it == m_fetching.end())
                return;
            Fetch &fetch = **it;
            if (!result.error.isEmpty()) {
                fetch.errors[i] = result.error;
            } else {
                fetch.data[i] = result.data;
            }
            if (--fetch.remaining == 0)
                completeFetch(request);
        });
        f->ids.append(id);
    }
    if (f->remaining == 0) // every URL failed by injection: still answer from the event loop
        QMetaObject::invokeMethod(this, [this, request] { completeFetch(request); }, Qt::QueuedConnection);
}

void MediaEngine::completeFetch(MediaRequest request)
{
    const auto it = m_fetching.find(request);
    if (it == m_fetching.end() || (*it)->decoding)
        return;
    const std::shared_ptr<Fetch> f = *it;
    f->decoding = true;
    ++m_decoding;
    // Decoding a long MP3 takes a while: off the engine's thread, so no call misses a frame.
    // The request stays in m_fetching until the samples are back, so settle() waits for them.
    m_pool.start([this, request, f] {
        QList<AudioDecoder::Result> decoded(f->urls.size());
        for (qsizetype i = 0; i < f->urls.size(); ++i)
            if (f->errors.at(i).isEmpty())
                decoded[i] = m_decoder.decode(f->data.at(i));
        QMetaObject::invokeMethod(this, [this, request, f, decoded] { finishDecode(request, f, decoded); }, Qt::QueuedConnection);
    });
}

void MediaEngine::finishDecode(MediaRequest request, const std::shared_ptr<Fetch> &f, const QList<AudioDecoder::Result> &decoded)
{
    --m_decoding;
    const auto it = m_fetching.find(request);
    if (it == m_fetching.end() || *it != f) {
        if (m_fetching.isEmpty())
            Q_EMIT fetchesSettled();
        return; // discarded meanwhile
    }
    m_fetching.erase(it);

    QList<MediaFailure> failures;
    QList<qint16> all;
    for (qsizetype i = 0; i < f->urls.size(); ++i) {
        if (!f->errors.at(i).isEmpty()) {
            failures.append({f->urls.at(i), f->errors.at(i)});
            continue;
        }
        if (!decoded.at(i).ok()) {
            failures.append({f->urls.at(i), QStringLiteral("cannot decode: ") + decoded.at(i).error});
            continue;
        }
        all += decoded.at(i).samples;
    }
    const qint64 durationMs = failures.isEmpty() ? qint64(all.size()) * 1000 / kRate : 0;
    if (failures.isEmpty())
        m_ready.insert(request, std::move(all));
    if (m_listener)
        m_listener->mediaReady(request, durationMs, failures);
    if (m_fetching.isEmpty())
        Q_EMIT fetchesSettled();
}

void MediaEngine::discard(MediaRequest request)
{
    m_ready.remove(request);
    const auto it = m_fetching.find(request);
    if (it == m_fetching.end())
        return;
    for (quint64 id : std::as_const((*it)->ids))
        m_fetcher->cancel(id);
    m_fetching.erase(it);
    if (m_fetching.isEmpty())
        Q_EMIT fetchesSettled();
}

QList<qint16> MediaEngine::takeReady(MediaRequest request)
{
    return m_ready.take(request);
}

void MediaEngine::play(const QString &sessionUuid, MediaRequest request, qint64 offsetMs)
{
    Call *c = call(sessionUuid);
    if (!c)
        return;
    Player &p = c->player;
    p = Player{};
    // The media stays ready until the engine discards it: a prompt plays again on every try.
    p.samples = m_ready.value(request);
    c->played.insert(request);
    p.request = request;
    p.active = true;
    p.position = std::max<qint64>(0, offsetMs) * kRate / 1000;
    p.ended = p.position >= p.samples.size();
    if (p.ended)
        p.position = p.samples.size();
}

void MediaEngine::playSilence(const QString &sessionUuid)
{
    if (Call *c = call(sessionUuid)) {
        c->player = Player{};
        c->player.active = true;
        c->player.silence = true;
    }
}

qint64 MediaEngine::stopPlayback(const QString &sessionUuid)
{
    Call *c = call(sessionUuid);
    if (!c)
        return 0;
    const qint64 position = c->player.position * 1000 / kRate;
    c->player = Player{};
    return position;
}

void MediaEngine::setPaused(const QString &sessionUuid, bool paused)
{
    if (Call *c = call(sessionUuid))
        c->player.paused = paused;
}

void MediaEngine::seek(const QString &sessionUuid, qint64 positionMs)
{
    Call *c = call(sessionUuid);
    if (!c || !c->player.active || c->player.silence)
        return;
    Player &p = c->player;
    p.position = std::min<qint64>(positionMs * kRate / 1000, p.samples.size());
    p.ended = p.position >= p.samples.size();
}

qint64 MediaEngine::playbackPosition(const QString &sessionUuid) const
{
    const Call *c = call(sessionUuid);
    return c ? c->player.position * 1000 / kRate : 0;
}

bool MediaEngine::startRecording(const QString &sessionUuid, const QString &path, QString *error)
{
    Call *c = call(sessionUuid);
    if (!c) {
        *error = QStringLiteral("no such call");
        return false;
    }
    auto recorder = std::make_unique<WavRecorder>(kRate);
    if (!recorder->open(path)) {
        *error = recorder->errorString();
        return false;
    }
    c->recorder = std::move(recorder);
    return true;
}

qint64 MediaEngine::stopRecording(const QString &sessionUuid)
{
    Call *c = call(sessionUuid);
    if (!c || !c->recorder)
        return 0;
    const qint64 ms = c->recorder->durationMs();
    c->recorder->finish();
    c->recorder.reset();
    return ms;
}

void MediaEngine::openRoom(const QString &roomId)
{
    m_rooms[roomId] = std::make_unique<Room>();
    ensureTicking();
}

void MediaEngine::closeRoom(const QString &roomId)
{
    Room *r = room(roomId);
    if (!r)
        return;
    for (const QString &member : r->members)
        if (Call *c = call(member))
            c->roomId.clear();
    m_rooms.erase(roomId);
}

void MediaEngine::joinRoom(const QString &sessionUuid, const QString &roomId, bool muted)
{
    Call *c = call(sessionUuid);
    Room *r = room(roomId);
    if (!c || !r)
        return;
    if (!c->roomId.isEmpty())
        leaveRoom(sessionUuid);
    c->roomId = roomId;
    c->muted = muted;
    r->members.push_back(sessionUuid);
}

void MediaEngine::leaveRoom(const QString &sessionUuid)
{
    Call *c = call(sessionUuid);
    if (!c || c->roomId.isEmpty())
        return;
    if (Room *r = room(c->roomId))
        r->members.erase(std::remove(r->members.begin(), r->members.end(), sessionUuid), r->members.end());
    c->roomId.clear();
}

void MediaEngine::setMuted(const QString &sessionUuid, bool muted)
{
    if (Call *c = call(sessionUuid))
        c->muted = muted;
}

void MediaEngine::playInRoom(const QString &roomId, MediaRequest request)
{
    Room *r = room(roomId);
    if (!r)
        return;
    r->player = Player{};
    r->player.samples = m_ready.value(request);
    r->player.request = request;
    r->player.active = true;
    r->player.ended = r->player.samples.isEmpty();
}

void MediaEngine::setRoomPaused(const QString &roomId, bool paused)
{
    if (Room *r = room(roomId))
        r->player.paused = paused;
}

void MediaEngine::stopRoom(const QString &roomId)
{
    if (Room *r = room(roomId))
        r->player = Player{};
}

void MediaEngine::setRoomVolume(const QString &roomId, int volumeDb)
{
    if (Room *r = room(roomId))
        r->gain = float(std::pow(10.0, volumeDb / 20.0));
}

void MediaEngine::pressKeys(const QString &sessionUuid, const QString &digits, int durationMs, int gapMs)
{
    Call *c = call(sessionUuid);
    if (!c)
        return;
    qint64 at = std::max(c->keysEndSample, m_frameIndex * kN);
    for (const QChar key : digits) {
        if (key == QLatin1Char('w')) {
            at += 500 * kRate / 1000;
            continue;
        }
        c->keys.push_back({at, key, durationMs, m_keys.tone(key, durationMs, m_options.keyLevelDbfs)});
        at += qint64(durationMs + gapMs) * kRate / 1000;
    }
    c->keysEndSample = at;
}

void MediaEngine::speak(const QString &sessionUuid, MediaRequest request)
{
    Call *c = call(sessionUuid);
    QList<qint16> samples = takeReady(request);
    if (c && !samples.isEmpty())
        c->speech.push_back(std::move(samples));
}

QByteArray MediaEngine::heardAudio(const QString &sessionUuid, qint64 fromMs, qint64 toMs) const
{
    const Call *c = call(sessionUuid);
    for (auto it = m_closed.rbegin(); !c && it != m_closed.rend(); ++it)
        if (it->first == sessionUuid)
            c = it->second.get();
    if (!c)
        return {};
    // Sample 0 of the history is the call's first frame; before it the caller heard nothing.
    const qint64 lead = c->firstFrameMs < 0 ? 0 : (c->firstFrameMs - c->openedMs) * kRate / 1000;
    const qint64 total = lead + c->historyDropped + c->historySamples;
    const qint64 from = std::clamp<qint64>(fromMs * kRate / 1000, 0, total);
    const qint64 to = toMs < 0 ? total : std::clamp<qint64>(toMs * kRate / 1000, from, total);
    QList<qint16> out(to - from, 0);
    qint64 chunkStart = lead + c->historyDropped;
    for (const QList<qint16> &chunk : c->history) {
        const qint64 chunkEnd = chunkStart + chunk.size();
        const qint64 a = std::max(from, chunkStart), b = std::min(to, chunkEnd);
        for (qint64 s = a; s < b; ++s)
            out[s - from] = chunk[s - chunkStart];
        chunkStart = chunkEnd;
    }
    return WavRecorder::encode(out, kRate);
}

void MediaEngine::ensureTicking()
{
    if (m_ticking)
        return;
    m_ticking = true;
    // Frames sit on a fixed 20 ms grid of engine time, so runs repeat exactly.
    const qint64 now = m_clock.nowMs();
    m_nextFrameMs = (now + kFrameMs - 1) / kFrameMs * kFrameMs;
    m_tickTimer = m_clock.callAfter(m_nextFrameMs - now, this, [this] { onTick(); });
}

void MediaEngine::onTick()
{
    m_tickTimer = 0;
    const qint64 now = m_clock.nowMs();
    if (now - m_nextFrameMs >= kMaxCatchUpFrames * kFrameMs) {
        const qint64 skip = (now - m_nextFrameMs) / kFrameMs;
        m_stats.skippedFrames += quint64(skip);
        m_nextFrameMs += skip * kFrameMs;
    }
    while (m_nextFrameMs <= now) {
        if (now - m_nextFrameMs >= kFrameMs)
            ++m_stats.lateFrames;
        processFrame();
        m_nextFrameMs += kFrameMs;
        // Events of this frame go out before the next frame runs, as they would in real time.
        std::vector<std::function<void()>> pending;
        pending.swap(m_notifications);
        for (auto &fn : pending)
            fn();
    }
    if (m_calls.empty() && m_rooms.empty()) {
        m_ticking = false;
        return;
    }
    m_tickTimer = m_clock.callAfter(m_nextFrameMs - m_clock.nowMs(), this, [this] { onTick(); });
}

void MediaEngine::render(Player &player, qint32 *mix, float gain)
{
    if (!player.active || player.paused || player.silence || player.ended)
        return;
    const qint64 left = player.samples.size() - player.position;
    const qint64 n = std::min<qint64>(kN, left);
    const qint16 *src = player.samples.constData() + player.position;
    if (gain == 1.0f) {
        for (qint64 i = 0; i < n; ++i)
            mix[i] += src[i];
    } else {
        for (qint64 i = 0; i < n; ++i)
            mix[i] += qint32(std::lround(src[i] * gain));
    }
    player.position += n;
    if (player.position >= player.samples.size())
        player.ended = true;
}

void MediaEngine::setEndpoint(const QString &sessionUuid, AudioEndpoint *endpoint)
{
    if (Call *c = call(sessionUuid))
        c->endpoint = endpoint;
}

bool MediaEngine::isTalking(const QString &sessionUuid) const
{
    const Call *c = call(sessionUuid);
    return c && m_frameIndex - c->lastVoiceFrame <= 300 / kFrameMs;
}

void MediaEngine::processFrame()
{
    const qint64 frameStart = m_frameIndex * kN;
    const qint64 frameEnd = frameStart + kN;
    ++m_stats.frames;

    // Ends reached in the previous frame are heard by now: report them.
    for (auto &[uuid, c] : m_calls) {
        if (c->player.ended && c->player.active) {
            const MediaRequest request = c->player.request;
            const qint64 position = c->player.position * 1000 / kRate;
            c->player = Player{};
            notifyLater([this, uuid = uuid, request, position] {
                if (m_listener)
                    m_listener->playbackFinished(uuid, request, position);
            });
        }
    }
    for (auto &[roomId, r] : m_rooms) {
        if (r->player.ended && r->player.active) {
            const MediaRequest request = r->player.request;
            r->player = Player{};
            notifyLater([this, roomId = roomId, request] {
                if (m_listener)
                    m_listener->roomPlaybackFinished(roomId, request);
            });
        }
    }

    // 1. What each caller says: speech, then key tones on the engine's sample axis.
    for (auto &[uuid, c] : m_calls) {
        ++m_stats.callFrames;
        if (c->firstFrameMs < 0)
            c->firstFrameMs = m_nextFrameMs;
        std::fill(std::begin(c->up), std::end(c->up), 0);
        int filled = 0;
        while (filled < kN && !c->speech.empty()) {
            const QList<qint16> &chunk = c->speech.front();
            const qint64 n = std::min<qint64>(kN - filled, chunk.size() - c->speechPosition);
            for (qint64 i = 0; i < n; ++i)
                c->up[filled + i] += chunk[c->speechPosition + i];
            filled += int(n);
            c->speechPosition += n;
            if (c->speechPosition >= chunk.size()) {
                c->speech.pop_front();
                c->speechPosition = 0;
            }
        }
        while (!c->keys.empty()) {
            const KeyPress &key = c->keys.front();
            const qint64 keyEnd = key.startSample + key.tone.size();
            if (keyEnd <= frameStart) {
                // Out of band, the press is reported once it is over, with its exact length.
                if (c->mode == DtmfMode::Rfc4733) {
                    const QChar digit = key.key;
                    const int duration = key.durationMs;
                    notifyLater([this, uuid = uuid, digit, duration] {
                        if (m_listener)
                            m_listener->dtmfReceived(uuid, digit, duration);
                    });
                }
                c->keys.pop_front();
                continue;
            }
            break;
        }
        for (KeyPress &key : c->keys) {
            if (key.startSample >= frameEnd)
                break;
            if (!key.down && c->mode == DtmfMode::Rfc4733) {
                // Out of band, the key-down event goes out as the press begins.
                key.down = true;
                notifyLater([this, uuid = uuid] {
                    if (m_listener)
                        m_listener->dtmfStarted(uuid);
                });
            }
            const qint64 a = std::max(frameStart, key.startSample);
            const qint64 b = std::min(frameEnd, key.startSample + qint64(key.tone.size()));
            for (qint64 s = a; s < b; ++s)
                c->up[s - frameStart] += key.tone[s - key.startSample];
        }
        if (c->endpoint)
            c->endpoint->readUpstream(c->up, kN);
        qint32 peak = 0;
        for (qint32 &v : c->up) {
            v = saturate(v);
            peak = std::max(peak, std::abs(v));
        }
        if (peak > kVoicePeak)
            c->lastVoiceFrame = m_frameIndex;
    }

    // 2. Each room: its playback and the sum of every unmuted member.
    for (auto &[roomId, r] : m_rooms) {
        std::fill(std::begin(r->playback), std::end(r->playback), 0);
        render(r->player, r->playback, r->gain);
        std::copy(std::begin(r->playback), std::end(r->playback), r->mix);
        for (const QString &member : r->members) {
            const Call *c = call(member);
            if (c && !c->muted)
                for (int i = 0; i < kN; ++i)
                    r->mix[i] += c->up[i];
        }
    }

    // 3. What each caller hears, and what follows from it.
    QList<qint16> frame(kN);
    for (auto &[uuid, c] : m_calls) {
        std::fill(std::begin(c->down), std::end(c->down), 0);
        render(c->player, c->down, 1.0f);
        if (const Room *r = c->roomId.isEmpty() ? nullptr : room(c->roomId)) {
            for (int i = 0; i < kN; ++i)
                c->down[i] += r->mix[i] - (c->muted ? 0 : c->up[i]);
        }
        for (int i = 0; i < kN; ++i)
            frame[i] = saturate(c->down[i]);
        if (c->endpoint)
            c->endpoint->writeDownstream(frame.constData(), kN);

        if (c->history.empty() || c->history.back().size() >= kRate)
            c->history.emplace_back().reserve(kRate);
        c->history.back().append(frame);
        c->historySamples += kN;
        while (c->historySamples > qint64(m_options.historySeconds) * kRate && c->history.size() > 1) {
            c->historyDropped += c->history.front().size();
            c->historySamples -= c->history.front().size();
            c->history.pop_front();
        }

        if (c->recorder) {
            qint16 mixed[kN];
            for (int i = 0; i < kN; ++i)
                mixed[i] = saturate(c->up[i] + frame[i]);
            c->recorder->append(mixed, kN);
        }
        if (c->detector) {
            qint16 up[kN];
            for (int i = 0; i < kN; ++i)
                up[i] = qint16(c->up[i]);
            c->detector->feed(up, kN);
        }
    }
    ++m_frameIndex;
}

} // namespace VoiceSim
