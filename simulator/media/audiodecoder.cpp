// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "audiodecoder.h"

#include <samplerate.h>
#include <sndfile.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

namespace VoiceSim {

namespace {

// libsndfile's virtual I/O over a byte array, so fetched media never touches the disk.
struct MemoryFile
{
    const QByteArray &data;
    sf_count_t position = 0;
};

sf_count_t fileLength(void *user)
{
    return static_cast<MemoryFile *>(user)->data.size();
}

sf_count_t fileSeek(sf_count_t offset, int whence, void *user)
{
    auto *file = static_cast<MemoryFile *>(user);
    const sf_count_t base = whence == SEEK_CUR ? file->position : whence == SEEK_END ? file->data.size() : 0;
    file->position = std::clamp<sf_count_t>(base + offset, 0, sf_count_t(file->data.size()));
    return file->position;
}

sf_count_t fileRead(void *buffer, sf_count_t count, void *user)
{
    auto *file = static_cast<MemoryFile *>(user);
    const sf_count_t n = std::max<sf_count_t>(0, std::min<sf_count_t>(count, sf_count_t(file->data.size()) - file->position));
    std::memcpy(buffer, file->data.constData() + file->position, size_t(n));
    file->position += n;
    return n;
}

sf_count_t fileWrite(const void *, sf_count_t, void *)
{
    return 0; // read only
}

sf_count_t fileTell(void *user)
{
    return static_cast<MemoryFile *>(user)->position;
}

} // namespace

AudioDecoder::AudioDecoder(int targetRate)
    : m_targetRate(targetRate)
{
}

AudioDecoder::Result AudioDecoder::decode(const QByteArray &bytes) const
{
    Result result;
    if (bytes.isEmpty()) {
        result.error = QStringLiteral("empty file");
        return result;
    }
    MemoryFile file{bytes};
    SF_VIRTUAL_IO io{fileLength, fileSeek, fileRead, fileWrite, fileTell};
    SF_INFO info{};
    const std::unique_ptr<SNDFILE, int (*)(SNDFILE *)> sound(sf_open_virtual(&io, SFM_READ, &info, &file), sf_close);
    if (!sound) {
        result.error = QStringLiteral("unsupported or corrupt audio: ") + QString::fromUtf8(sf_strerror(nullptr));
        return result;
    }
    if (info.channels < 1 || info.samplerate < 1) {
        result.error = QStringLiteral("unsupported or corrupt audio: no channels or no sample rate");
        return result;
    }
    result.sourceRate = info.samplerate;
    result.sourceChannels = info.channels;

    if (info.channels == 1 && info.samplerate == m_targetRate) {
        // Already the engine's shape: read 16-bit samples as they are, bit for bit.
        QList<qint16> samples;
        if (info.frames > 0)
            samples.reserve(qsizetype(info.frames));
        for (;;) {
            const qsizetype old = samples.size();
            samples.resize(old + 4096);
            const sf_count_t got = sf_read_short(sound.get(), samples.data() + old, 4096);
            samples.resize(old + qsizetype(std::max<sf_count_t>(0, got)));
            if (got <= 0)
                break;
        }
        if (samples.isEmpty() && sf_error(sound.get()) != SF_ERR_NO_ERROR) {
            result.error = QStringLiteral("unsupported or corrupt audio: ") + QString::fromUtf8(sf_strerror(sound.get()));
            return result;
        }
        result.samples = std::move(samples);
        return result;
    }

    // Read in blocks (MP3 reports no exact frame count up front) and downmix to mono.
    std::vector<float> mono;
    if (info.frames > 0)
        mono.reserve(size_t(info.frames));
    std::vector<float> block(size_t(4096) * size_t(info.channels));
    for (;;) {
        const sf_count_t frames = sf_readf_float(sound.get(), block.data(), 4096);
        if (frames <= 0)
            break;
        for (sf_count_t f = 0; f < frames; ++f) {
            float sum = 0;
            for (int c = 0; c < info.channels; ++c)
                sum += block[size_t(f) * size_t(info.channels) + size_t(c)];
            mono.push_back(sum / float(info.channels));
        }
    }
    if (sf_error(sound.get()) != SF_ERR_NO_ERROR && mono.empty()) {
        result.error = QStringLiteral("unsupported or corrupt audio: ") + QString::fromUtf8(sf_strerror(sound.get()));
        return result;
    }

    std::vector<float> resampled;
    if (info.samplerate == m_targetRate) {
        resampled = std::move(mono);
    } else if (!mono.empty()) {
        const double ratio = double(m_targetRate) / double(info.samplerate);
        resampled.resize(size_t(double(mono.size()) * ratio) + 16);
        SRC_DATA data{};
        data.data_in = mono.data();
        data.input_frames = long(mono.size());
        data.data_out = resampled.data();
        data.output_frames = long(resampled.size());
        data.src_ratio = ratio;
        if (const int error = src_simple(&data, SRC_SINC_MEDIUM_QUALITY, 1)) {
            result.error = QStringLiteral("resampling failed: ") + QString::fromUtf8(src_strerror(error));
            return result;
        }
        resampled.resize(size_t(data.output_frames_gen));
    }

    result.samples.resize(qsizetype(resampled.size()));
    src_float_to_short_array(resampled.data(), reinterpret_cast<short *>(result.samples.data()), int(resampled.size()));
    return result;
}

} // namespace VoiceSim
