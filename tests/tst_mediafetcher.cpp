// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// Media downloads (C-PLAYBACK): content, HTTP errors, the size cap, local files.
#include "eventwait.h"
#include "mediafixtures.h"

#include <media/mediafetcher.h>

#include <QEventLoop>
#include <QSignalSpy>
#include <QTimer>
#include <QTemporaryDir>
#include <QtTest>

using namespace VoiceSim;
using namespace VoiceSim::Test;

class TestMediaFetcher : public QObject
{
    Q_OBJECT
private:
    MediaFetcher::Result fetch(MediaFetcher &fetcher, const QUrl &url)
    {
        MediaFetcher::Result out;
        bool done = false;
        QEventLoop loop;
        fetcher.get(url, [&](const MediaFetcher::Result &r) {
            out = r;
            done = true;
            loop.quit();
        });
        // The answer never comes from inside get(): it arrives on the event loop.
        if (done) {
            out.error = QStringLiteral("answered synchronously");
            return out;
        }
        runUntilQuit(loop);
        if (!done)
            out.error = QStringLiteral("no answer");
        else if (fetcher.pendingCount() != 0)
            out.error = QStringLiteral("still pending after the answer");
        return out;
    }

private Q_SLOTS:
    void downloadsTheBytes()
    {
        MediaServer server;
        const QByteArray body(100'000, 'x');
        MediaFetcher fetcher;
        const auto r = fetch(fetcher, QUrl(server.put(QStringLiteral("/a.bin"), body)));
        QCOMPARE(r.error, QString());
        QCOMPARE(r.data, body);
    }

    void httpErrorsNameTheStatus()
    {
        MediaServer server;
        MediaFetcher fetcher;
        QCOMPARE(fetch(fetcher, QUrl(server.url(QStringLiteral("/missing")))).error, QStringLiteral("HTTP 404"));
        QCOMPARE(fetch(fetcher, QUrl(server.put(QStringLiteral("/e"), "oops", 503))).error, QStringLiteral("HTTP 503"));
    }

    void filesOverTheCapAreRefused()
    {
        MediaServer server;
        MediaFetcher fetcher(10'000, 1000);
        const auto r = fetch(fetcher, QUrl(server.put(QStringLiteral("/big"), QByteArray(1001, 'x'))));
        QCOMPARE(r.error, QStringLiteral("file larger than 1000 bytes"));
        QVERIFY(r.data.isEmpty());
        QCOMPARE(fetch(fetcher, QUrl(server.put(QStringLiteral("/fits"), QByteArray(1000, 'x')))).data.size(), 1000);
        MediaFetcher standard;
        QCOMPARE(fetch(standard, QUrl(server.put(QStringLiteral("/huge"), QByteArray(50 * 1024 * 1024 + 1, 'x')))).error,
                 QStringLiteral("file larger than 50 MiB"));
    }

    void connectionErrorsAreReported()
    {
        MediaFetcher fetcher;
        // Port 1 on loopback: nothing listens there.
        const auto r = fetch(fetcher, QUrl(QStringLiteral("http://127.0.0.1:1/a.wav")));
        QVERIFY(!r.error.isEmpty());
        QVERIFY(r.data.isEmpty());
    }

    void localFilesAreReadAndMissingOnesNamed()
    {
        QTemporaryDir dir;
        QFile file(dir.filePath(QStringLiteral("v.wav")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("RIFF....");
        file.close();
        MediaFetcher fetcher;
        QCOMPARE(fetch(fetcher, QUrl::fromLocalFile(file.fileName())).data, QByteArray("RIFF...."));
        const QString missing = dir.filePath(QStringLiteral("nope.wav"));
        QVERIFY(fetch(fetcher, QUrl::fromLocalFile(missing)).error.startsWith(QStringLiteral("cannot open ") + missing));
    }

    void cancelledDownloadsNeverAnswer()
    {
        MediaServer server;
        MediaFetcher fetcher;
        QSignalSpy idle(&fetcher, &MediaFetcher::idle);
        bool answered = false;
        const quint64 id = fetcher.get(QUrl(server.put(QStringLiteral("/a"), "abc")), [&](const MediaFetcher::Result &) { answered = true; });
        fetcher.cancel(id);
        QCOMPARE(idle.count(), 1);
        QCOMPARE(fetcher.pendingCount(), 0);
        QCoreApplication::processEvents();
        QCoreApplication::processEvents();
        QVERIFY(!answered);
    }
};

QTEST_GUILESS_MAIN(TestMediaFetcher)
#include "tst_mediafetcher.moc"
