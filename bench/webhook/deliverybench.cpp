// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// Webhook delivery end to end, as voicesim runs it: events published on the event stream,
// journaled (SQLite file, WAL), signed, sent by the dispatcher one at a time per session (FIFO)
// with a number in flight, and counted when the 2xx is back.
//   deliverybench throughput <url> [sessions=1000] [events=200000] [in-flight=64]
//     prints "<deliveries/s> <seconds> <delivered> <journal transactions>"
//   deliverybench latency <url> [rate=200/s] [seconds=5]
//     prints "<p50_ms> <p99_ms> <max_ms> <deliveries>" from publication to the 2xx
#include <clock/realclock.h>
#include <engine/appregistry.h>
#include <engine/idgenerator.h>
#include <events/eventstream.h>
#include <webhooks/deliveryjournal.h>
#include <webhooks/webhookclient.h>
#include <webhooks/webhookdispatcher.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHash>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace VoiceSim;

namespace {

struct Rig
{
    explicit Rig(const QString &url, int inFlight)
        : journal(dir.filePath(QStringLiteral("journal.sqlite")))
        , apps(QStringLiteral("demo-app"))
        , events(clock, [this]() -> QString { return QStringLiteral("evt_") + ids.uuid7(clock.epochMs()); })
        , client(clock)
        , dispatcher(clock, journal, client, apps, config(inFlight), 1)
    {
        App &app = apps.upsert(QStringLiteral("demo-app"));
        app.webhookUrl = url;
        app.webhookSecret = QStringLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        if (!journal.open())
            qFatal("%s", qPrintable(journal.errorString()));
        QObject::connect(&events, &EventStream::published, &dispatcher, &WebhookDispatcher::submit);
    }
    static DispatcherConfig config(int inFlight)
    {
        DispatcherConfig c;
        c.maxInFlight = inFlight;
        return c;
    }
    void publish(const QString &session)
    {
        // The body wrk posts (bench/webhook/post.lua), but for the session and the sequence.
        events.publish(StreamKind::Session, session, QStringLiteral("demo-app"), QStringLiteral("call.answered"),
                       {{QLatin1StringView("command_uid"), QStringLiteral("c1")}, {QLatin1StringView("success"), true}});
    }

    QTemporaryDir dir;
    RealClock clock;
    IdGenerator ids{std::optional<quint64>(7)};
    DeliveryJournal journal;
    AppRegistry apps;
    EventStream events;
    WebhookClient client;
    WebhookDispatcher dispatcher;
};

QStringList sessionIds(int count)
{
    IdGenerator ids(std::optional<quint64>(3));
    QStringList out;
    for (int i = 0; i < count; ++i)
        out << QStringLiteral("acW68-") + ids.uuid4();
    return out;
}

int throughput(QCoreApplication &app, const QString &url, int sessions, qint64 total, int inFlight)
{
    Rig rig(url, inFlight);
    const QStringList streams = sessionIds(sessions);
    qint64 published = 0;
    QElapsedTimer wall;
    wall.start();
    // The producer keeps a backlog of publications ahead of the deliveries, as a burst of calls would.
    // It sleeps while the backlog is full and wakes up as deliveries drain it.
    QTimer producer;
    QObject::connect(&producer, &QTimer::timeout, &app, [&] {
        while (published < total && rig.dispatcher.queued() < 20'000)
            rig.publish(streams.at(int(published++ % sessions)));
        producer.stop();
    });
    double attemptMs = 0;
    QObject::connect(&rig.dispatcher, &WebhookDispatcher::attemptFinished, &app, [&](const JournalEvent &, const JournalAttempt &a) {
        attemptMs += double(a.latencyMs);
        if (rig.dispatcher.stats().delivered + rig.dispatcher.stats().dead >= quint64(total))
            app.quit();
        else if (published < total && rig.dispatcher.queued() < 10'000 && !producer.isActive())
            producer.start(0);
    });
    producer.start(0);
    app.exec();
    const double seconds = double(wall.nsecsElapsed()) / 1e9;
    const auto &stats = rig.dispatcher.stats();
    std::fprintf(stderr, "deliverybench: mean attempt latency %.2f ms\n", attemptMs / double(std::max<quint64>(1, stats.attempts)));
    if (stats.failedAttempts > 0)
        std::fprintf(stderr, "deliverybench: %llu attempts failed\n", static_cast<unsigned long long>(stats.failedAttempts));
    std::printf("%.0f %.3f %llu %llu\n", double(stats.delivered) / seconds, seconds, static_cast<unsigned long long>(stats.delivered),
                static_cast<unsigned long long>(rig.journal.transactions()));
    return stats.delivered == quint64(total) ? 0 : 1;
}

int latency(QCoreApplication &app, const QString &url, int rate, int seconds)
{
    Rig rig(url, 64);
    const QStringList streams = sessionIds(1000);
    QHash<QString, qint64> publishedAt; // webhook-id -> ns
    std::vector<double> latencies;
    QElapsedTimer wall;
    wall.start();
    int published = 0;
    const int total = rate * seconds;
    QObject::connect(&rig.events, &EventStream::published, &app, [&](const Event &e) { publishedAt.insert(e.id, wall.nsecsElapsed()); });
    QObject::connect(&rig.dispatcher, &WebhookDispatcher::attemptFinished, &app, [&](const JournalEvent &e, const JournalAttempt &a) {
        if (a.statusCode / 100 == 2)
            latencies.push_back(double(wall.nsecsElapsed() - publishedAt.take(e.id)) / 1e6);
        if (int(latencies.size()) >= total)
            app.quit();
    });
    QTimer producer;
    producer.setTimerType(Qt::PreciseTimer);
    QObject::connect(&producer, &QTimer::timeout, &app, [&] {
        // Catch up to the schedule, so a late timer does not lower the rate.
        const qint64 due = std::min<qint64>(total, wall.nsecsElapsed() * rate / 1'000'000'000 + 1);
        while (published < due)
            rig.publish(streams.at(published++ % 1000));
        if (published >= total)
            producer.stop();
    });
    producer.start(std::max(1, 1000 / rate));
    app.exec();
    std::sort(latencies.begin(), latencies.end());
    const auto at = [&](double q) { return latencies.empty() ? 0.0 : latencies.at(size_t(q * double(latencies.size() - 1))); };
    std::printf("%.2f %.2f %.2f %zu\n", at(0.5), at(0.99), latencies.empty() ? 0.0 : latencies.back(), latencies.size());
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QString mode = argc > 1 ? QString::fromLatin1(argv[1]) : QString();
    if (argc < 3 || (mode != QLatin1String("throughput") && mode != QLatin1String("latency"))) {
        std::fprintf(stderr, "usage: deliverybench throughput <url> [sessions] [events] [in-flight]\n"
                             "       deliverybench latency <url> [rate] [seconds]\n");
        return 2;
    }
    const QString url = QString::fromLocal8Bit(argv[2]);
    if (mode == QLatin1String("throughput"))
        return throughput(app, url, argc > 3 ? std::atoi(argv[3]) : 1000, argc > 4 ? std::atoll(argv[4]) : 200'000,
                          argc > 5 ? std::atoi(argv[5]) : 64);
    return latency(app, url, argc > 3 ? std::atoi(argv[3]) : 200, argc > 4 ? std::atoi(argv[4]) : 5);
}
