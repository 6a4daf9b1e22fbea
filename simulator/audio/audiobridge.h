// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "audiobackend.h"

#include <media/audioendpoint.h>
#include <media/dtmfgenerator.h>

#include <QObject>

#include <deque>

namespace VoiceSim {

class MediaEngine;

// Puts the developer in one call: what the call sends down plays on the output device, the
// microphone (when on) goes up the call, and the keypad's tones sound locally as on a phone.
// Peak levels of both directions feed the meters.
class AudioBridge final : public QObject, public AudioEndpoint
{
    Q_OBJECT
public:
    AudioBridge(MediaEngine &media, AudioBackend &backend, QObject *parent = nullptr);
    ~AudioBridge() override;

    // The call to hear and speak in; empty: none.
    void attach(const QString &sessionUuid);
    void setMicrophoneEnabled(bool enabled);
    // Plays a key's tone on the output device (the caller's own key press).
    void sidetone(QChar key, int durationMs = 100);

    // dBFS of the last 20 ms frame's peak; -100 for silence.
    double outputLevelDb() const { return m_outputLevel; }
    double inputLevelDb() const { return m_inputLevel; }

    // AudioEndpoint (the media engine's thread, which is the GUI thread here).
    void readUpstream(qint32 *frame, int samples) override;
    void writeDownstream(const qint16 *frame, int samples) override;

private:
    MediaEngine &m_media;
    AudioBackend &m_backend;
    DtmfGenerator m_keys;
    QString m_call;
    bool m_microphone = false;
    std::deque<qint16> m_sidetone; // bounded by the key presses queued: at most 2 s
    double m_outputLevel = -100.0;
    double m_inputLevel = -100.0;
};

} // namespace VoiceSim
