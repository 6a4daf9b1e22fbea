// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "deliveryconfig.h"
#include "deliveryjournal.h"
#include "retrypolicy.h"
#include "webhookclient.h"
#include "webhooksigner.h"

#include <QHash>
#include <QObject>

#include <deque>
#include <optional>
#include <random>
#include <unordered_map>

QT_FORWARD_DECLARE_CLASS(QEventLoop)

namespace VoiceSim {

class AppRegistry;
struct Event;

// Turns published events into webhook deliveries (C-FIFO, C-RETRY, C-DURABLE, C-LOG, C-CHAOS):
// every event is journaled before it is sent; each stream (session or room) delivers in order,
// one event at a time, while streams run concurrently up to the in-flight limit; failures are
// retried on the clock and dead-lettered after the last retry; every attempt is journaled.
// After a restart, resume() picks up what the journal still holds, in journal order.
class WebhookDispatcher final : public QObject
{
    Q_OBJECT
public:
    WebhookDispatcher(Clock &clock, DeliveryJournal &journal, WebhookClient &client, const AppRegistry &apps,
                      DispatcherConfig config, std::optional<quint64> seed = std::nullopt, QObject *parent = nullptr);
    ~WebhookDispatcher() override;

    // Journals the event and queues its delivery (connected to EventStream::published).
    void submit(const Event &event);
    // Queues the journal's undelivered events (a restart); returns how many there are.
    qsizetype resume();

    enum class Redelivery { Started, NotFound, InProgress, NoUrl };
    // A new attempt of a delivered or dead-lettered event, at once and outside its stream (C-LOG).
    Redelivery redeliver(const QString &eventId);

    const DeliveryFaults &faults() const { return m_faults; }
    void setFaults(const DeliveryFaults &faults) { m_faults = faults; }

    // Waits (wall time, bounded by settleWaitMs) for attempts on the wire to answer; the
    // virtual clock calls it before time moves.
    void settle();

    int inFlight() const { return m_inFlight; }
    qsizetype queued() const { return m_queued; }

    struct Stats
    {
        quint64 delivered = 0;
        quint64 dead = 0;
        quint64 attempts = 0;
        quint64 failedAttempts = 0;
    };
    const Stats &stats() const { return m_stats; }

Q_SIGNALS:
    // An event is in the journal (buffered) and on its way; the timeline listens.
    void accepted(const VoiceSim::JournalEvent &event);
    // After each attempt is journaled (buffered); the timeline and benchmarks listen.
    void attemptFinished(const VoiceSim::JournalEvent &event, const VoiceSim::JournalAttempt &attempt);
    void idle(); // nothing queued and nothing in flight

private:
    struct Item
    {
        JournalEvent event;
        QString fault;      // "reorder" when the event left its stream
        bool manual = false; // a redelivery: one attempt, outside any stream
    };
    struct Stream
    {
        std::deque<Item> queue;
        bool busy = false;  // the head is on the wire or waiting for its retry
        bool ready = false; // listed in m_ready
    };

    void enqueue(const QString &streamKey, Item item);
    void markReady(const QString &streamKey);
    void schedulePump();
    void pump();
    void refill();
    void start(const QString &streamKey, Item &item);
    void send(const QString &streamKey, const Item &item, WebhookRequest request, const QString &fault, bool primary);
    void finish(const QString &streamKey, const Item &item, const WebhookRequest &request, const QString &fault,
                qint64 atMs, const WebhookResponse &response, bool primary);
    void settleHead(const QString &streamKey, const WebhookResponse &last);
    void popHead(const QString &streamKey);
    const WebhookSigner *signerFor(const QString &secret);
    bool draw(double probability);
    bool hasUnwaited() const;
    void checkIdle();

    Clock &m_clock;
    DeliveryJournal &m_journal;
    WebhookClient &m_client;
    const AppRegistry &m_apps;
    DispatcherConfig m_config;
    RetryPolicy m_policy;
    DeliveryFaults m_faults;
    std::mt19937_64 m_random;

    std::unordered_map<QString, Stream> m_streams;
    // Streams whose head may go out once the journal has committed the ticket (its event, and
    // the status of the event before it), oldest first; tickets only grow along the queue.
    struct Ready
    {
        QString key;
        quint64 ticket = 0;
    };
    std::deque<Ready> m_ready;
    QHash<QString, WebhookSigner> m_signers;
    QHash<quint64, bool> m_wire; // attempts on the wire -> already waited for by settle()
    int m_inFlight = 0;          // stream heads on the wire or held by a delay fault
    qsizetype m_queued = 0;      // items in memory
    // Events past m_loadedRow are in the journal only (memory was full, or a restart) and are
    // read back in journal order as memory frees up.
    bool m_spilled = false;
    qint64 m_loadedRow = 0;
    bool m_pumpScheduled = false;
    QEventLoop *m_settleLoop = nullptr;
    quint64 m_nextReorder = 1;
    QString m_journalError; // the write error last logged, so each is logged once
    Stats m_stats;
};

} // namespace VoiceSim
