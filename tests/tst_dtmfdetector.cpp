// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// The in-band DTMF detector against the ITU-T Q.24 points issue #3 names: every key across
// durations and levels, noise at 20 dB SNR, frequency and twist limits, short tones rejected,
// and speech that must not produce digits (talk-off).
#include <media/audiodecoder.h>
#include <media/dtmfdetector.h>
#include <media/dtmfgenerator.h>

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <numbers>
#include <random>

using namespace VoiceSim;

namespace {

constexpr int kRate = 8000;
const QString kKeys = QStringLiteral("123A456B789C*0#D");

struct Tone
{
    QChar key;
    int durationMs = 100;
    double lowDbfs = -10;
    double highDbfs = -10;
    double lowFactor = 1.0; // frequency error
    double highFactor = 1.0;
};

// A key press written out here rather than with DtmfGenerator, so frequency errors and twist
// can be set per tone. 1 ms raised-cosine edges, as a keypad would.
void appendTone(QList<double> &out, const Tone &t)
{
    int lowHz = 0, highHz = 0;
    QVERIFY(DtmfGenerator::frequencies(t.key, &lowHz, &highHz));
    const double al = 32767.0 * std::pow(10.0, t.lowDbfs / 20.0);
    const double ah = 32767.0 * std::pow(10.0, t.highDbfs / 20.0);
    const int n = t.durationMs * kRate / 1000;
    const int ramp = kRate / 1000;
    for (int i = 0; i < n; ++i) {
        double env = 1.0;
        if (i < ramp)
            env = 0.5 - 0.5 * std::cos(std::numbers::pi * i / ramp);
        else if (i >= n - ramp)
            env = 0.5 - 0.5 * std::cos(std::numbers::pi * (n - 1 - i) / ramp);
        const double t0 = double(i) / kRate;
        out.append(env * (al * std::sin(2 * std::numbers::pi * lowHz * t.lowFactor * t0)
                          + ah * std::sin(2 * std::numbers::pi * highHz * t.highFactor * t0)));
    }
}

void appendSilence(QList<double> &out, int ms)
{
    out.append(QList<double>(ms * kRate / 1000, 0.0));
}

QList<qint16> toPcm(const QList<double> &signal, double noiseRms = 0, quint64 seed = 7)
{
    std::mt19937_64 random(seed);
    std::normal_distribution<double> noise(0.0, noiseRms > 0 ? noiseRms : 1.0);
    QList<qint16> out;
    out.reserve(signal.size());
    for (double v : signal) {
        if (noiseRms > 0)
            v += noise(random);
        out.append(qint16(std::clamp(std::lround(v), -32768L, 32767L)));
    }
    return out;
}

QList<DtmfDetector::Press> detect(const QList<qint16> &pcm)
{
    QList<DtmfDetector::Press> presses;
    DtmfDetector detector([&presses](const DtmfDetector::Press &p) { presses.append(p); });
    // Fed in 20 ms frames, as the media engine does.
    for (qsizetype at = 0; at < pcm.size(); at += 160)
        detector.feed(pcm.constData() + at, std::min<qsizetype>(160, pcm.size() - at));
    detector.flush();
    return presses;
}

QString keysOf(const QList<DtmfDetector::Press> &presses)
{
    QString out;
    for (const auto &p : presses)
        out += p.key;
    return out;
}

} // namespace

class TestDtmfDetector : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyKeyIsDetectedAcrossDurationsAndLevels_data();
    void everyKeyIsDetectedAcrossDurationsAndLevels();
    void keysAreDetectedInNoiseAt20dBSnr();
    void frequencyWithinOnePointFivePercentIsAccepted();
    void frequencyOffByThreePointFivePercentIsRejected();
    void twistOfSixDbIsAcceptedAndTenIsRejected();
    void tonesShorterThan23MsAreRejected();
    void quietTonesBelowTheFloorAreIgnored();
    void keySequencesKeepTheirOrderAndRepeats();
    void speechProducesNoDigits();
    void harmonicSignalsProduceNoDigits();
};

void TestDtmfDetector::everyKeyIsDetectedAcrossDurationsAndLevels_data()
{
    QTest::addColumn<int>("durationMs");
    QTest::addColumn<double>("levelDbfs");
    for (int duration : {40, 50, 100, 250, 1000})
        for (double level : {-7.0, -15.0, -25.0, -35.0})
            QTest::addRow("%d ms at %.0f dBFS", duration, level) << duration << level;
}

