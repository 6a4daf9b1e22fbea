// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "audiobridge.h"

#include <media/mediaengine.h>

#include <algorithm>
#include <cmath>

namespace VoiceSim {

namespace {

constexpr size_t kMaxSidetone = 2 * MediaEngine::kRate;

double peakDb(int peak)
{
    return peak <= 0 ? -100.0 : 20.0 * std::log10(peak / 32768.0);
}

} // namespace

AudioBridge::AudioBridge(MediaEngine &media, AudioBackend &backend, QObject *parent)
    : QObject(parent)
    , m_media(media)
    , m_backend(backend)
{
}

AudioBridge::~AudioBridge()
{
    attach({});
}

void AudioBridge::attach(const QString &sessionUuid)
{
    if (sessionUuid == m_call)
        return;
    if (!m_call.isEmpty())
        m_media.setEndpoint(m_call, nullptr);
    m_call = sessionUuid;
    m_sidetone.clear();
    if (!m_call.isEmpty())
        m_media.setEndpoint(m_call, this);
}

void AudioBridge::setMicrophoneEnabled(bool enabled)
{
    m_microphone = enabled;
    if (!enabled)
        m_inputLevel = -100.0;
}

void AudioBridge::sidetone(QChar key, int durationMs)
{
    const QList<qint16> tone = m_keys.tone(key, durationMs, -16.0);
    for (qint16 s : tone) {
        if (m_sidetone.size() >= kMaxSidetone)
            break;
        m_sidetone.push_back(s);
    }
}

void AudioBridge::readUpstream(qint32 *frame, int samples)
{
    qint16 captured[MediaEngine::kFrameSamples] = {};
    const int n = m_backend.read(captured, std::min(samples, MediaEngine::kFrameSamples));
    if (!m_microphone)
        return; // read all the same: a muted microphone must not pile up delay
    int peak = 0;
    for (int i = 0; i < n; ++i) {
        frame[i] += captured[i];
        peak = std::max(peak, std::abs(int(captured[i])));
    }
    m_inputLevel = peakDb(peak);
}

void AudioBridge::writeDownstream(const qint16 *frame, int samples)
{
    qint16 out[MediaEngine::kFrameSamples];
    const int n = std::min(samples, MediaEngine::kFrameSamples);
    int peak = 0;
    for (int i = 0; i < n; ++i) {
        qint32 v = frame[i];
        if (!m_sidetone.empty()) {
            v += m_sidetone.front();
            m_sidetone.pop_front();
        }
        out[i] = qint16(std::clamp<qint32>(v, -32768, 32767));
        peak = std::max(peak, std::abs(int(out[i])));
    }
    m_outputLevel = peakDb(peak);
    m_backend.write(out, n);
}

} // namespace VoiceSim
