// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "webhookdispatcher.h"

#include "../engine/appregistry.h"
#include "../events/event.h"

#include <QDateTime>
#include <QEventLoop>
#include <QJsonDocument>
#include <QTimer>

#include <memory>

namespace VoiceSim {

namespace {

const QString kFaultDuplicate = QStringLiteral("duplicate");
const QString kFaultReorder = QStringLiteral("reorder");
const QString kFaultDelay = QStringLiteral("delay");
const QString kFaultDrop = QStringLiteral("drop");
const QString kFaultBadSignature = QStringLiteral("bad_signature");
const QString kFaultStaleTimestamp = QStringLiteral("stale_timestamp");
// Standard Webhooks receivers refuse timestamps more than five minutes off; ten is clearly stale.
constexpr qint64 kStaleSeconds = 600;

QByteArray headerLines(const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QByteArray out;
    for (const auto &[name, value] : headers)
        out += name + ": " + value + "\r\n";
    return out;
}

std::mt19937_64 makeRandom(std::optional<quint64> seed)
{
    if (seed)
        return std::mt19937_64(*seed ^ 0x5eed'de11'0e12'a7e5ULL); // apart from the id generator's stream
    std::random_device device;
    return std::mt19937_64((quint64(device()) << 32) ^ device());
}

} // namespace

WebhookDispatcher::WebhookDispatcher(Clock &clock, DeliveryJournal &journal, WebhookClient &client, const AppRegistry &apps,
                                     DispatcherConfig config, std::optional<quint64> seed, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_journal(journal)
    , m_client(client)
    , m_apps(apps)
    , m_config(config)
    , m_policy(RetryPolicy::preset(config.retryPreset).withJitter(config.retryJitter))
    , m_random(makeRandom(seed))
{
    // A commit may make heads sendable (C-DURABLE: sent only once on disk).
    m_journal.setCommitListener(this, [this] { schedulePump(); });
}

WebhookDispatcher::~WebhookDispatcher()
{
    m_journal.setCommitListener(nullptr, {});
}

void WebhookDispatcher::submit(const Event &event)
{
    const App *app = m_apps.find(event.appId);
    JournalEvent e;
    e.id = event.id;
    e.appId = event.appId;
    e.kind = event.kind;
    e.streamId = event.streamId;
    e.sequence = event.sequence;
    e.type = event.type;
    e.createdMs = event.epochMs;
    // The body is fixed at publication, in the app's envelope of that moment.
    e.body = QJsonDocument(event.body(app ? app->envelope : EnvelopeShape::Default)).toJson(QJsonDocument::Compact);
    // An app without a webhook URL has nowhere to deliver to: the event is kept as a dead
    // letter without attempts, and can be redelivered once a URL is set.
    const bool deliverable = app && !app->webhookUrl.isEmpty();
    if (!deliverable)
        e.status = DeliveryStatus::Dead;
    e.row = m_journal.append(e);
    Q_EMIT accepted(e);
    if (!deliverable)
        return;
    if (m_spilled || m_queued >= m_config.maxQueued) {
        m_spilled = true; // from here on the journal holds the order until refill() catches up
        schedulePump();
        return;
    }
    m_loadedRow = e.row;
    QString key = e.streamId;
    Item item{std::move(e), {}, false};
    const auto it = m_streams.find(key);
    if (m_faults.reorder > 0 && it != m_streams.end() && !it->second.queue.empty() && draw(m_faults.reorder)) {
        // C-CHAOS reorder: this event stops waiting for its stream and may overtake it.
        key += QStringLiteral("#reorder-") + QString::number(m_nextReorder++);
        item.fault = kFaultReorder;
    }
    enqueue(key, std::move(item));
}

qsizetype WebhookDispatcher::resume()
{
    // The same path as events that did not fit in memory: read back in journal order.
    const qsizetype open = m_journal.undeliveredCount();
    if (open == 0)
        return 0;
    m_spilled = true;
    m_loadedRow = 0;
    refill();
    schedulePump();
    return open;
}

void WebhookDispatcher::enqueue(const QString &streamKey, Item item)
{
    Stream &stream = m_streams[streamKey];
    stream.queue.push_back(std::move(item));
    ++m_queued;
    if (!stream.busy && !stream.ready)
        markReady(streamKey);
}

void WebhookDispatcher::markReady(const QString &streamKey)
{
    Stream &stream = m_streams[streamKey];
    stream.ready = true;
    m_ready.push_back({streamKey, m_journal.writtenTicket()});
    schedulePump();
}

void WebhookDispatcher::schedulePump()
{
    if (m_pumpScheduled)
        return;
    m_pumpScheduled = true;
    // Due now: in every clock mode the first attempt goes out at once (C-CLOCK).
    m_clock.callAfter(0, this, [this] { pump(); });
}

void WebhookDispatcher::pump()
{
    m_pumpScheduled = false;
    // C-DURABLE: whatever is about to be sent, and every status that came back, goes to the
    // journal's writer; a stream's head goes out only once its ticket is committed.
    m_journal.commit();
    const QString error = m_journal.errorString();
    if (error != m_journalError) {
        if (!error.isEmpty())
            qWarning("voicesim: %s; deliveries wait until it can be written", qPrintable(error));
        m_journalError = error;
    }
    refill();
    const quint64 committed = m_journal.committedTicket();
    while (m_inFlight < m_config.maxInFlight && !m_ready.empty() && m_ready.front().ticket <= committed) {
        const QString key = m_ready.front().key;
        m_ready.pop_front();
        const auto it = m_streams.find(key);
        if (it == m_streams.end())
            continue;
        Stream &stream = it->second;
        stream.ready = false;
        if (stream.busy || stream.queue.empty())
            continue;
        stream.busy = true;
        start(key, stream.queue.front());
    }
    checkIdle();
}

void WebhookDispatcher::refill()
{
    if (!m_spilled || m_queued > m_config.maxQueued / 2)
        return;
    const int room = int(std::min<qsizetype>(m_config.maxQueued - m_queued, 1'000'000));
    const QList<JournalEvent> events = m_journal.undelivered(m_loadedRow, room);
    for (const JournalEvent &e : events) {
        m_loadedRow = e.row;
        enqueue(e.streamId, Item{e, {}, false});
    }
    if (events.size() < room) {
        m_spilled = false;
        m_loadedRow = std::max(m_loadedRow, m_journal.lastRow());
    }
}

void WebhookDispatcher::start(const QString &streamKey, Item &item)
{
    const App *app = m_apps.find(item.event.appId);
    if (!app || app->webhookUrl.isEmpty()) {
        // The URL went away while the event waited: nowhere to send it.
        m_journal.setStatus(item.event.row, DeliveryStatus::Dead, item.event.attemptCount, item.event.lastStatusCode, 0);
        ++m_stats.dead;
        popHead(streamKey);
        return;
    }
    ++m_inFlight;
    QStringList faults;
    if (!item.fault.isEmpty())
        faults << item.fault;
    qint64 timestamp = m_config.wallClockTimestamps ? QDateTime::currentSecsSinceEpoch() : m_clock.epochMs() / 1000;
    bool badSignature = false, drop = false, delay = false, duplicate = false;
    if (m_faults.any()) {
        // Drawn in a fixed order, so a seed repeats the same faults; the log names every one.
        duplicate = draw(m_faults.duplicate);
        delay = draw(m_faults.delay);
        drop = draw(m_faults.drop);
        badSignature = draw(m_faults.badSignature);
        const bool stale = draw(m_faults.staleTimestamp);
        if (stale)
            timestamp -= kStaleSeconds;
        for (const auto &[on, name] : {std::pair{delay, kFaultDelay}, std::pair{drop, kFaultDrop},
                                       std::pair{badSignature, kFaultBadSignature}, std::pair{stale, kFaultStaleTimestamp}})
            if (on)
                faults << name;
    }
    const QString fault = faults.join(QLatin1Char(','));

    WebhookRequest request;
    request.url = QUrl(app->webhookUrl);
    request.timeoutMs = m_config.attemptTimeoutMs;
    request.body = item.event.body;
    const QByteArray id = item.event.id.toUtf8();
    request.headers = {{QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")},
                       {QByteArrayLiteral("User-Agent"), QByteArrayLiteral("voicesim/" VOICESIM_VERSION)}};
    if (const WebhookSigner *signer = signerFor(app->webhookSecret)) {
        // A bad signature is a real HMAC of the wrong message, as a mix-up of secrets would be.
        request.headers += signer->headers(id, timestamp, badSignature ? request.body + ' ' : request.body);
    }
    request.head = WebhookClient::requestHead(request); // for the wire and for the log

    const Item copy = item;
    if (drop) {
        // Never sent: the log says so, and the retry schedule takes over as after a lost request.
        const qint64 at = m_clock.epochMs();
        m_clock.callAfter(0, this, [this, streamKey, copy, request, fault, at] {
            WebhookResponse none;
            none.outcome = WebhookResponse::Outcome::ConnectionError;
            none.error = QStringLiteral("not sent: dropped by fault injection");
            finish(streamKey, copy, request, fault, at, none, true);
        });
        return;
    }
    if (delay) {
        m_clock.callAfter(m_faults.delayMs, this, [this, streamKey, copy, request, fault, duplicate] {
            send(streamKey, copy, request, fault, true);
            if (duplicate)
                send(streamKey, copy, request, kFaultDuplicate, false);
        });
        return;
    }
    send(streamKey, copy, request, fault, true);
    if (duplicate)
        send(streamKey, copy, request, kFaultDuplicate, false);
}

void WebhookDispatcher::send(const QString &streamKey, const Item &item, WebhookRequest request, const QString &fault, bool primary)
{
    const qint64 at = m_clock.epochMs();
    auto id = std::make_shared<quint64>(0);
    *id = m_client.send(request, [this, id, streamKey, item, request, fault, at, primary](const WebhookResponse &response) {
        m_wire.remove(*id);
        if (m_settleLoop && !hasUnwaited())
            m_settleLoop->quit();
        finish(streamKey, item, request, fault, at, response, primary);
    });
    m_wire.insert(*id, false);
}

void WebhookDispatcher::finish(const QString &streamKey, const Item &item, const WebhookRequest &request, const QString &fault,
                               qint64 atMs, const WebhookResponse &response, bool primary)
{
    JournalAttempt attempt;
    attempt.eventRow = item.event.row;
    attempt.atMs = atMs;
    attempt.url = request.url.toString();
    attempt.requestHeaders = request.head.isEmpty() ? WebhookClient::requestHead(request) : request.head;
    const bool answered = response.outcome == WebhookResponse::Outcome::Response;
    attempt.statusCode = answered ? response.status : 0;
    attempt.responseHeaders = headerLines(response.headers);
    attempt.responseBody = response.body;
    attempt.latencyMs = response.latencyMs;
    attempt.error = response.error;
    attempt.fault = fault;
    m_journal.recordAttempt(attempt);
    ++m_stats.attempts;
    const bool success = RetryPolicy::isSuccess(response);
    if (!success)
        ++m_stats.failedAttempts;

    JournalEvent event = item.event;
    if (!primary) {
        Q_EMIT attemptFinished(event, attempt);
        return;
    }
    --m_inFlight;
    ++event.attemptCount;
    if (answered)
        event.lastStatusCode = response.status;

    if (item.manual) {
        // A redelivery by hand: one attempt; success settles a dead letter, failure changes nothing else.
        if (success)
            event.status = DeliveryStatus::Delivered;
        m_journal.setStatus(event.row, event.status, event.attemptCount, event.lastStatusCode, 0);
        popHead(streamKey);
    } else {
        const auto it = m_streams.find(streamKey);
        if (it == m_streams.end() || it->second.queue.empty() || it->second.queue.front().event.row != event.row) {
            qWarning("voicesim: a webhook answer for a stream that is gone (%s)", qPrintable(streamKey));
            return;
        }
        JournalEvent &head = it->second.queue.front().event;
        head.attemptCount = event.attemptCount;
        head.lastStatusCode = event.lastStatusCode;
        std::optional<qint64> delay;
        if (!success) {
            const double jitter = std::uniform_real_distribution<double>(0.0, 1.0)(m_random);
            delay = m_policy.nextDelay(event.attemptCount, response, m_clock.epochMs(), jitter);
        }
        if (success) {
            event.status = DeliveryStatus::Delivered;
            m_journal.setStatus(event.row, event.status, event.attemptCount, event.lastStatusCode, 0);
            ++m_stats.delivered;
            popHead(streamKey);
        } else if (delay) {
            event.status = DeliveryStatus::Failed;
            event.nextAttemptMs = m_clock.epochMs() + *delay;
            head.status = event.status;
            m_journal.setStatus(event.row, event.status, event.attemptCount, event.lastStatusCode, event.nextAttemptMs);
            m_clock.callAfter(*delay, this, [this, streamKey] {
                const auto s = m_streams.find(streamKey);
                if (s == m_streams.end())
                    return;
                s->second.busy = false;
                markReady(streamKey);
            });
        } else {
            event.status = DeliveryStatus::Dead; // C-RETRY: the last retry failed
            m_journal.setStatus(event.row, event.status, event.attemptCount, event.lastStatusCode, 0);
            ++m_stats.dead;
            popHead(streamKey);
        }
    }
    Q_EMIT attemptFinished(event, attempt);
    schedulePump();
}

void WebhookDispatcher::popHead(const QString &streamKey)
{
    const auto it = m_streams.find(streamKey);
    if (it == m_streams.end())
        return;
    Stream &stream = it->second;
    if (!stream.queue.empty()) {
        stream.queue.pop_front();
        --m_queued;
    }
    stream.busy = false;
    if (stream.queue.empty()) {
        if (!stream.ready)
            m_streams.erase(it);
        schedulePump();
        return;
    }
    markReady(streamKey);
}

WebhookDispatcher::Redelivery WebhookDispatcher::redeliver(const QString &eventId)
{
    const std::optional<JournalEvent> event = m_journal.event(eventId);
    if (!event)
        return Redelivery::NotFound;
    if (event->status == DeliveryStatus::Pending || event->status == DeliveryStatus::Failed)
        return Redelivery::InProgress;
    const App *app = m_apps.find(event->appId);
    if (!app || app->webhookUrl.isEmpty())
        return Redelivery::NoUrl;
    // Its own one-item stream, so it neither waits for nor holds up the event's stream.
    const QString key = QStringLiteral("#redeliver-") + QString::number(event->row) + QLatin1Char('-')
        + QString::number(m_nextReorder++);
    enqueue(key, Item{*event, {}, true});
    return Redelivery::Started;
}

const WebhookSigner *WebhookDispatcher::signerFor(const QString &secret)
{
    auto it = m_signers.find(secret);
    if (it == m_signers.end()) {
        const std::optional<WebhookSigner> signer = WebhookSigner::fromSecret(secret);
        if (!signer)
            return nullptr;
        it = m_signers.insert(secret, *signer);
    }
    return &*it;
}

bool WebhookDispatcher::draw(double probability)
{
    if (probability <= 0)
        return false;
    return std::uniform_real_distribution<double>(0.0, 1.0)(m_random) < probability;
}

bool WebhookDispatcher::hasUnwaited() const
{
    return std::any_of(m_wire.cbegin(), m_wire.cend(), [](bool waited) { return !waited; });
}

void WebhookDispatcher::settle()
{
    // What waits only for the journal's writer goes out before time moves: the commit is
    // awaited here and the pump is due now, so the clock runs it and settles again.
    if (!m_ready.empty() && m_inFlight < m_config.maxInFlight) {
        if (m_ready.front().ticket > m_journal.committedTicket())
            m_journal.flush();
        schedulePump();
        return;
    }
    if (m_config.settleWaitMs <= 0 || !hasUnwaited() || m_settleLoop)
        return;
    QEventLoop loop;
    m_settleLoop = &loop;
    QTimer::singleShot(m_config.settleWaitMs, &loop, &QEventLoop::quit);
    loop.exec();
    m_settleLoop = nullptr;
    // Whatever is still on the wire is waited for no more: it answers or times out in virtual time.
    for (auto it = m_wire.begin(); it != m_wire.end(); ++it)
        it.value() = true;
}

void WebhookDispatcher::checkIdle()
{
    if (m_queued == 0 && m_inFlight == 0 && !m_spilled)
        Q_EMIT idle();
}

} // namespace VoiceSim