void TestDtmfDetector::everyKeyIsDetectedAcrossDurationsAndLevels()
{
    QFETCH(int, durationMs);
    QFETCH(double, levelDbfs);
    for (const QChar key : kKeys) {
        QList<double> signal;
        appendSilence(signal, 100);
        appendTone(signal, {key, durationMs, levelDbfs, levelDbfs});
        appendSilence(signal, 100);
        const auto presses = detect(toPcm(signal));
        QCOMPARE(keysOf(presses), QString(key));
        // The measured hold time is what the dtmf event reports in in-band mode.
        QVERIFY2(std::abs(presses.first().durationMs - durationMs) <= 5,
                 qPrintable(QStringLiteral("key %1: measured %2 ms").arg(key).arg(presses.first().durationMs)));
    }
}

void TestDtmfDetector::keysAreDetectedInNoiseAt20dBSnr()
{
    for (const QChar key : kKeys) {
        for (double level : {-10.0, -25.0}) {
            QList<double> signal;
            appendSilence(signal, 200);
            appendTone(signal, {key, 60, level, level});
            appendSilence(signal, 200);
            // Two tones at level L carry a power of 2 * A^2 / 2; noise 20 dB below that.
            const double a = 32767.0 * std::pow(10.0, level / 20.0);
            const double noiseRms = std::sqrt(a * a) / std::pow(10.0, 20.0 / 20.0);
            const auto presses = detect(toPcm(signal, noiseRms, key.unicode()));
            QCOMPARE(keysOf(presses), QString(key));
            QVERIFY2(std::abs(presses.first().durationMs - 60) <= 6,
                     qPrintable(QStringLiteral("%1 ms").arg(presses.first().durationMs)));
        }
    }
}

void TestDtmfDetector::frequencyWithinOnePointFivePercentIsAccepted()
{
    for (const QChar key : kKeys) {
        for (double error : {-0.015, 0.015}) {
            for (const auto &[lf, hf] : {std::pair{1 + error, 1.0}, {1.0, 1 + error}, {1 + error, 1 + error}}) {
                QList<double> signal;
                appendSilence(signal, 100);
                appendTone(signal, {key, 50, -12, -12, lf, hf});
                appendSilence(signal, 100);
                QCOMPARE(keysOf(detect(toPcm(signal))), QString(key));
            }
        }
    }
}

void TestDtmfDetector::frequencyOffByThreePointFivePercentIsRejected()
{
    for (const QChar key : kKeys) {
        for (double error : {-0.035, 0.035}) {
            for (const auto &[lf, hf] : {std::pair{1 + error, 1.0}, {1.0, 1 + error}}) {
                QList<double> signal;
                appendSilence(signal, 100);
                appendTone(signal, {key, 100, -12, -12, lf, hf});
                appendSilence(signal, 100);
                QCOMPARE(keysOf(detect(toPcm(signal))), QString());
            }
        }
    }
}

void TestDtmfDetector::twistOfSixDbIsAcceptedAndTenIsRejected()
{
    for (const QChar key : kKeys) {
        for (double twist : {-6.0, 6.0}) {
            QList<double> signal;
            appendSilence(signal, 100);
            appendTone(signal, {key, 60, -14 - twist / 2, -14 + twist / 2});
            appendSilence(signal, 100);
            QCOMPARE(keysOf(detect(toPcm(signal))), QString(key));
        }
        for (double twist : {-10.0, 10.0}) {
            QList<double> signal;
            appendSilence(signal, 100);
            appendTone(signal, {key, 60, -14 - twist / 2, -14 + twist / 2});
            appendSilence(signal, 100);
            QCOMPARE(keysOf(detect(toPcm(signal))), QString());
        }
    }
}

void TestDtmfDetector::tonesShorterThan23MsAreRejected()
{
    for (const QChar key : kKeys) {
        for (int ms : {10, 15, 20, 22}) {
            QList<double> signal;
            appendSilence(signal, 100);
            appendTone(signal, {key, ms, -10, -10});
            appendSilence(signal, 100);
            QCOMPARE(keysOf(detect(toPcm(signal))), QString());
        }
    }
}

void TestDtmfDetector::quietTonesBelowTheFloorAreIgnored()
{
    QList<double> signal;
    appendSilence(signal, 100);
    appendTone(signal, {QLatin1Char('5'), 200, -50, -50});
    appendSilence(signal, 100);
    QCOMPARE(keysOf(detect(toPcm(signal))), QString());
}

