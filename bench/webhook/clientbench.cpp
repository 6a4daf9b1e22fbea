// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// The webhook client alone: POSTs a webhook-sized body to a URL for some seconds, keeping a
// number of attempts in flight, and prints attempts per second and latency percentiles.
// Usage: clientbench <url> [in-flight=64] [seconds=5]
#include <clock/realclock.h>
#include <webhooks/webhookclient.h>

#include <QCoreApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace VoiceSim;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: clientbench <url> [in-flight] [seconds]\n");
        return 2;
    }
    const QUrl url(QString::fromLocal8Bit(argv[1]));
    const int inFlight = argc > 2 ? std::atoi(argv[2]) : 64;
    const int seconds = argc > 3 ? std::atoi(argv[3]) : 5;

    RealClock clock;
    WebhookClient client(clock);
    WebhookRequest request;
    request.url = url;
    request.headers = {{"Content-Type", "application/json"}, {"User-Agent", "voicesim/bench"},
                       {"webhook-id", "evt_3f2b9c1e-8d4a-4e6b-9a7c-1b2d3e4f5a6b"},
                       {"webhook-timestamp", "1767225600"},
                       {"webhook-signature", "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="}};
    request.body = R"({"event":"call.answered","session_uuid":"acW68-1b2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f","sequence":2,"data":{"command_uid":"c1","success":true}})";

    QElapsedTimer wall;
    wall.start();
    const qint64 endNs = qint64(seconds) * 1'000'000'000;
    quint64 ok = 0, failed = 0;
    std::vector<qint64> latencies;
    latencies.reserve(4'000'000);
    std::function<void()> next;
    next = [&] {
        client.send(request, [&](const WebhookResponse &r) {
            (r.outcome == WebhookResponse::Outcome::Response && r.status / 100 == 2 ? ok : failed) += 1;
            latencies.push_back(r.latencyMs);
            if (wall.nsecsElapsed() < endNs)
                next();
            else if (client.inFlight() == 0)
                app.quit();
        });
    };
    for (int i = 0; i < inFlight; ++i)
        next();
    app.exec();
    const double elapsed = double(wall.nsecsElapsed()) / 1e9;
    std::sort(latencies.begin(), latencies.end());
    const auto pct = [&](double p) { return latencies.empty() ? 0 : latencies[size_t(p * double(latencies.size() - 1))]; };
    std::printf("%.0f %llu %llu %lld %lld %llu\n", double(ok) / elapsed, static_cast<unsigned long long>(ok),
                static_cast<unsigned long long>(failed), static_cast<long long>(pct(0.5)), static_cast<long long>(pct(0.99)),
                static_cast<unsigned long long>(client.connectionsOpened()));
    return failed == 0 ? 0 : 1;
}
