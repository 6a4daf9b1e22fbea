// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <clock/virtualclock.h>
#include <http/httpserver.h>
#include <http/router.h>

#include <QHash>
#include <QList>
#include <QString>

namespace VoiceSim::Test {

// A local web server for media files: what the app's CDN would be. Files live in memory; any
// other path answers 404.
class MediaServer
{
public:
    MediaServer();

    // Serves body at path (e.g. "/greeting.wav") and returns its URL.
    QString put(const QString &path, const QByteArray &body, int status = 200);
    QString url(const QString &path) const;
    int hits(const QString &path) const { return m_hits.value(path); }

private:
    struct File
    {
        QByteArray body;
        int status = 200;
    };
    VirtualClock m_clock;
    Router m_router;
    HttpServer m_server;
    QHash<QString, File> m_files;
    QHash<QString, int> m_hits;
};

// Test signals and measurements on 8 kHz mono PCM.
namespace Audio {

constexpr int kRate = 8000;

QList<qint16> sine(double hz, int ms, double dbfs = -10.0);
// White noise: every offset is distinct, so correlation finds exactly where it is.
QList<qint16> noise(int ms, quint64 seed, double dbfs = -12.0);
QList<qint16> silence(int ms);
QByteArray wav(const QList<qint16> &samples, int rate = kRate);
// A file of another kind written by libsndfile (e.g. SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III),
// from interleaved samples.
QByteArray encodeFile(const QList<qint16> &interleaved, int rate, int channels, int format);
QList<qint16> decode(const QByteArray &file); // empty when undecodable

QList<qint16> slice(const QList<qint16> &samples, qint64 fromMs, qint64 toMs);
// Normalised correlation of b against a at sample offset lag in a.
double correlation(const QList<qint16> &a, qsizetype lag, const QList<qint16> &b);
// The lag (in samples, within [from, to]) where b matches a best, and the correlation there.
qsizetype bestLag(const QList<qint16> &a, const QList<qint16> &b, qsizetype from, qsizetype to, double *best);
double rmsDbfs(const QList<qint16> &samples);
// The amplitude of one frequency in samples (Goertzel), in dBFS of a sine's peak: a sine made
// by sine(hz, ms, x) measures x.
double toneDbfs(const QList<qint16> &samples, double hz, int rate = kRate);

} // namespace Audio

} // namespace VoiceSim::Test