void TestDtmfDetector::keySequencesKeepTheirOrderAndRepeats()
{
    QList<double> signal;
    appendSilence(signal, 50);
    for (const QChar key : QStringLiteral("1955#")) {
        appendTone(signal, {key, 45, -12, -12});
        appendSilence(signal, 45);
    }
    QCOMPARE(keysOf(detect(toPcm(signal, 30))), QStringLiteral("1955#"));
}

void TestDtmfDetector::speechProducesNoDigits()
{
    const QString espeak = QStandardPaths::findExecutable(QStringLiteral("espeak-ng"));
    if (espeak.isEmpty())
        QFAIL("espeak-ng is missing: tools/install-deps.sh installs it for the talk-off test");
    QTemporaryDir dir;
    const QString text = QStringLiteral(
        "Thank you for calling. Please listen carefully, as our menu options have changed. "
        "For billing, press one. To speak with an agent, stay on the line. "
        "Your call is important to us, and will be answered in the order it was received. "
        "Seven hundred and seventy, eight hundred and fifty two, nine hundred and forty one.");
    int total = 0;
    // Several voices and pitches: low and high, male and female variants.
    const QList<QStringList> voices = {{QStringLiteral("-v"), QStringLiteral("en-us"), QStringLiteral("-p"), QStringLiteral("30")},
                                       {QStringLiteral("-v"), QStringLiteral("en-us+f3"), QStringLiteral("-p"), QStringLiteral("70")},
                                       {QStringLiteral("-v"), QStringLiteral("en-gb"), QStringLiteral("-p"), QStringLiteral("50"), QStringLiteral("-s"), QStringLiteral("120")},
                                       {QStringLiteral("-v"), QStringLiteral("en-us+m7"), QStringLiteral("-p"), QStringLiteral("99")}};
    for (qsizetype v = 0; v < voices.size(); ++v) {
        const QString wav = dir.filePath(QStringLiteral("speech%1.wav").arg(v));
        QProcess process;
        process.start(espeak, voices.at(v) + QStringList{QStringLiteral("-w"), wav, text});
        QVERIFY(process.waitForFinished(30'000));
        QCOMPARE(process.exitCode(), 0);
        QFile file(wav);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const AudioDecoder::Result speech = AudioDecoder(kRate).decode(file.readAll());
        QVERIFY2(speech.ok(), qPrintable(speech.error));
        QVERIFY(speech.samples.size() > 10 * kRate);
        // Louder speech is the harder case for talk-off: normalise to a peak of -1 dBFS.
        qint16 peak = 1;
        for (qint16 s : speech.samples)
            peak = std::max<qint16>(peak, qint16(std::abs(int(s))));
        QList<double> scaled;
        for (qint16 s : speech.samples)
            scaled.append(s * (29200.0 / peak));
        const auto presses = detect(toPcm(scaled));
        QVERIFY2(presses.isEmpty(), qPrintable(QStringLiteral("voice %1 gave %2").arg(v).arg(keysOf(presses))));
        total += int(speech.samples.size());
    }
    QVERIFY(total > 60 * kRate); // over a minute of speech checked
}

void TestDtmfDetector::harmonicSignalsProduceNoDigits()
{
    // Vowel-like sounds: a pitch with its harmonics shaped by two formants, gliding slowly
    // (phase-continuous, as a voice does) through the whole range of voices, so that every pair
    // of harmonics that can land near a low and a high tone does so for a while.
    QList<double> signal;
    std::vector<double> phase(64, 0.0);
    const int seconds = 30;
    for (int i = 0; i < seconds * kRate; ++i) {
        const double pitch = 80 + 320.0 * i / (seconds * kRate);
        double v = 0;
        for (int h = 1; h * pitch < 3800 && h < 64; ++h) {
            const double f = h * pitch;
            phase[size_t(h)] += 2 * std::numbers::pi * f / kRate;
            const double formant = std::exp(-std::pow((f - 800) / 300, 2)) + 0.7 * std::exp(-std::pow((f - 1400) / 350, 2));
            v += (0.05 + formant) / h * std::sin(phase[size_t(h)]);
        }
        signal.append(6000 * v);
    }
    QCOMPARE(keysOf(detect(toPcm(signal))), QString());
}

QTEST_GUILESS_MAIN(TestDtmfDetector)
#include "tst_dtmfdetector.moc"
