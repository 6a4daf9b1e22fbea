// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "qtaudiobackend.h"

#include <QAudioDevice>
#include <QAudioSink>
#include <QAudioSource>
#include <QVarLengthArray>

#include <optional>

namespace VoiceSim {

namespace {

constexpr int kRate = 8000;

QAudioFormat callFormat()
{
    QAudioFormat format;
    format.setSampleRate(kRate);
    format.setChannelCount(1);
    format.setSampleFormat(QAudioFormat::Int16);
    return format;
}

QList<AudioBackend::Device> describe(const QList<QAudioDevice> &devices)
{
    QList<AudioBackend::Device> out;
    for (const QAudioDevice &d : devices)
        out.append({d.id(), d.description(), d.isDefault()});
    return out;
}

std::optional<QAudioDevice> find(const QList<QAudioDevice> &devices, const QByteArray &id)
{
    for (const QAudioDevice &d : devices)
        if (d.id() == id)
            return d;
    return std::nullopt;
}

QString errorName(QAudio::Error error)
{
    switch (error) {
    case QAudio::NoError: return QStringLiteral("no error");
    case QAudio::OpenError: return QStringLiteral("the device could not be opened");
    case QAudio::IOError: return QStringLiteral("the device failed while in use");
    case QAudio::UnderrunError: return QStringLiteral("underrun");
    case QAudio::FatalError: return QStringLiteral("the audio system failed");
    }
    return QStringLiteral("unknown error");
}

} // namespace

QtAudioBackend::QtAudioBackend(QObject *parent)
    : AudioBackend(parent)
{
    connect(&m_devices, &QMediaDevices::audioOutputsChanged, this, &QtAudioBackend::devicesMaybeGone);
    connect(&m_devices, &QMediaDevices::audioInputsChanged, this, &QtAudioBackend::devicesMaybeGone);
}

QtAudioBackend::~QtAudioBackend() = default;

QList<AudioBackend::Device> QtAudioBackend::outputs() const
{
    return describe(QMediaDevices::audioOutputs());
}

QList<AudioBackend::Device> QtAudioBackend::inputs() const
{
    return describe(QMediaDevices::audioInputs());
}

bool QtAudioBackend::setOutput(const QByteArray &id, QString *error)
{
    m_sinkIo = nullptr;
    m_sink.reset();
    m_outputId.clear();
    m_playing.clear();
    m_sinkTookAudio = false;
    m_stalledWrites = 0;
    if (id.isEmpty())
        return true;
    const std::optional<QAudioDevice> device = usable(QMediaDevices::audioOutputs(), id, Direction::Output, error);
    if (!device)
        return false;
    m_sink = std::make_unique<QAudioSink>(*device, callFormat());
    m_sink->setBufferSize(kRate * 2 * kOutputBufferMs / 1000);
    m_sinkIo = m_sink->start();
    if (!m_sinkIo) {
        if (error)
            *error = tr("%1: %2").arg(device->description(), errorName(m_sink->error()));
        m_sink.reset();
        return false;
    }
    m_outputId = id;
    // Qt 6.4 does not always announce a PulseAudio device that goes away; the stream's failure
    // does tell, so it counts as the device being lost.
    connect(m_sink.get(), &QAudioSink::stateChanged, this, [this](QAudio::State state) {
        if (state == QAudio::StoppedState && m_sink && m_sink->error() != QAudio::NoError
            && m_sink->error() != QAudio::UnderrunError) {
            lose(Direction::Output, tr("audio output %1 failed: %2").arg(QString::fromUtf8(m_outputId), errorName(m_sink->error())));
        }
    });
    return true;
}

bool QtAudioBackend::setInput(const QByteArray &id, QString *error)
{
    m_sourceIo = nullptr;
    m_source.reset();
    m_inputId.clear();
    m_captured.clear();
    if (id.isEmpty())
        return true;
    const std::optional<QAudioDevice> device = usable(QMediaDevices::audioInputs(), id, Direction::Input, error);
    if (!device)
        return false;
    m_source = std::make_unique<QAudioSource>(*device, callFormat());
    m_source->setBufferSize(kRate * 2 * 20 / 1000);
    m_sourceIo = m_source->start();
    if (!m_sourceIo) {
        if (error)
            *error = tr("%1: %2").arg(device->description(), errorName(m_source->error()));
        m_source.reset();
        return false;
    }
    connect(m_sourceIo, &QIODevice::readyRead, this, &QtAudioBackend::readMicrophone);
    m_inputId = id;
    connect(m_source.get(), &QAudioSource::stateChanged, this, [this](QAudio::State state) {
        if (state == QAudio::StoppedState && m_source && m_source->error() != QAudio::NoError) {
            lose(Direction::Input, tr("audio input %1 failed: %2").arg(QString::fromUtf8(m_inputId), errorName(m_source->error())));
        }
    });
    return true;
}

void QtAudioBackend::write(const qint16 *samples, int count)
{
    if (!m_sinkIo)
        return;
    // The sink takes audio in its own chunk sizes: what it cannot take yet waits here, up to
    // kOutputQueueMs; beyond that the oldest goes, so the delay stays bounded (a new PulseAudio
    // stream takes nothing for up to ~2 s; what the call sends meanwhile is lost, not delayed).
    m_playing.insert(m_playing.end(), samples, samples + count);
    const size_t cap = size_t(kRate * kOutputQueueMs / 1000);
    if (m_playing.size() > cap) {
        const size_t excess = m_playing.size() - cap;
        m_playing.erase(m_playing.begin(), m_playing.begin() + qsizetype(excess));
        m_droppedOutput += excess;
    }
    // Qt 6.4 asks PulseAudio for room even when its stream is gone, which aborts: ask only a
    // sink that runs.
    const bool running = m_sink->error() == QAudio::NoError
        && (m_sink->state() == QAudio::ActiveState || m_sink->state() == QAudio::IdleState);
    const qsizetype n = running ? std::min<qsizetype>(m_sink->bytesFree() / 2, qsizetype(m_playing.size())) : 0;
    if (n <= 0) {
        // A stream that took audio and then takes none for kStalledWrites frames lost its
        // device: Qt 6.4 reports neither the device's removal nor the stream's end.
        if (m_sinkTookAudio && ++m_stalledWrites == kStalledWrites) {
            lose(Direction::Output, tr("audio output %1 stopped taking audio (unplugged?)").arg(QString::fromUtf8(m_outputId)));
        }
        return;
    }
    m_sinkTookAudio = true;
    m_stalledWrites = 0;
    QVarLengthArray<qint16, 2048> chunk(n);
    std::copy_n(m_playing.begin(), n, chunk.begin());
    const qint64 written = m_sinkIo->write(reinterpret_cast<const char *>(chunk.constData()), n * 2);
    if (written > 0)
        m_playing.erase(m_playing.begin(), m_playing.begin() + qsizetype(written / 2));
}

void QtAudioBackend::readMicrophone()
{
    if (!m_sourceIo)
        return;
    const QByteArray bytes = m_sourceIo->readAll();
    const auto *samples = reinterpret_cast<const qint16 *>(bytes.constData());
    const qsizetype n = bytes.size() / 2;
    m_captured.insert(m_captured.end(), samples, samples + n);
    const size_t cap = size_t(kRate * kInputBacklogMs / 1000);
    if (m_captured.size() > cap)
        m_captured.erase(m_captured.begin(), m_captured.end() - qsizetype(cap));
}

int QtAudioBackend::read(qint16 *samples, int count)
{
    readMicrophone(); // what arrived since the last readyRead
    const int n = int(std::min<size_t>(size_t(count), m_captured.size()));
    std::copy_n(m_captured.begin(), n, samples);
    m_captured.erase(m_captured.begin(), m_captured.begin() + n);
    return n;
}

std::optional<QAudioDevice> QtAudioBackend::usable(const QList<QAudioDevice> &devices, const QByteArray &id,
                                                   Direction direction, QString *error)
{
    const bool output = direction == Direction::Output;
    const std::optional<QAudioDevice> device = find(devices, id);
    if (!device) {
        if (error)
            *error = (output ? tr("no audio output device %1") : tr("no audio input device %1")).arg(QString::fromUtf8(id));
        return std::nullopt;
    }
    if (!device->isFormatSupported(callFormat())) {
        if (error)
            *error = (output ? tr("%1 does not take 8 kHz mono 16-bit audio") : tr("%1 does not give 8 kHz mono 16-bit audio"))
                         .arg(device->description());
        return std::nullopt;
    }
    return device;
}

void QtAudioBackend::lose(Direction direction, const QString &message)
{
    // Queued: this may run inside the device's own signal, which must not delete it.
    QMetaObject::invokeMethod(this, [this, direction, message] {
        (direction == Direction::Output ? setOutput({}, nullptr) : setInput({}, nullptr));
        Q_EMIT deviceLost(message);
    }, Qt::QueuedConnection);
}

void QtAudioBackend::devicesMaybeGone()
{
    // A device that is unplugged while in use: close it and say so; the call goes on.
    if (!m_outputId.isEmpty() && !find(QMediaDevices::audioOutputs(), m_outputId)) {
        const QString id = QString::fromUtf8(m_outputId);
        setOutput({}, nullptr);
        Q_EMIT deviceLost(tr("audio output %1 is gone").arg(id));
    }
    if (!m_inputId.isEmpty() && !find(QMediaDevices::audioInputs(), m_inputId)) {
        const QString id = QString::fromUtf8(m_inputId);
        setInput({}, nullptr);
        Q_EMIT deviceLost(tr("audio input %1 is gone").arg(id));
    }
    Q_EMIT devicesChanged();
}

} // namespace VoiceSim
