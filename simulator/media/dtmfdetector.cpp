// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "dtmfdetector.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace VoiceSim {

namespace {

constexpr int kRate = 8000;
// 205 samples resolve the low group's 73 Hz spacing; 120 keep the high group's ±1.5 % loss
// near 2 dB while 3.5 % off loses about 15 dB. Both were checked with tst_dtmfdetector.
constexpr int kLowWindow = 205;
constexpr int kHighWindow = 120;
constexpr int kHop = 40; // 5 ms
constexpr int kMsHistory = 4096;
constexpr float kLowHz[4] = {697, 770, 852, 941};
constexpr float kHighHz[4] = {1209, 1336, 1477, 1633};
constexpr char kKeys[4][5] = {"123A", "456B", "789C", "*0#D"};
// A tone's mean power must reach -40 dBFS per tone.
constexpr float kMinTonePower = 327.7f * 327.7f / 2;
constexpr float kMaxTwistDb = 8.0f;
constexpr float kMinDominanceDb = 6.0f;
// The share of the window's energy the two tones must hold: about 0.95 for a clean pair,
// 0.6 at ±1.5 %, far lower for speech or 3.5 % off.
constexpr float kMinToneShare = 0.55f;
constexpr float kMinHarmonicRejectionDb = 12.0f;

float coefficient(float hz)
{
    return 2.0f * std::cos(2.0f * std::numbers::pi_v<float> * hz / kRate);
}

} // namespace

DtmfDetector::DtmfDetector(Callback onPress, std::function<void()> onKeyDown)
    : m_onPress(std::move(onPress))
    , m_onKeyDown(std::move(onKeyDown))
    , m_msEnergy(kMsHistory, 0.0f)
{
}

void DtmfDetector::feed(const qint16 *samples, qsizetype count)
{
    for (qsizetype i = 0; i < count; ++i) {
        const float x = samples[i];
        m_ring[size_t(m_fed & 255)] = x;
        ++m_fed;
        m_msAccu += x * x;
        if (++m_msFill == kRate / 1000) {
            m_msEnergy[size_t((m_fed / 8 - 1) % kMsHistory)] = m_msAccu;
            m_msAccu = 0;
            m_msFill = 0;
        }
        if (++m_sinceHop == kHop) {
            m_sinceHop = 0;
            if (m_fed >= kLowWindow)
                analyse();
        }
    }
}

void DtmfDetector::flush()
{
    if (m_runHops > 0)
        endRun();
}

float DtmfDetector::goertzel(float hz, int window) const
{
    const float c = coefficient(hz);
    float s1 = 0, s2 = 0;
    const qint64 first = m_fed - window;
    for (int n = 0; n < window; ++n) {
        const float s = m_ring[size_t((first + n) & 255)] + c * s1 - s2;
        s2 = s1;
        s1 = s;
    }
    return s1 * s1 + s2 * s2 - c * s1 * s2;
}

