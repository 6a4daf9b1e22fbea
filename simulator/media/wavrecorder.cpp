// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "wavrecorder.h"

#include <QFile>

#include <sndfile.h>

namespace VoiceSim {

struct WavRecorder::File
{
    SNDFILE *handle = nullptr;
    ~File()
    {
        if (handle)
            sf_close(handle);
    }
};

WavRecorder::WavRecorder(int rate)
    : m_rate(rate)
{
}

WavRecorder::~WavRecorder() = default;

bool WavRecorder::open(const QString &path)
{
    finish();
    SF_INFO info{};
    info.samplerate = m_rate;
    info.channels = 1;
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    SNDFILE *handle = sf_open(QFile::encodeName(path).constData(), SFM_WRITE, &info);
    if (!handle) {
        m_error = QStringLiteral("cannot create recording ") + path + QStringLiteral(": ") + QString::fromUtf8(sf_strerror(nullptr));
        return false;
    }
    // Rewrite the header's sizes on every write: a recording cut short is still a valid file.
    sf_command(handle, SFC_SET_UPDATE_HEADER_AUTO, nullptr, SF_TRUE);
    m_file = std::make_unique<File>();
    m_file->handle = handle;
    m_samples = 0;
    m_error.clear();
    return true;
}

bool WavRecorder::append(const QList<qint16> &samples)
{
    if (!m_file)
        return false;
    const sf_count_t written = sf_write_short(m_file->handle, samples.constData(), sf_count_t(samples.size()));
    m_samples += written;
    if (written != sf_count_t(samples.size())) {
        m_error = QStringLiteral("recording write failed: ") + QString::fromUtf8(sf_strerror(m_file->handle));
        return false;
    }
    return true;
}

qint64 WavRecorder::finish()
{
    m_file.reset();
    return m_samples / m_rate;
}

} // namespace VoiceSim
