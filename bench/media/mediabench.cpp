// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// How much media one core processes: N calls, each playing a file and recording, run first on
// the virtual clock as fast as the core allows (frames per second, real-time factor), then on
// the real clock for a while (frames late or skipped, CPU used).
#include <clock/realclock.h>
#include <clock/virtualclock.h>
#include <media/mediaengine.h>
#include <media/wavrecorder.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTimer>
#include <QUrl>

#include <sys/resource.h>

#include <cmath>
#include <cstdio>
#include <random>

using namespace VoiceSim;

namespace {

double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// Opens calls, each playing the file from its own offset and recording.
void setUp(MediaEngine &media, int calls, const QString &url, const QString &dir)
{
    media.fetch(1, {url});
    media.settle();
    for (int i = 0; i < calls; ++i) {
        const QString uuid = QStringLiteral("call-%1").arg(i);
        media.openCall(uuid, DtmfMode::Rfc4733);
        media.play(uuid, 1, (i * 37) % 50'000);
        QString error;
        if (!media.startRecording(uuid, dir + QStringLiteral("/%1.wav").arg(i), &error))
            qFatal("cannot record: %s", qPrintable(error));
    }
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int calls = argc > 1 ? std::atoi(argv[1]) : 1000;
    const int seconds = argc > 2 ? std::atoi(argv[2]) : 10;

    QTemporaryDir dir;
    // One minute of noise at 8 kHz, as a file the engine fetches and decodes.
    std::mt19937 random(1);
    std::normal_distribution<double> gauss(0, 3000);
    QList<qint16> samples(60 * 8000);
    for (qint16 &s : samples)
        s = qint16(std::clamp(std::lround(gauss(random)), -32768L, 32767L));
    QFile file(dir.filePath(QStringLiteral("music.wav")));
    file.open(QIODevice::WriteOnly);
    file.write(WavRecorder::encode(samples, 8000));
    file.close();
    const QString url = QUrl::fromLocalFile(file.fileName()).toString();

    {
        // Reference, same run: the least any engine must do per call and frame — copy 20 ms of
        // the file, mix it with the (silent) upstream and append it to a file once a second.
        std::vector<std::FILE *> files;
        std::vector<std::vector<qint16>> pending(static_cast<size_t>(calls));
        for (int i = 0; i < calls; ++i)
            files.push_back(std::fopen(qPrintable(dir.filePath(QStringLiteral("ref%1.raw").arg(i))), "wb"));
        const double cpu0 = cpuSeconds();
        const qint64 frames = qint64(seconds) * 50;
        qint16 mix[160];
        for (qint64 f = 0; f < frames; ++f) {
            for (int i = 0; i < calls; ++i) {
                const qint16 *src = samples.constData() + ((i * 37 * 8 + f * 160) % (samples.size() - 160));
                for (int k = 0; k < 160; ++k)
                    mix[k] = qint16(std::clamp<int>(src[k] + 0, -32768, 32767));
                auto &p = pending[size_t(i)];
                p.insert(p.end(), mix, mix + 160);
                if (p.size() >= 8000) {
                    std::fwrite(p.data(), sizeof(qint16), p.size(), files[size_t(i)]);
                    p.clear();
                }
            }
        }
        const double cpu = cpuSeconds() - cpu0;
        for (std::FILE *f : files)
            std::fclose(f);
        std::printf("reference: %.0f call-frames/s per core (copy, mix, write)\n", double(frames) * calls / cpu);
    }
    {
        VirtualClock clock(0);
        MediaEngine media(clock, {});
        setUp(media, calls, url, dir.path());
        QElapsedTimer wall;
        wall.start();
        const double cpu0 = cpuSeconds();
        clock.advance(qint64(seconds) * 1000);
        const double elapsed = double(wall.nsecsElapsed()) / 1e9;
        const double cpu = cpuSeconds() - cpu0;
        const double callFrames = double(media.stats().callFrames);
        std::printf("virtual: %d calls x %d s: %.0f call-frames in %.3f s wall (%.3f s CPU)\n", calls, seconds, callFrames, elapsed, cpu);
        std::printf("virtual: %.0f call-frames/s per core; real-time factor %.1f; sustainable calls per core %.0f\n",
                    callFrames / cpu, seconds / cpu, calls * seconds / cpu);
        media.closeAll();
    }
    {
        RealClock clock;
        MediaEngine media(clock, {});
        setUp(media, calls, url, dir.path());
        const double cpu0 = cpuSeconds();
        QElapsedTimer wall;
        wall.start();
        QTimer::singleShot(seconds * 1000, &app, &QCoreApplication::quit);
        app.exec();
        const double elapsed = double(wall.nsecsElapsed()) / 1e9;
        const double cpu = cpuSeconds() - cpu0;
        const auto &stats = media.stats();
        std::printf("real:    %d calls for %.1f s: %llu frames (%.0f expected), %llu late, %llu skipped, CPU %.1f %% of one core\n",
                    calls, elapsed, static_cast<unsigned long long>(stats.frames), elapsed * 50,
                    static_cast<unsigned long long>(stats.lateFrames), static_cast<unsigned long long>(stats.skippedFrames),
                    100.0 * cpu / elapsed);
        media.closeAll();
    }
    return 0;
}