QChar DtmfDetector::classify() const
{
    // Goertzel over the newest window of each group.
    const auto powers = [this](const float *hz, int window, float *energy) {
        std::array<float, 4> p{};
        float e = 0;
        const qint64 first = m_fed - window;
        for (int k = 0; k < 4; ++k) {
            const float c = coefficient(hz[k]);
            float s1 = 0, s2 = 0;
            for (int n = 0; n < window; ++n) {
                const float x = m_ring[size_t((first + n) & 255)];
                const float s = x + c * s1 - s2;
                s2 = s1;
                s1 = s;
                if (k == 0)
                    e += x * x;
            }
            // |X|^2 scaled so that a whole-window sine gives its own energy.
            p[size_t(k)] = 2.0f * (s1 * s1 + s2 * s2 - c * s1 * s2) / float(window);
        }
        *energy = e;
        return p;
    };
    float lowEnergy = 0, highEnergy = 0;
    const auto low = powers(kLowHz, kLowWindow, &lowEnergy);
    const auto high = powers(kHighHz, kHighWindow, &highEnergy);
    if (lowEnergy <= 0 || highEnergy <= 0)
        return {};

    const auto strongest = [](const std::array<float, 4> &p, float *second) {
        int best = 0;
        for (int k = 1; k < 4; ++k)
            if (p[size_t(k)] > p[size_t(best)])
                best = k;
        *second = 0;
        for (int k = 0; k < 4; ++k)
            if (k != best)
                *second = std::max(*second, p[size_t(k)]);
        return best;
    };
    float lowSecond = 0, highSecond = 0;
    const int row = strongest(low, &lowSecond);
    const int col = strongest(high, &highSecond);
    const float pl = low[size_t(row)], ph = high[size_t(col)];

    const float lowMean = pl / kLowWindow, highMean = ph / kHighWindow;
    if (lowMean < kMinTonePower || highMean < kMinTonePower)
        return {};
    const float twistDb = 10.0f * std::log10(highMean / lowMean);
    if (std::abs(twistDb) > kMaxTwistDb)
        return {};
    const float dominance = std::pow(10.0f, kMinDominanceDb / 10.0f);
    if (pl < dominance * lowSecond || ph < dominance * highSecond)
        return {};
    if (pl / lowEnergy + ph / highEnergy < kMinToneShare)
        return {};
    // Frequency tolerance: a tone 1.5 % off is still nearer its key's frequency than probes 4 %
    // either side; one 3.5 % off is nearer a probe.
    const auto centred = [this](float hz, int window, float atHz) {
        return goertzel(atHz, window) > std::max(goertzel(hz * 0.96f, window), goertzel(hz * 1.04f, window));
    };
    if (!centred(kLowHz[row], kLowWindow, kLowHz[row]) || !centred(kHighHz[col], kHighWindow, kHighHz[col]))
        return {};
    // Talk-off: voiced speech is a comb of harmonics of its pitch. When both "tones" are
    // harmonics, so are their difference (a multiple of the pitch) and twice the high one, and
    // speech carries energy there; a keypad does not. (Twice a low tone lands near the high
    // group, so that one is not checked.)
    const float harmonicLimit = std::pow(10.0f, -kMinHarmonicRejectionDb / 10.0f);
    if (goertzel(2 * kHighHz[col], kHighWindow) > harmonicLimit * goertzel(kHighHz[col], kHighWindow)
        || goertzel(kHighHz[col] - kLowHz[row], kLowWindow) > harmonicLimit * goertzel(kLowHz[row], kLowWindow))
        return {};
    return QLatin1Char(kKeys[row][col]);
}

void DtmfDetector::analyse()
{
    const QChar key = classify();
    if (!key.isNull() && key == m_runKey) {
        // Four agreeing windows in a row (20 ms): a key is down.
        if (++m_runHops == 4 && m_onKeyDown)
            m_onKeyDown();
        m_missHops = 0;
        m_runLastSample = m_fed;
        return;
    }
    if (m_runHops > 0) {
        // One doubtful window inside a tone (noise) does not split it; two end it.
        if (key.isNull() && ++m_missHops < 2)
            return;
        endRun();
    }
    if (!key.isNull()) {
        m_runKey = key;
        m_runHops = 1;
        m_missHops = 0;
        m_runStartSample = m_fed;
        m_runLastSample = m_fed;
    }
}

void DtmfDetector::endRun()
{
    // The tone's edges from the energy per millisecond, smoothed over 8 ms (the beat of the
    // two tones is at most 3.7 ms long): the tone began up to a window before the first
    // detecting window. Count the milliseconds at more than half the peak; for a tone of D ms
    // that is D (or 8 when D is shorter).
    constexpr int kSmooth = 8;
    const qint64 lastMs = m_fed / 8 - 1;
    const qint64 firstMs = std::max({qint64(0), (m_runStartSample - kLowWindow) / 8 - 10, lastMs - kMsHistory + kSmooth});
    std::vector<float> smooth;
    for (qint64 ms = firstMs + kSmooth - 1; ms <= lastMs; ++ms) {
        float sum = 0;
        for (qint64 k = ms - kSmooth + 1; k <= ms; ++k)
            sum += m_msEnergy[size_t(k % kMsHistory)];
        smooth.push_back(sum);
    }
    int duration = 0;
    if ((m_runStartSample - kLowWindow) / 8 - 10 < firstMs && firstMs > 0) {
        // Longer than the history: the run of detecting windows is precise enough.
        duration = int((m_runLastSample - m_runStartSample + kLowWindow) / 8);
    } else if (!smooth.empty()) {
        const float peak = *std::max_element(smooth.begin(), smooth.end());
        for (float e : smooth)
            duration += e >= 0.5f * peak ? 1 : 0;
    }
    const Press press{m_runKey, duration, m_runLastSample};
    m_runKey = QChar();
    m_runHops = 0;
    m_missHops = 0;
    if (duration >= kMinDurationMs && m_onPress)
        m_onPress(press);
}

} // namespace VoiceSim
