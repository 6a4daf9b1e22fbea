// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// Recordings are written as the call runs (C-RECORD) and read back, sample for sample, by the
// decoder; the file is valid while recording too.
#include <media/audiodecoder.h>
#include <media/wavrecorder.h>

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace VoiceSim;

namespace {

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QList<qint16> ramp(qsizetype count, int offset)
{
    QList<qint16> out(count);
    for (qsizetype i = 0; i < count; ++i)
        out[i] = qint16(((i + offset) % 4000) * 16 - 32000);
    return out;
}

} // namespace

class TestWavRecorder : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void recordingReadsBackSampleForSample()
    {
        const QString path = m_dir.filePath(QStringLiteral("call.wav"));
        WavRecorder recorder;
        QVERIFY2(recorder.open(path), qPrintable(recorder.errorString()));
        QList<qint16> all;
        for (int frame = 0; frame < 95; ++frame) { // 95 frames of 20 ms: 1.9 s
            const QList<qint16> chunk = ramp(160, frame * 160);
            QVERIFY(recorder.append(chunk));
            all += chunk;
        }
        QCOMPARE(recorder.durationMs(), 1900);
        QCOMPARE(recorder.finish(), 1); // whole seconds, rounded down
        const QByteArray file = readAll(path);
        QVERIFY(file.startsWith("RIFF"));
        QCOMPARE(file.mid(8, 4), QByteArray("WAVE"));
        const auto decoded = AudioDecoder().decode(file);
        QVERIFY2(decoded.ok(), qPrintable(decoded.error));
        QCOMPARE(decoded.sourceRate, 8000);
        QCOMPARE(decoded.samples, all);
    }

    void fileIsValidWhileRecording()
    {
        const QString path = m_dir.filePath(QStringLiteral("live.wav"));
        WavRecorder recorder;
        QVERIFY(recorder.open(path));
        QVERIFY(recorder.append(ramp(8000, 0)));
        // Not finished: what a crash would leave behind, or what a listener fetches mid-call.
        const auto partial = AudioDecoder().decode(readAll(path));
        QVERIFY2(partial.ok(), qPrintable(partial.error));
        QCOMPARE(partial.samples.size(), 8000);
        QVERIFY(recorder.append(ramp(4000, 8000)));
        QCOMPARE(recorder.finish(), 1);
        QCOMPARE(AudioDecoder().decode(readAll(path)).samples.size(), 12000);
    }

    void unwritablePathIsAClearError()
    {
        WavRecorder recorder;
        QVERIFY(!recorder.open(QStringLiteral("/no/such/folder/rec.wav")));
        QVERIFY2(recorder.errorString().startsWith(QStringLiteral("cannot create recording /no/such/folder/rec.wav")),
                 qPrintable(recorder.errorString()));
        QVERIFY(!recorder.append(ramp(10, 0)));
        QCOMPARE(recorder.finish(), 0);
    }
};

QTEST_GUILESS_MAIN(TestWavRecorder)
#include "tst_wavrecorder.moc"
