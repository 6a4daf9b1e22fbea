// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "dtmfgenerator.h"

#include <algorithm>
#include <cmath>

namespace VoiceSim {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr int kLow[4] = {697, 770, 852, 941};
constexpr int kHigh[4] = {1209, 1336, 1477, 1633};
// Keypad layout: row picks the low tone, column the high tone.
constexpr char kKeys[4][5] = {"123A", "456B", "789C", "*0#D"};

} // namespace

DtmfGenerator::DtmfGenerator(int rate)
    : m_rate(rate)
{
}

bool DtmfGenerator::frequencies(QChar key, int *lowHz, int *highHz)
{
    const char c = char(key.toUpper().unicode() < 0x80 ? key.toUpper().unicode() : 0);
    for (int row = 0; row < 4; ++row) {
        for (int column = 0; column < 4; ++column) {
            if (c != 0 && kKeys[row][column] == c) {
                *lowHz = kLow[row];
                *highHz = kHigh[column];
                return true;
            }
        }
    }
    return false;
}

QList<qint16> DtmfGenerator::tone(QChar key, int durationMs, double levelDbfs) const
{
    int low = 0;
    int high = 0;
    if (!frequencies(key, &low, &high) || durationMs <= 0)
        return {};
    const qsizetype count = qsizetype(qint64(durationMs) * m_rate / 1000);
    const qsizetype ramp = std::min<qsizetype>(m_rate / 1000, count / 2);
    const double amplitude = 32767.0 * std::pow(10.0, levelDbfs / 20.0);
    QList<qint16> out(count);
    for (qsizetype i = 0; i < count; ++i) {
        double gain = 1.0;
        const qsizetype edge = std::min(i, count - 1 - i);
        if (edge < ramp)
            gain = 0.5 - 0.5 * std::cos(kPi * double(edge) / double(ramp));
        const double t = double(i) / m_rate;
        const double value = amplitude * gain * (std::sin(2 * kPi * low * t) + std::sin(2 * kPi * high * t));
        out[i] = qint16(std::lround(std::clamp(value, -32768.0, 32767.0)));
    }
    return out;
}

} // namespace VoiceSim
