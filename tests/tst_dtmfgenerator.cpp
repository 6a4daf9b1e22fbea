// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// DTMF synthesis: every key's Q.23 frequency pair, its length and level, measured in the samples.
#include <media/dtmfgenerator.h>

#include <QTest>

#include <algorithm>
#include <cmath>

using namespace VoiceSim;

namespace {

constexpr double kPi = 3.14159265358979323846;

// Amplitude of one frequency in the samples (Goertzel, normalised to a sine's peak).
double amplitudeAt(const QList<qint16> &samples, double hz, int rate, qsizetype from, qsizetype to)
{
    const double coefficient = 2 * std::cos(2 * kPi * hz / rate);
    double s1 = 0, s2 = 0;
    for (qsizetype i = from; i < to; ++i) {
        const double s0 = samples[i] + coefficient * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    const double power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
    return 2 * std::sqrt(std::max(0.0, power)) / double(to - from);
}

} // namespace

class TestDtmfGenerator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyKeyCarriesItsTwoTones_data()
    {
        QTest::addColumn<QChar>("key");
        QTest::addColumn<int>("low");
        QTest::addColumn<int>("high");
        const char *rows[4] = {"123A", "456B", "789C", "*0#D"};
        const int low[4] = {697, 770, 852, 941};
        const int high[4] = {1209, 1336, 1477, 1633};
        for (int r = 0; r < 4; ++r)
            for (int c = 0; c < 4; ++c)
                QTest::addRow("%c", rows[r][c]) << QChar(QLatin1Char(rows[r][c])) << low[r] << high[c];
    }
    void everyKeyCarriesItsTwoTones()
    {
        QFETCH(QChar, key);
        QFETCH(int, low);
        QFETCH(int, high);
        int gotLow = 0, gotHigh = 0;
        QVERIFY(DtmfGenerator::frequencies(key, &gotLow, &gotHigh));
        QCOMPARE(gotLow, low);
        QCOMPARE(gotHigh, high);

        const DtmfGenerator generator;
        const QList<qint16> samples = generator.tone(key, 100, -10.0);
        QCOMPARE(samples.size(), 800);
        // Each tone at -10 dBFS (within 0.3 dB), measured away from the 1 ms edges.
        const double expected = 32767.0 * std::pow(10.0, -10.0 / 20.0);
        for (int hz : {low, high}) {
            const double db = 20 * std::log10(amplitudeAt(samples, hz, 8000, 16, 784) / expected);
            QVERIFY2(std::abs(db) < 0.3, qPrintable(QString::number(db)));
        }
        // Every other DTMF frequency is at least 25 dB below.
        for (int other : {697, 770, 852, 941, 1209, 1336, 1477, 1633}) {
            if (other == low || other == high)
                continue;
            QVERIFY(20 * std::log10(amplitudeAt(samples, other, 8000, 16, 784) / expected) < -25);
        }
    }

    void lengthFollowsTheDurationAndTheRate()
    {
        QCOMPARE(DtmfGenerator(8000).tone(QLatin1Char('5'), 40).size(), 320);
        QCOMPARE(DtmfGenerator(16000).tone(QLatin1Char('5'), 23).size(), 368);
        QVERIFY(DtmfGenerator().tone(QLatin1Char('5'), 0).isEmpty());
    }

    void edgesStartAndEndAtSilence()
    {
        const QList<qint16> samples = DtmfGenerator().tone(QLatin1Char('#'), 60, 0.0);
        QCOMPARE(samples.first(), qint16(0));
        QVERIFY(std::abs(samples.last()) < 300);
        // Two full-scale tones would exceed 16 bits: the sum is clipped, never wrapped.
        QVERIFY(*std::max_element(samples.cbegin(), samples.cend()) == 32767);
    }

    void lowerCaseLettersAreKeysUnknownKeysAreNot()
    {
        int low = 0, high = 0;
        QVERIFY(DtmfGenerator::frequencies(QLatin1Char('d'), &low, &high));
        QCOMPARE(high, 1633);
        QVERIFY(!DtmfGenerator::frequencies(QLatin1Char('E'), &low, &high));
        QVERIFY(!DtmfGenerator::frequencies(QLatin1Char('w'), &low, &high));
        QVERIFY(!DtmfGenerator::frequencies(QChar(0x00e9), &low, &high));
        QVERIFY(DtmfGenerator().tone(QLatin1Char('x'), 100).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestDtmfGenerator)
#include "tst_dtmfgenerator.moc"
