// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "audiobackend.h"

#include <QAudioDevice>
#include <QMediaDevices>

#include <deque>
#include <memory>
#include <optional>

class QAudioSink;
class QAudioSource;
class QIODevice;

namespace VoiceSim {

// Sound devices through Qt Multimedia (PulseAudio on Linux), with hot-plug. The output buffer
// and the queue in front of it are kept short (kOutputBufferMs, kOutputQueueMs) and the microphone's
// backlog capped (kInputBacklogMs), so audio stays within about a tenth of a second of the call.
class QtAudioBackend final : public AudioBackend
{
    Q_OBJECT
public:
    static constexpr int kOutputBufferMs = 60;
    static constexpr int kOutputQueueMs = 40;
    static constexpr int kStalledWrites = 100; // 2 s of frames the output took none of
    static constexpr int kInputBacklogMs = 60;

    explicit QtAudioBackend(QObject *parent = nullptr);
    ~QtAudioBackend() override;

    QString name() const override { return QStringLiteral("Qt Multimedia"); }
    QList<Device> outputs() const override;
    QList<Device> inputs() const override;
    bool setOutput(const QByteArray &id, QString *error) override;
    bool setInput(const QByteArray &id, QString *error) override;
    QByteArray output() const override { return m_outputId; }
    QByteArray input() const override { return m_inputId; }
    void write(const qint16 *samples, int count) override;
    int read(qint16 *samples, int count) override;

    // Samples dropped because the output could not take them in time (the tests read it).
    quint64 droppedOutput() const { return m_droppedOutput; }

private:
    enum class Direction { Output, Input };
    // The device with this id if it can carry a call's audio; else nullopt and why.
    static std::optional<QAudioDevice> usable(const QList<QAudioDevice> &devices, const QByteArray &id,
                                              Direction direction, QString *error);
    // Closes the device later and reports it lost.
    void lose(Direction direction, const QString &message);
    void devicesMaybeGone();
    void readMicrophone();

    QMediaDevices m_devices;
    std::unique_ptr<QAudioSink> m_sink;
    QIODevice *m_sinkIo = nullptr;
    std::unique_ptr<QAudioSource> m_source;
    QIODevice *m_sourceIo = nullptr;
    QByteArray m_outputId;
    QByteArray m_inputId;
    std::deque<qint16> m_captured;
    std::deque<qint16> m_playing; // waiting for room in the sink's buffer
    bool m_sinkTookAudio = false;
    int m_stalledWrites = 0;
    quint64 m_droppedOutput = 0;
};

} // namespace VoiceSim
