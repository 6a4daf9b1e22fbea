// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QObject>

namespace VoiceSim {

// The machine's sound devices as the simulator uses them: one output (the caller's ear) and one
// input (the caller's mouth), both 8 kHz mono 16-bit, chosen by device id.
class AudioBackend : public QObject
{
    Q_OBJECT
public:
    struct Device
    {
        QByteArray id;
        QString description;
        bool isDefault = false;
    };
    using QObject::QObject;

    virtual QString name() const = 0;
    virtual QList<Device> outputs() const = 0;
    virtual QList<Device> inputs() const = 0;
    // Opens a device (an empty id closes it); false with error when it cannot be opened.
    virtual bool setOutput(const QByteArray &id, QString *error) = 0;
    virtual bool setInput(const QByteArray &id, QString *error) = 0;
    virtual QByteArray output() const = 0;
    virtual QByteArray input() const = 0;
    // Queues samples for the speaker; what does not fit in its short buffer is dropped, so the
    // delay stays bounded.
    virtual void write(const qint16 *samples, int count) = 0;
    // Takes up to count samples the microphone captured; returns how many.
    virtual int read(qint16 *samples, int count) = 0;

Q_SIGNALS:
    void devicesChanged();
    void deviceLost(const QString &message);
};

// No devices at all: what runs when the machine has no sound server.
class NullAudioBackend final : public AudioBackend
{
    Q_OBJECT
public:
    using AudioBackend::AudioBackend;
    QString name() const override { return tr("no audio"); }
    QList<Device> outputs() const override { return {}; }
    QList<Device> inputs() const override { return {}; }
    bool setOutput(const QByteArray &id, QString *error) override;
    bool setInput(const QByteArray &id, QString *error) override;
    QByteArray output() const override { return {}; }
    QByteArray input() const override { return {}; }
    void write(const qint16 *, int) override {}
    int read(qint16 *, int) override { return 0; }
};

} // namespace VoiceSim
