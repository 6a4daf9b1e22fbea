// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// The delivery journal's write rate: events of a webhook's size appended and flushed in batches
// (one transaction each), each followed later by its attempt and status, on a file in WAL mode.
// Usage: journalbench [events=100000] [batch=256]
#include <webhooks/deliveryjournal.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <cstdio>

using namespace VoiceSim;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int events = argc > 1 ? std::atoi(argv[1]) : 100'000;
    const int batch = argc > 2 ? std::atoi(argv[2]) : 256;
    QTemporaryDir dir;
    DeliveryJournal journal(dir.filePath(QStringLiteral("journal.sqlite")));
    if (!journal.open()) {
        std::fprintf(stderr, "%s\n", qPrintable(journal.errorString()));
        return 1;
    }
    const QByteArray body(220, 'x');
    const QString url = QStringLiteral("http://127.0.0.1:8471/hooks");
    const QByteArray requestHeaders = "Host: 127.0.0.1:8471\r\nContent-Type: application/json\r\nUser-Agent: voicesim/0.4.0\r\n"
                                      "Content-Length: 220\r\nwebhook-id: evt_0b5e6a4c-3f7e-4c55-9f59-2d0f7a1b8c11\r\n"
                                      "webhook-timestamp: 1767225600\r\n"
                                      "webhook-signature: v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=\r\n";
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < events; ++i) {
        JournalEvent e;
        e.id = QStringLiteral("evt_%1").arg(i);
        e.appId = QStringLiteral("demo-app");
        e.streamId = QStringLiteral("acW68-session-%1").arg(i % 1000);
        e.sequence = i / 1000 + 1;
        e.type = QStringLiteral("call.answered");
        e.createdMs = 1'767'225'600'000 + i;
        e.body = body;
        const qint64 row = journal.append(e);
        // What the dispatcher writes once the attempt is answered: the request's headers as sent.
        journal.recordAttempt({row, e.createdMs, url, requestHeaders, 200, "Content-Type: text/plain\r\nContent-Length: 2\r\n", "ok", 1, {}, {}});
        journal.setStatus(row, DeliveryStatus::Delivered, 1, 200, 0);
        if ((i + 1) % batch == 0)
            journal.flush();
    }
    journal.flush();
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    std::printf("%d events (+ an attempt and a status each) in %.3f s: %.0f events/s, %llu transactions\n", events, seconds,
                events / seconds, static_cast<unsigned long long>(journal.transactions()));
    return 0;
}
