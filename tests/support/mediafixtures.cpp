// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "mediafixtures.h"

#include <media/audiodecoder.h>
#include <media/wavrecorder.h>

#include <QFile>
#include <QTemporaryDir>

#include <sndfile.h>

#include <cmath>
#include <numbers>
#include <random>

namespace VoiceSim::Test {

MediaServer::MediaServer()
    : m_clock(0)
    , m_server(m_router, m_clock)
{
    m_router.addRoute(QByteArrayLiteral("GET"), QStringLiteral("/media/{*path}"), [this](const HttpRequest &, const PathParams &p) {
        const QString path = QLatin1Char('/') + p.value(QStringLiteral("path"));
        ++m_hits[path];
        const auto it = m_files.constFind(path);
        HttpResponse response;
        if (it == m_files.cend()) {
            response.status = 404;
            response.body = "not found";
            return response;
        }
        response.status = it->status;
        response.body = it->body;
        return response.withHeader(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("audio/wav"));
    });
    if (!m_server.listen(QHostAddress::LocalHost, 0))
        qFatal("media server cannot listen");
}

QString MediaServer::put(const QString &path, const QByteArray &body, int status)
{
    m_files.insert(path, {body, status});
    return url(path);
}

QString MediaServer::url(const QString &path) const
{
    return QStringLiteral("http://127.0.0.1:") + QString::number(m_server.port()) + QStringLiteral("/media") + path;
}

namespace Audio {

QList<qint16> sine(double hz, int ms, double dbfs)
{
    const double amplitude = 32767.0 * std::pow(10.0, dbfs / 20.0);
    QList<qint16> out(qsizetype(ms) * kRate / 1000);
    for (qsizetype i = 0; i < out.size(); ++i)
        out[i] = qint16(std::lround(amplitude * std::sin(2 * std::numbers::pi * hz * double(i) / kRate)));
    return out;
}

QList<qint16> noise(int ms, quint64 seed, double dbfs)
{
    std::mt19937_64 random(seed);
    std::normal_distribution<double> gauss(0.0, 32767.0 * std::pow(10.0, dbfs / 20.0));
    QList<qint16> out(qsizetype(ms) * kRate / 1000);
    for (qint16 &s : out)
        s = qint16(std::clamp(std::lround(gauss(random)), -32768L, 32767L));
    return out;
}

QList<qint16> silence(int ms)
{
    return QList<qint16>(qsizetype(ms) * kRate / 1000, 0);
}

QByteArray wav(const QList<qint16> &samples, int rate)
{
    return WavRecorder::encode(samples, rate);
}

QByteArray encodeFile(const QList<qint16> &interleaved, int rate, int channels, int format)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("fixture"));
    SF_INFO info{};
    info.samplerate = rate;
    info.channels = channels;
    info.format = format;
    SNDFILE *file = sf_open(QFile::encodeName(path).constData(), SFM_WRITE, &info);
    if (!file)
        return {};
    sf_writef_short(file, interleaved.constData(), sf_count_t(interleaved.size() / channels));
    sf_close(file);
    QFile written(path);
    return written.open(QIODevice::ReadOnly) ? written.readAll() : QByteArray();
}

QList<qint16> decode(const QByteArray &file)
{
    return AudioDecoder(kRate).decode(file).samples;
}

QList<qint16> slice(const QList<qint16> &samples, qint64 fromMs, qint64 toMs)
{
    const qsizetype from = std::clamp<qsizetype>(fromMs * kRate / 1000, 0, samples.size());
    const qsizetype to = std::clamp<qsizetype>(toMs * kRate / 1000, from, samples.size());
    return samples.mid(from, to - from);
}

double correlation(const QList<qint16> &a, qsizetype lag, const QList<qint16> &b)
{
    double ab = 0, aa = 0, bb = 0;
    for (qsizetype i = 0; i < b.size(); ++i) {
        const qsizetype j = lag + i;
        const double x = (j >= 0 && j < a.size()) ? a[j] : 0.0;
        ab += x * b[i];
        aa += x * x;
        bb += double(b[i]) * b[i];
    }
    return (aa > 0 && bb > 0) ? ab / std::sqrt(aa * bb) : 0.0;
}

qsizetype bestLag(const QList<qint16> &a, const QList<qint16> &b, qsizetype from, qsizetype to, double *best)
{
    qsizetype lag = from;
    *best = -2;
    for (qsizetype l = from; l <= to; ++l) {
        const double c = correlation(a, l, b);
        if (c > *best) {
            *best = c;
            lag = l;
        }
    }
    return lag;
}

double rmsDbfs(const QList<qint16> &samples)
{
    if (samples.isEmpty())
        return -200;
    double sum = 0;
    for (qint16 s : samples)
        sum += double(s) * s;
    const double rms = std::sqrt(sum / samples.size());
    return rms > 0 ? 20 * std::log10(rms / 32767.0) : -200;
}

double toneDbfs(const QList<qint16> &samples, double hz, int rate)
{
    if (samples.isEmpty())
        return -200;
    const double w = 2 * std::numbers::pi * hz / rate;
    const double coefficient = 2 * std::cos(w);
    double s1 = 0, s2 = 0;
    for (qint16 x : samples) {
        const double s0 = x + coefficient * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    const double power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
    const double amplitude = 2 * std::sqrt(std::max(power, 0.0)) / double(samples.size());
    return amplitude > 0 ? 20 * std::log10(amplitude / 32767.0) : -200;
}

} // namespace Audio

} // namespace VoiceSim::Test
