// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QChar>
#include <QList>

#include <array>
#include <functional>
#include <vector>

namespace VoiceSim {

// Finds DTMF key presses in 8 kHz mono audio (in-band mode), aiming at ITU-T Q.24: tones of
// 40 ms and more within ±1.5 % and a twist of ±6 dB are reported with their measured duration;
// shorter than 23 ms, off by 3.5 % or more, or speech, are not. Goertzel filters over a long
// window for the close low-group tones and a shorter one for the high group, every 5 ms.
class DtmfDetector
{
public:
    struct Press
    {
        QChar key;
        int durationMs = 0;
        qint64 endSample = 0; // where the tone ended in the fed stream
    };
    using Callback = std::function<void(const Press &)>;

    explicit DtmfDetector(Callback onPress = {}, std::function<void()> onKeyDown = {});

    void feed(const qint16 *samples, qsizetype count);
    // Reports a tone still under way as if it ended now (end of input).
    void flush();
    qint64 samplesFed() const { return m_fed; }

    // Tones shorter than this (as measured) are not reported.
    static constexpr int kMinDurationMs = 30;

private:
    void analyse();
    QChar classify() const;
    float goertzel(float hz, int window) const;
    void endRun();

    Callback m_onPress;
    std::function<void()> m_onKeyDown;
    std::array<float, 256> m_ring{}; // the last samples; power of two for cheap wrapping
    qint64 m_fed = 0;
    int m_sinceHop = 0;
    // Energy per millisecond of the recent past, to measure a tone's edges to ~1 ms.
    std::vector<float> m_msEnergy;
    float m_msAccu = 0;
    int m_msFill = 0;

    QChar m_runKey;
    int m_runHops = 0;
    int m_missHops = 0;
    qint64 m_runStartSample = 0;
    qint64 m_runLastSample = 0;
};

} // namespace VoiceSim
