// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// The desktop timeline under load (issue #5, item 4), with a view attached and painting:
//  1. live append at 20,000 rows/s (deliveries with their attempt outcomes and commands), in
//     the 50 ms batches the window uses: time per batch, so the window's share of each 50 ms;
//  2. memory per row with 1,000,000 rows (process RSS, and what the model counts);
//  3. filters over 1,000,000 rows, and the same filters through QSortFilterProxyModel over
//     the same model, measured in the same run as the reference.
// Usage: [VIEW=tree] timelinebench [rows=1000000] [seconds of live append=5]
#include <gui/timelinemodel.h>

#include <clock/virtualclock.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QHeaderView>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTreeView>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace VoiceSim;

namespace {

constexpr int kSessions = 1000;
const char *const kTypes[] = {"call.new", "call.answered", "command.result", "dtmf", "playback.started",
                              "playback.finished", "digits.collected", "recording.completed", "call.hangup"};

double rssMiB()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> parts = statm.readAll().split(' ');
    return parts.size() > 1 ? parts[1].toDouble() * 4096 / (1024.0 * 1024.0) : 0;
}

QString session(int i)
{
    return QStringLiteral("acW68-%1-4c2e-4d5f-9a1b-000000000000").arg(i % kSessions, 8, 16, QLatin1Char('0'));
}

