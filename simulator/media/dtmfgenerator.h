// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QChar>
#include <QList>

namespace VoiceSim {

// Synthesizes DTMF key presses (the ITU-T Q.23 frequency pairs) as mono 16-bit PCM: the tones a
// caller's keypad puts into the upstream audio, mixed in rfc4733 mode and detected in inband mode.
class DtmfGenerator
{
public:
    explicit DtmfGenerator(int rate = 8000);

    // The low- and high-group frequencies of a key (0-9, A-D, *, #); false for any other key.
    static bool frequencies(QChar key, int *lowHz, int *highHz);

    // One key press of durationMs, each tone at levelDbfs (a full-scale sine is 0 dBFS), with 1 ms
    // raised-cosine edges so the press does not click. Empty for an unknown key.
    QList<qint16> tone(QChar key, int durationMs, double levelDbfs = -10.0) const;

    int rate() const { return m_rate; }

private:
    int m_rate;
};

} // namespace VoiceSim
