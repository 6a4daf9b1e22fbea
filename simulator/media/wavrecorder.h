// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>

#include <memory>

namespace VoiceSim {

// Writes a recording as the call runs (C-RECORD): mono 16-bit PCM WAV. Samples are written in
// blocks of a second with the header rewritten each time, so the file is readable while
// recording and after a crash, and a thousand recordings cost few system calls.
class WavRecorder
{
public:
    explicit WavRecorder(int rate = 8000);
    ~WavRecorder();
    WavRecorder(const WavRecorder &) = delete;
    WavRecorder &operator=(const WavRecorder &) = delete;

    // Creates (or truncates) the file; false with errorString() when it cannot.
    bool open(const QString &path);
    bool isOpen() const { return m_file != nullptr; }
    bool append(const QList<qint16> &samples) { return append(samples.constData(), samples.size()); }
    bool append(const qint16 *samples, qsizetype count);
    // Writes what is buffered.
    bool flush();
    // Closes the file; the recording's length in whole seconds, rounded down (C-RECORD).
    qint64 finish();

    qint64 sampleCount() const { return m_samples; }
    qint64 durationMs() const { return m_samples * 1000 / m_rate; }
    QString errorString() const { return m_error; }

    // A whole WAV file (mono 16-bit PCM) in memory.
    static QByteArray encode(const QList<qint16> &samples, int rate);

private:
    struct File;
    int m_rate;
    std::unique_ptr<File> m_file;
    qint64 m_samples = 0;
    QList<qint16> m_pending;
    QString m_error;
};

} // namespace VoiceSim
