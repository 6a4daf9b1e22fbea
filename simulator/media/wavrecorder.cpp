// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "wavrecorder.h"

#include <QFile>

#include <algorithm>
#include <cstring>

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

bool WavRecorder::append(const qint16 *samples, qsizetype count)
{
    if (!m_file)
        return false;
    const qsizetype at = m_pending.size();
    m_pending.resize(at + count);
    std::memcpy(m_pending.data() + at, samples, size_t(count) * sizeof(qint16));
    m_samples += count;
    return m_pending.size() >= m_rate ? flush() : true;
}

bool WavRecorder::flush()
{
    if (!m_file || m_pending.isEmpty())
        return m_file != nullptr;
    const sf_count_t written = sf_write_short(m_file->handle, m_pending.constData(), sf_count_t(m_pending.size()));
    const bool ok = written == sf_count_t(m_pending.size());
    if (!ok)
        m_error = QStringLiteral("recording write failed: ") + QString::fromUtf8(sf_strerror(m_file->handle));
    m_pending.clear();
    return ok;
}

qint64 WavRecorder::finish()
{
    flush();
    m_file.reset();
    return m_samples / m_rate;
}

namespace {

// libsndfile's virtual I/O on a growing byte array.
struct MemoryFile
{
    QByteArray bytes;
    sf_count_t position = 0;
};

sf_count_t memLength(void *user) { return sf_count_t(static_cast<MemoryFile *>(user)->bytes.size()); }
sf_count_t memTell(void *user) { return static_cast<MemoryFile *>(user)->position; }
sf_count_t memSeek(sf_count_t offset, int whence, void *user)
{
    auto *f = static_cast<MemoryFile *>(user);
    const sf_count_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? f->position : sf_count_t(f->bytes.size());
    f->position = std::max<sf_count_t>(0, base + offset);
    return f->position;
}
sf_count_t memRead(void *ptr, sf_count_t count, void *user)
{
    auto *f = static_cast<MemoryFile *>(user);
    const sf_count_t n = std::clamp<sf_count_t>(sf_count_t(f->bytes.size()) - f->position, 0, count);
    std::memcpy(ptr, f->bytes.constData() + f->position, size_t(n));
    f->position += n;
    return n;
}
sf_count_t memWrite(const void *ptr, sf_count_t count, void *user)
{
    auto *f = static_cast<MemoryFile *>(user);
    if (f->position + count > f->bytes.size())
        f->bytes.resize(qsizetype(f->position + count));
    std::memcpy(f->bytes.data() + f->position, ptr, size_t(count));
    f->position += count;
    return count;
}

} // namespace

QByteArray WavRecorder::encode(const QList<qint16> &samples, int rate)
{
    MemoryFile file;
    SF_VIRTUAL_IO io{memLength, memSeek, memRead, memWrite, memTell};
    SF_INFO info{};
    info.samplerate = rate;
    info.channels = 1;
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    SNDFILE *handle = sf_open_virtual(&io, SFM_WRITE, &info, &file);
    if (!handle)
        return {};
    sf_write_short(handle, samples.constData(), sf_count_t(samples.size()));
    sf_close(handle);
    return file.bytes;
}

} // namespace VoiceSim
