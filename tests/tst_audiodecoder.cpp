// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// Decoding fetched media to the engine's 8 kHz mono 16-bit PCM (C-PLAYBACK): checked by content
// (samples, level, frequency, correlation with the expected signal), not only by size.
#include "mediafixtures.h"

#include <media/audiodecoder.h>

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sndfile.h>

#include <cmath>
#include <vector>

using namespace VoiceSim;

namespace {

constexpr double kPi = 3.14159265358979323846;

// A sine of frequency hz and amplitude (0..1), channels identical.
std::vector<float> sine(double hz, double amplitude, int rate, int channels, double seconds)
{
    const int frames = int(seconds * rate);
    std::vector<float> out(size_t(frames) * size_t(channels));
    for (int f = 0; f < frames; ++f)
        for (int c = 0; c < channels; ++c)
            out[size_t(f) * size_t(channels) + size_t(c)] = float(amplitude * std::sin(2 * kPi * hz * f / rate));
    return out;
}

// Encodes frames with libsndfile into a file and returns its bytes (empty on failure).
QByteArray encode(const QTemporaryDir &dir, const std::vector<float> &frames, int rate, int channels, int format)
{
    const QString path = dir.filePath(QStringLiteral("fixture"));
    SF_INFO info{};
    info.samplerate = rate;
    info.channels = channels;
    info.format = format;
    SNDFILE *file = sf_open(QFile::encodeName(path).constData(), SFM_WRITE, &info);
    if (!file)
        return {};
    sf_writef_float(file, frames.data(), sf_count_t(frames.size() / size_t(channels)));
    sf_close(file);
    QFile in(path);
    return in.open(QIODevice::ReadOnly) ? in.readAll() : QByteArray();
}

double rms(const QList<qint16> &samples, qsizetype from, qsizetype to)
{
    double sum = 0;
    for (qsizetype i = from; i < to; ++i)
        sum += double(samples[i]) * samples[i];
    return std::sqrt(sum / double(to - from));
}

// Power of one frequency in the samples (Goertzel).
double powerAt(const QList<qint16> &samples, double hz, int rate)
{
    const double coefficient = 2 * std::cos(2 * kPi * hz / rate);
    double s1 = 0, s2 = 0;
    for (qint16 sample : samples) {
        const double s0 = sample + coefficient * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    return s1 * s1 + s2 * s2 - coefficient * s1 * s2;
}

double correlationWithSine(const QList<qint16> &samples, double hz, int rate, qsizetype from, qsizetype to)
{
    double xy = 0, xx = 0, yy = 0;
    for (qsizetype i = from; i < to; ++i) {
        const double y = std::sin(2 * kPi * hz * double(i) / rate);
        xy += samples[i] * y;
        xx += double(samples[i]) * samples[i];
        yy += y * y;
    }
    return xy / std::sqrt(xx * yy);
}

} // namespace

class TestAudioDecoder : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    AudioDecoder m_decoder;

private Q_SLOTS:
    void pcm16MonoAtTheTargetRateIsSampleExact()
    {
        QList<qint16> frames(800);
        for (qsizetype i = 0; i < frames.size(); ++i)
            frames[i] = qint16((int(i % 200) - 100) * 327); // full range, both signs
        frames[5] = 32767;
        frames[6] = -32768;
        const auto result = m_decoder.decode(Test::Audio::encodeFile(frames, 8000, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_16));
        QVERIFY2(result.ok(), qPrintable(result.error));
        QCOMPARE(result.sourceRate, 8000);
        QCOMPARE(result.sourceChannels, 1);
        QCOMPARE(result.samples.size(), 800);
        for (qsizetype i = 0; i < 800; ++i)
            QCOMPARE(result.samples[i], frames[i]);
    }

    void stereoCdRateIsDownmixedAndResampledFaithfully()
    {
        const auto result = m_decoder.decode(encode(m_dir, sine(440, 0.5, 44100, 2, 1.0), 44100, 2, SF_FORMAT_WAV | SF_FORMAT_PCM_16));
        QVERIFY2(result.ok(), qPrintable(result.error));
        QCOMPARE(result.sourceRate, 44100);
        QCOMPARE(result.sourceChannels, 2);
        QVERIFY(std::abs(result.samples.size() - 8000) <= 2);
        QVERIFY(std::abs(result.durationMs(8000) - 1000) <= 1);
        // Level kept within 0.5 dB, and the waveform lines up with the 8 kHz original.
        const double expected = 0.5 / std::sqrt(2.0) * 32768;
        const double levelDb = 20 * std::log10(rms(result.samples, 400, 7600) / expected);
        QVERIFY2(std::abs(levelDb) < 0.5, qPrintable(QString::number(levelDb)));
        const double correlation = correlationWithSine(result.samples, 440, 8000, 400, 7600);
        QVERIFY2(correlation > 0.99, qPrintable(QString::number(correlation)));
    }

    void unsigned8BitIsDecoded()
    {
        const auto result = m_decoder.decode(encode(m_dir, sine(1000, 0.8, 16000, 1, 0.5), 16000, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_U8));
        QVERIFY2(result.ok(), qPrintable(result.error));
        QVERIFY(std::abs(result.samples.size() - 4000) <= 2);
        QVERIFY(powerAt(result.samples, 1000, 8000) > 100 * powerAt(result.samples, 1500, 8000));
    }

    void mp3IsDecoded()
    {
        const QByteArray mp3 = encode(m_dir, sine(440, 0.5, 16000, 1, 1.0), 16000, 1, SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III);
        QVERIFY2(!mp3.isEmpty(), "libsndfile cannot write MP3 here");
        QVERIFY(mp3.startsWith("ID3") || (uchar(mp3[0]) == 0xFF && (uchar(mp3[1]) & 0xE0) == 0xE0));
        const auto result = m_decoder.decode(mp3);
        QVERIFY2(result.ok(), qPrintable(result.error));
        QCOMPARE(result.sourceRate, 16000);
        // MP3 frames pad the end; the length stays within one frame (1152 samples at 16 kHz).
        QVERIFY2(std::abs(result.durationMs(8000) - 1000) <= 75, qPrintable(QString::number(result.durationMs(8000))));
        QVERIFY(powerAt(result.samples, 440, 8000) > 100 * powerAt(result.samples, 660, 8000));
    }

    void garbageIsRefusedWithAClearError()
    {
        const auto result = m_decoder.decode(QByteArrayLiteral("<html>404 Not Found</html>"));
        QVERIFY(!result.ok());
        QVERIFY2(result.error.startsWith(QStringLiteral("unsupported or corrupt audio")), qPrintable(result.error));
        QVERIFY(result.samples.isEmpty());
    }

    void emptyFileIsRefused()
    {
        const auto result = m_decoder.decode({});
        QCOMPARE(result.error, QStringLiteral("empty file"));
    }
};

QTEST_GUILESS_MAIN(TestAudioDecoder)
#include "tst_audiodecoder.moc"
