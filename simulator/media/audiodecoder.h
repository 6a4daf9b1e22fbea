// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace VoiceSim {

// Decodes a media file held in memory (WAV, MP3, FLAC, Ogg: whatever libsndfile reads) into the
// media engine's format, mono signed 16-bit PCM at one rate (8 kHz by default, C-PLAYBACK),
// downmixing channels and resampling with libsamplerate.
class AudioDecoder
{
public:
    struct Result
    {
        QList<qint16> samples; // empty on error
        QString error;         // empty on success; names what is wrong
        int sourceRate = 0;
        int sourceChannels = 0;

        bool ok() const { return error.isEmpty(); }
        qint64 durationMs(int rate) const { return rate > 0 ? qint64(samples.size()) * 1000 / rate : 0; }
    };

    explicit AudioDecoder(int targetRate = 8000);

    int targetRate() const { return m_targetRate; }
    Result decode(const QByteArray &file) const;

private:
    int m_targetRate;
};

} // namespace VoiceSim