struct Feed
{
    qint64 row = 0;
    qint64 now = 1'767'225'600'000;
    quint64 serial = 0;
    // One row's worth of traffic: 9 in 10 are deliveries (each answered), 1 in 10 a command.
    void one(TimelineModel &model)
    {
        ++now;
        if (row % 10 == 9) {
            HttpExchange x;
            x.serial = ++serial;
            x.atMs = now;
            x.method = "POST";
            const QString s = session(int(row));
            x.path = "/api/v1/sessions/" + s.toUtf8() + "/commands/playback/start";
            x.sessionUuid = s;
            x.status = 202;
            x.durationUs = 180;
            x.requestBody = R"({"urls":["https://cdn.example.com/greeting.wav"]})";
            x.responseBody = R"({"status":"accepted","operation_id":"op_1"})";
            model.addCommand(x);
            ++row;
            return;
        }
        JournalEvent e;
        e.row = ++row;
        e.streamId = session(int(row));
        e.sequence = row / kSessions + 1;
        e.type = QString::fromLatin1(kTypes[row % 9]);
        e.createdMs = now;
        model.addDelivery(e);
        e.status = DeliveryStatus::Delivered;
        e.attemptCount = 1;
        JournalAttempt a;
        a.statusCode = row % 97 == 0 ? 503 : 200;
        a.latencyMs = 1;
        model.updateDelivery(e, a);
    }
};

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5))];
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int total = argc > 1 ? std::atoi(argv[1]) : 1'000'000;
    const int liveSeconds = argc > 2 ? std::atoi(argv[2]) : 5;

    VirtualClock ui(0);
    const double rssStart = rssMiB();
    TimelineModel model(ui);
    std::unique_ptr<QAbstractItemView> owned;
    // The window's view is a table; VIEW=tree measures a QTreeView instead, for comparison.
    if (qEnvironmentVariable("VIEW") != QLatin1String("tree")) {
        auto *t = new QTableView;
        t->verticalHeader()->hide();
        t->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
        t->verticalHeader()->setDefaultSectionSize(20);
        owned.reset(t);
    } else {
        auto *t = new QTreeView;
        t->setUniformRowHeights(true);
        t->setRootIsDecorated(false);
        owned.reset(t);
    }
    QAbstractItemView &view = *owned;
    view.setModel(&model);
    view.resize(1400, 800);
    view.show();
    QApplication::processEvents();
    Feed feed;

    // 1. Live: 1,000 rows per 50 ms batch (20,000 rows/s), each batch flushed, scrolled to the
    // end and painted, as the window does; again once the model holds `total` rows.
    const auto liveAppend = [&](const char *label) {
        std::vector<double> batchMs;
        const int batches = liveSeconds * 1000 / TimelineModel::kFlushMs;
        const int perBatch = 20'000 * TimelineModel::kFlushMs / 1000;
        QElapsedTimer busy;
        qint64 busyNs = 0;
        qint64 feedNs = 0, flushNs = 0;
        for (int b = 0; b < batches; ++b) {
            busy.start();
            for (int i = 0; i < perBatch; ++i)
                feed.one(model);
            feedNs += busy.nsecsElapsed();
            ui.advance(TimelineModel::kFlushMs); // the flush
            flushNs += busy.nsecsElapsed();
            view.scrollToBottom();
            view.viewport()->repaint();
            QApplication::processEvents();
            const qint64 ns = busy.nsecsElapsed();
            busyNs += ns;
            batchMs.push_back(double(ns) / 1e6);
        }
        const double liveRows = double(batches) * perBatch;
        std::printf("live append %s: %d batches of %d rows (20,000 rows/s offered)\n", label, batches, perBatch);
        std::printf("  per 50 ms batch: median %.2f ms, p99 %.2f ms, max %.2f ms -> window busy %.1f %% of the time\n",
                    percentile(batchMs, 0.5), percentile(batchMs, 0.99), percentile(batchMs, 1.0),
                    100.0 * double(busyNs) / (double(batches) * TimelineModel::kFlushMs * 1e6));
        std::printf("  of which: making the rows (the feed) %.2f ms, model flush with the view's bookkeeping %.2f ms, paint %.2f ms per batch\n",
                    double(feedNs) / 1e6 / batches, double(flushNs - feedNs) / 1e6 / batches, double(busyNs - flushNs) / 1e6 / batches);
        std::printf("  capacity: %.0f rows/s if the window did nothing else\n", liveRows / (double(busyNs) / 1e9));
    };
    liveAppend("from empty");

    // 2. Fill to `total` rows, in large batches, with the view attached.
    QElapsedTimer fill;
    fill.start();
    while (model.totalRows() < total) {
        for (int i = 0; i < 50'000 && model.totalRows() + model.pendingChanges() / 2 < total; ++i)
            feed.one(model);
        model.flush();
    }
    view.scrollToBottom();
    QApplication::processEvents();
    const double rssFull = rssMiB();
    std::printf("memory: %d rows in %.1f s; RSS +%.1f MiB = %.0f bytes/row (process), model counts %.0f bytes/row\n",
                model.totalRows(), double(fill.elapsed()) / 1000.0, rssFull - rssStart,
                (rssFull - rssStart) * 1024 * 1024 / model.totalRows(), double(model.bytesUsed()) / model.totalRows());

    liveAppend("on top of them");

    // 3. Filters over every row, view attached; then QSortFilterProxyModel doing the same.
    struct Case
    {
        const char *name;
        TimelineModel::Filter filter;
        int column;
        QString text;
    };
    const QString one = session(42);
    const Case cases[] = {
        {"one call", {.sessionUuid = one}, TimelineModel::StreamColumn, one},
        {"event type", {.event = QStringLiteral("dtmf")}, TimelineModel::WhatColumn, QStringLiteral("dtmf")},
        {"free text", {.text = QStringLiteral("playback/start")}, TimelineModel::WhatColumn, QStringLiteral("playback/start")},
        {"status 5xx", {.status = TimelineModel::StatusFilter::ServerError}, TimelineModel::StatusColumn, QStringLiteral("503")},
    };
    for (const Case &c : cases) {
        QElapsedTimer t;
        t.start();
        model.setFilter(c.filter);
        view.scrollToBottom();
        QApplication::processEvents();
        const double ms = double(t.nsecsElapsed()) / 1e6;
        const int matched = model.rowCount();
        t.start();
        model.setFilter({});
        QApplication::processEvents();
        const double clearMs = double(t.nsecsElapsed()) / 1e6;
        std::printf("filter %-10s: %8.1f ms (%d rows match), back to all rows %.1f ms\n", c.name, ms, matched, clearMs);
    }
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    view.setModel(&proxy);
    QApplication::processEvents();
    for (const Case &c : cases) {
        QElapsedTimer t;
        t.start();
        proxy.setFilterKeyColumn(c.column);
        proxy.setFilterFixedString(c.text);
        view.scrollToBottom();
        QApplication::processEvents();
        std::printf("reference QSortFilterProxyModel %-10s: %8.1f ms (%d rows match)\n", c.name,
                    double(t.nsecsElapsed()) / 1e6, proxy.rowCount());
    }
    return 0;
}
