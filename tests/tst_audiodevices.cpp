// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// Real sound devices: a private PulseAudio with virtual devices (tests/audio/pulse-fixture.sh,
// a CTest fixture). What a call plays reaches the virtual speaker (recorded on its loopback and
// measured: frequency and level); a tone played into the virtual microphone ends up in the
// call's recording; a keypad press sounds on the speaker and reaches the app as a dtmf webhook.
// These run on the real clock, since devices do; every wait is for a signal, bounded.
#include "eventwait.h"
#include "harness.h"
#include "mediafixtures.h"
#include "receiver.h"

#include <audio/audiobridge.h>
#include <audio/qtaudiobackend.h>
#include <clock/realclock.h>
#include <gui/mainwindow.h>

#include <QAudioDevice>
#include <QAudioSink>
#include <QAudioSource>
#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QMediaDevices>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace VoiceSim;
using namespace VoiceSim::Test;

namespace {

// One wall clock for the latency figures of this suite (printed, not asserted: bench/audio).
qint64 wallMs()
{
    static QElapsedTimer timer = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return timer.elapsed();
}

int firstLoud(const qint16 *samples, int count, int threshold = 600)
{
    for (int i = 0; i < count; ++i)
        if (std::abs(int(samples[i])) > threshold)
            return i;
    return -1;
}

// Forwards to the real backend and notes when the first loud audio crosses it each way: the
// start of the latency figures.
class TimingBackend final : public AudioBackend
{
public:
    explicit TimingBackend(AudioBackend &real) : m_real(real) {}
    QString name() const override { return m_real.name(); }
    QList<Device> outputs() const override { return m_real.outputs(); }
    QList<Device> inputs() const override { return m_real.inputs(); }
    bool setOutput(const QByteArray &id, QString *error) override { return m_real.setOutput(id, error); }
    bool setInput(const QByteArray &id, QString *error) override { return m_real.setInput(id, error); }
    QByteArray output() const override { return m_real.output(); }
    QByteArray input() const override { return m_real.input(); }
    void write(const qint16 *samples, int count) override
    {
        if (firstLoudWriteMs < 0)
            if (const int at = firstLoud(samples, count); at >= 0)
                firstLoudWriteMs = wallMs() + at / 8; // the sample's place in this frame
        m_real.write(samples, count);
    }
    int read(qint16 *samples, int count) override
    {
        const int n = m_real.read(samples, count);
        if (firstLoudReadMs < 0 && firstLoud(samples, n) >= 0)
            firstLoudReadMs = wallMs();
        return n;
    }
    qint64 firstLoudWriteMs = -1;
    qint64 firstLoudReadMs = -1;

private:
    AudioBackend &m_real;
};

// Records one input device (8 kHz mono) into memory, with the wall time of each arrival.
class Recorder : public QObject
{
    Q_OBJECT
public:
    bool start(const QAudioDevice &device)
    {
        QAudioFormat format;
        format.setSampleRate(8000);
        format.setChannelCount(1);
        format.setSampleFormat(QAudioFormat::Int16);
        m_source = std::make_unique<QAudioSource>(device, format);
        m_source->setBufferSize(320);
        m_io = m_source->start();
        if (!m_io)
            return false;
        connect(m_io, &QIODevice::readyRead, this, [this] {
            const QByteArray bytes = m_io->readAll();
            const auto *s = reinterpret_cast<const qint16 *>(bytes.constData());
            for (qsizetype i = 0; i < bytes.size() / 2; ++i)
                samples.append(s[i]);
            arrivals.append({samples.size(), wallMs()});
            Q_EMIT captured();
        });
        return true;
    }
    // Where sound begins at or after from: the first 10 ms whose rms is above -30 dBFS (a
    // lone click does not count); -1 when there is none yet.
    qsizetype onset(qsizetype from = 0) const
    {
        constexpr qsizetype n = 80;
        for (qsizetype i = from; i + n <= samples.size(); i += n / 2)
            if (Audio::rmsDbfs(samples.mid(i, n)) > -30)
                return i;
        return -1;
    }
    // Waits (bounded) until pred holds after some arrival.
    bool waitFor(const std::function<bool()> &pred, int timeoutMs = 10'000)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (!pred()) {
            QEventLoop loop;
            connect(this, &Recorder::captured, &loop, &QEventLoop::quit);
            if (!runUntilQuit(loop, int(std::max<qint64>(1, deadline.remainingTime()))))
                return pred();
        }
        return true;
    }

    // When the sample at index was captured, from the arrival of the chunk it came in.
    qint64 capturedAtMs(qsizetype index) const
    {
        for (const auto &[end, at] : arrivals)
            if (end > index)
                return at - (end - index) / 8;
        return -1;
    }

    QList<qint16> samples;
    QList<QPair<qsizetype, qint64>> arrivals; // samples held after each arrival, wall ms

Q_SIGNALS:
    void captured();

private:
    std::unique_ptr<QAudioSource> m_source;
    QIODevice *m_io = nullptr;
};

std::optional<QAudioDevice> device(const QList<QAudioDevice> &devices, const QString &description)
{
    for (const QAudioDevice &d : devices)
        if (d.description() == description)
            return d;
    return std::nullopt;
}

} // namespace

class AudioDevicesTest : public QObject
{
    Q_OBJECT

    std::unique_ptr<Receiver> receiver;
    std::unique_ptr<RealClock> clock;
    std::unique_ptr<RealClock> transport;
    std::unique_ptr<SimulatedChannels> channels;
    std::unique_ptr<MediaEngine> media;
    std::unique_ptr<VoiceSimService> service;
    std::unique_ptr<ApiClient> api;
    std::unique_ptr<MediaServer> cdn;
    std::unique_ptr<QtAudioBackend> backend;
    QAudioDevice speaker, loopback, mic;
    QTemporaryDir dir;

    // Waits for an event of a session on the real clock.
    bool waitForEvent(const QString &uuid, const QString &type, int timeoutMs = 5000)
    {
        const auto seen = [&] {
            const QList<Event> events = service->events().events(uuid);
            return std::any_of(events.begin(), events.end(), [&](const Event &e) { return e.type == type; });
        };
        QDeadlineTimer deadline(timeoutMs);
        while (!seen()) {
            QEventLoop loop;
            connect(&service->events(), &EventStream::published, &loop, &QEventLoop::quit);
            if (!runUntilQuit(loop, int(std::max<qint64>(1, deadline.remainingTime()))))
                return seen();
        }
        return true;
    }
    // Lets ms of real time pass on the engine's own clock (the media keeps flowing meanwhile).
    void runFor(int ms)
    {
        QEventLoop loop;
        clock->callAfter(ms, &loop, [&loop] { loop.quit(); });
        runUntilQuit(loop, ms + 5000);
    }
    QString answeredCall(const QString &uuid = {})
    {
        QString id = uuid;
        if (id.isEmpty()) {
            const Response r = api->post("/sim/v1/calls", Harness::adminHeaders(),
                                         {{QStringLiteral("caller_id"), QStringLiteral("+15550100")}, {QStringLiteral("did"), QStringLiteral("+15550199")}});
            if (r.status != 201)
                return {};
            id = r.json().value(QStringLiteral("session_uuid")).toString();
        }
        if (api->post("/api/v1/sessions/" + id.toUtf8() + "/commands/answer", Harness::appHeaders()).status != 202)
            return {};
        return waitForEvent(id, QStringLiteral("call.answered")) ? id : QString();
    }
    Response command(const QString &uuid, const QByteArray &name, const QJsonObject &body = {})
    {
        return api->post("/api/v1/sessions/" + uuid.toUtf8() + "/commands/" + name, Harness::appHeaders(), body);
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString pulseDir = qEnvironmentVariable("VOICESIM_PULSE_DIR");
        const bool required = qEnvironmentVariable("VOICESIM_REQUIRE_AUDIO") == QLatin1String("1");
        if (pulseDir.isEmpty() || QFile::exists(pulseDir + QStringLiteral("/unavailable"))) {
            if (required)
                QFAIL("no virtual PulseAudio (see tests/audio/pulse-fixture.sh), and VOICESIM_REQUIRE_AUDIO=1");
            QSKIP("no virtual PulseAudio here: install pulseaudio and pulseaudio-utils");
        }
        const auto out = device(QMediaDevices::audioOutputs(), QStringLiteral("voicesim-speaker"));
        const auto loop = device(QMediaDevices::audioInputs(), QStringLiteral("voicesim-speaker-loopback"));
        const auto in = device(QMediaDevices::audioInputs(), QStringLiteral("voicesim-mic"));
        QVERIFY2(out && loop && in, "the virtual devices are not listed by Qt");
        speaker = *out;
        loopback = *loop;
        mic = *in;
    }

    void init()
    {
        receiver = std::make_unique<Receiver>();
        clock = std::make_unique<RealClock>();
        transport = std::make_unique<RealClock>();
        channels = std::make_unique<SimulatedChannels>(*clock, 20);
        media = std::make_unique<MediaEngine>(*clock, MediaEngine::Options{});
        Settings s = Harness::defaultSettings();
        s.clockMode = Clock::Mode::Real;
        s.seed.reset();
        s.webhookUrl = receiver->url();
        service = std::make_unique<VoiceSimService>(s, *clock, *transport, *channels, *media);
        QVERIFY(service->start());
        api = std::make_unique<ApiClient>(service->port());
        cdn = std::make_unique<MediaServer>();
        backend = std::make_unique<QtAudioBackend>();
    }
    void cleanup()
    {
        backend.reset();
        api.reset();
        service.reset();
        media.reset();
        channels.reset();
        cdn.reset();
        transport.reset();
        clock.reset();
        receiver.reset();
    }

    void theVirtualDevicesAreListedById()
    {
        const QList<AudioBackend::Device> outputs = backend->outputs();
        QVERIFY(std::any_of(outputs.begin(), outputs.end(), [&](const AudioBackend::Device &d) { return d.id == speaker.id(); }));
        QString error;
        QVERIFY2(backend->setOutput(speaker.id(), &error), qPrintable(error));
        QCOMPARE(backend->output(), speaker.id());
        QVERIFY(!backend->setInput("no-such-device", &error));
        QCOMPARE(error, QStringLiteral("no audio input device no-such-device"));
        QCOMPARE(backend->input(), QByteArray());
    }

    // Hot-plug as Qt 6.4 and PulseAudio do it (measured): a new device is listed at once; when
    // one in use goes away, PulseAudio moves the stream to its default device and the call's
    // audio goes on there (Qt 6.4 announces neither).
    void aDevicePluggedInIsListedAndAudioOutlivesItsRemoval()
    {
        const auto pactl = [](const QStringList &args) -> std::optional<QString> {
            QProcess p;
            p.start(QStringLiteral("pactl"), args);
            if (!p.waitForFinished(10'000) || p.exitCode() != 0)
                return std::nullopt;
            return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
        };
        const auto hotplug = [this]() -> QByteArray {
            const QList<AudioBackend::Device> outputs = backend->outputs();
            for (const AudioBackend::Device &d : outputs)
                if (d.description == QLatin1String("voicesim-hotplug"))
                    return d.id;
            return {};
        };
        const std::optional<QString> module = pactl({QStringLiteral("load-module"), QStringLiteral("module-null-sink"),
                                                     QStringLiteral("sink_name=vs_hotplug"),
                                                     QStringLiteral("sink_properties=device.description=voicesim-hotplug")});
        QVERIFY2(module && !module->isEmpty(), "pactl could not add a sink");
        for (int i = 0; i < 100 && hotplug().isEmpty(); ++i)
            runFor(50);
        QVERIFY2(!hotplug().isEmpty(), "the new device is not listed");
        QString error;
        QVERIFY2(backend->setOutput(hotplug(), &error), qPrintable(error));

        Recorder loop;
        QVERIFY(loop.start(loopback));
        QObject playing; // the call's timers end with this case
        std::function<void()> play = [&] { // a call in progress: 20 ms frames of a tone
            const QList<qint16> frame = Audio::sine(500, 20, -20);
            backend->write(frame.constData(), int(frame.size()));
            clock->callAfter(20, &playing, play);
        };
        play();
        QVERIFY(loop.waitFor([&] { return loop.samples.size() >= 3 * 8000; })); // past the streams' start-up
        if (loop.onset(8000) >= 0) // PulseAudio put the new stream elsewhere first: nothing to move
            qInfo("the tone was on the speaker before the device went away");
        const qsizetype before = loop.samples.size();
        QVERIFY(pactl({QStringLiteral("unload-module"), *module}));
        QVERIFY2(loop.waitFor([&] {
            const qsizetype at = loop.onset(before);
            return at >= 0 && loop.samples.size() >= at + 1600;
        }), "the call's audio stopped with its device");
        // The move itself may cut a few frames: the tone's best 20 ms after it, at its level.
        const qsizetype at = loop.onset(before);
        double best = -200;
        for (qsizetype i = at; i + 160 <= std::min(loop.samples.size(), at + 1600); i += 20)
            best = std::max(best, Audio::toneDbfs(loop.samples.mid(i, 160), 500));
        QVERIFY2(std::abs(best + 20) <= 1.5, qPrintable(QString::number(best)));
    }

    void playbackReachesTheSpeaker()
    {
        QString error;
        QVERIFY2(backend->setOutput(speaker.id(), &error), qPrintable(error));
        TimingBackend timing(*backend);
        AudioBridge bridge(*media, timing);
        Recorder loop;
        QVERIFY(loop.start(loopback));

        const QString uuid = answeredCall();
        QVERIFY(!uuid.isEmpty());
        bridge.attach(uuid);
        const QString url = cdn->put(QStringLiteral("/tone.wav"), Audio::wav(Audio::sine(440, 1500, -12)));
        // A new PulseAudio stream takes about 2 s to run (a capture one starts with a burst of its
        // own): the app opens its devices at start; here the call waits as long.
        QVERIFY(loop.waitFor([&] { return loop.samples.size() >= 2 * 8000 + 4000; }));
        const qsizetype before = loop.samples.size();
        const quint64 droppedBefore = backend->droppedOutput();
        QCOMPARE(command(uuid, "playback/start", {{QStringLiteral("urls"), QJsonArray{url}}}).status, 202);
        QVERIFY2(loop.waitFor([&] {
            const qsizetype at = loop.onset(before);
            return at >= 0 && loop.samples.size() >= at + 8000;
        }), "the tone never reached the speaker's loopback");
        const qsizetype at = loop.onset(before);
        qsizetype first = at;
        while (first < loop.samples.size() && std::abs(int(loop.samples[first])) <= 600)
            ++first;
        qInfo("latency: playback start -> speaker loopback %lld ms (the loopback's own capture delay included)",
              loop.capturedAtMs(first) - timing.firstLoudWriteMs);
        const QList<qint16> tone = Audio::slice(loop.samples.mid(at), 100, 900);
        // The median of 100 ms windows: one late frame on a busy machine does not move it.
        std::vector<double> levels;
        for (qsizetype i = 0; i + 800 <= tone.size(); i += 400)
            levels.push_back(Audio::toneDbfs(tone.mid(i, 800), 440));
        std::nth_element(levels.begin(), levels.begin() + qsizetype(levels.size() / 2), levels.end());
        const double level = levels[levels.size() / 2];
        qInfo("440 Hz on the speaker at %.2f dBFS (played at -12.00)", level);
        QVERIFY2(std::abs(level + 12.0) <= 1.0, qPrintable(QString::number(level)));
        QVERIFY(Audio::toneDbfs(tone, 880) < -45);   // no distortion worth the name
        QVERIFY(Audio::toneDbfs(tone, 1000) < -45);
        QVERIFY(Audio::rmsDbfs(tone) < -14.0 && Audio::rmsDbfs(tone) > -16.0); // a sine's rms is 3 dB under its peak
        // Next to nothing dropped while the tone played: the queue in front of the device absorbs
        // a late frame; a busy machine may stall the device longer now and then (seen: 45 ms
        // once in eight runs), so up to 5 % of the 1.5 s tone is allowed, and reported.
        const quint64 dropped = backend->droppedOutput() - droppedBefore;
        if (dropped > 0)
            qInfo("%llu samples dropped while the tone played", dropped);
        QVERIFY2(dropped <= 600, qPrintable(QString::number(dropped)));
    }

    void microphoneReachesTheRecording()
    {
        QString error;
        QVERIFY2(backend->setInput(mic.id(), &error), qPrintable(error));
        AudioBridge bridge(*media, *backend);
        const QString uuid = answeredCall();
        QVERIFY(!uuid.isEmpty());
        bridge.attach(uuid);
        bridge.setMicrophoneEnabled(true);
        QCOMPARE(command(uuid, "record/start").status, 202);

        const QString wav = dir.filePath(QStringLiteral("mic-1000hz.wav"));
        QFile file(wav);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(Audio::wav(Audio::sine(1000, 1000, -12)));
        file.close();
        QProcess play;
        play.start(QStringLiteral("paplay"), {QStringLiteral("--device=vs_micfeed"), wav});
        QVERIFY(play.waitForStarted());
        QEventLoop done;
        connect(&play, &QProcess::finished, &done, &QEventLoop::quit);
        QVERIFY(runUntilQuit(done, 10'000));
        QCOMPARE(play.exitCode(), 0);
        runFor(1200); // what is still on its way through the devices, and record/stop's cooldown (2 s)
        QCOMPARE(command(uuid, "record/stop").status, 202);
        QVERIFY(waitForEvent(uuid, QStringLiteral("recording.completed")));

        const QStringList files = QDir(service->recordingsDir()).entryList({QStringLiteral("*.wav")}, QDir::Files);
        QCOMPARE(files.size(), 1);
        QFile recording(service->recordingsDir() + QLatin1Char('/') + files.constFirst());
        QVERIFY(recording.open(QIODevice::ReadOnly));
        const QList<qint16> samples = Audio::decode(recording.readAll());
        QVERIFY(samples.size() > 8000);
        // The loudest half second holds the tone, at the level it was played.
        double best = -200;
        for (qsizetype at = 0; at + 4000 <= samples.size(); at += 400)
            best = std::max(best, Audio::toneDbfs(samples.mid(at, 4000), 1000));
        qInfo("1000 Hz in the recording at %.2f dBFS (played at -12.00)", best);
        QVERIFY2(std::abs(best + 12.0) <= 1.5, qPrintable(QString::number(best)));
    }

    // The microphone's delay, from a tone played into the virtual microphone to the call's
    // frame that takes it (and records it): printed for bench/audio, the content checked.
    void microphoneLatencyToTheCall()
    {
        QString error;
        QVERIFY2(backend->setInput(mic.id(), &error), qPrintable(error));
        TimingBackend timing(*backend);
        AudioBridge bridge(*media, timing);
        const QString uuid = answeredCall();
        QVERIFY(!uuid.isEmpty());
        bridge.attach(uuid);
        bridge.setMicrophoneEnabled(true);

        // pacat feeds the virtual microphone at the real-time rate: silence while the streams
        // start, then the tone (a Qt sink here raced PulseAudio under ASan).
        QProcess feed;
        feed.start(QStringLiteral("pacat"), {QStringLiteral("--playback"), QStringLiteral("--raw"), QStringLiteral("--format=s16le"),
                                             QStringLiteral("--rate=8000"), QStringLiteral("--channels=1"),
                                             QStringLiteral("--latency-msec=10"), QStringLiteral("--device=vs_micfeed")});
        QVERIFY(feed.waitForStarted());
        const QList<qint16> tone = Audio::sine(1000, 500, -12);
        qsizetype toneAt = -1; // samples of the tone written so far; -1 while priming with silence
        qint64 toneStartMs = -1;
        const qint64 startMs = wallMs();
        qint64 written = 0; // samples
        QObject pumping; // the pump's timers end with this case
        std::function<void()> pump = [&] {
            const qint64 due = (wallMs() - startMs) * 8 - written;
            if (due > 0) {
                QList<qint16> chunk(due, 0);
                if (toneAt < 0 && wallMs() - startMs >= 2500) {
                    toneAt = 0;
                    toneStartMs = wallMs();
                }
                if (toneAt >= 0)
                    for (qsizetype i = 0; i < due && toneAt < tone.size(); ++i)
                        chunk[i] = tone[toneAt++];
                feed.write(reinterpret_cast<const char *>(chunk.constData()), chunk.size() * 2);
                written += due;
            }
            clock->callAfter(5, &pumping, pump);
        };
        pump();
        QDeadlineTimer deadline(10'000);
        while (timing.firstLoudReadMs < 0 && !deadline.hasExpired())
            runFor(10);
        QVERIFY2(timing.firstLoudReadMs >= 0, "the tone never reached the call");
        qInfo("latency: microphone -> call (and its recording) %lld ms (the feeding stream's own delay included)",
              timing.firstLoudReadMs - toneStartMs);
        QVERIFY(toneStartMs >= 0 && timing.firstLoudReadMs >= toneStartMs);
        feed.closeWriteChannel();
        feed.waitForFinished(5000);
    }

    void keypadPressSoundsOnTheSpeakerAndReachesTheApp()
    {
        QTemporaryDir settingsDir;
        QSettings desktop(settingsDir.filePath(QStringLiteral("desktop.ini")), QSettings::IniFormat);
        desktop.setValue(QStringLiteral("audio/output"), speaker.id());
        desktop.setValue(QStringLiteral("audio/input"), mic.id());
        Settings s = Harness::defaultSettings();
        s.clockMode = Clock::Mode::Real;
        MainWindow window(MainWindow::Parts{*service, *media, *transport, *backend, desktop, s});
        window.show();
        QCOMPARE(backend->output(), speaker.id());
        QCOMPARE(backend->input(), mic.id());
        QVERIFY(window.audioStatus().startsWith(QStringLiteral("Speaker: voicesim-speaker · Mic: voicesim-mic")));

        Recorder loop;
        QVERIFY(loop.start(loopback));
        const QString uuid = answeredCall(window.placeIncomingCall());
        QVERIFY(!uuid.isEmpty());
        QCOMPARE(window.selectedCall(), uuid);
        QVERIFY(loop.waitFor([&] { return loop.samples.size() >= 2400; }));
        const qsizetype before = loop.samples.size();
        QTest::mouseClick(window.findChild<QPushButton *>(QStringLiteral("key_5")), Qt::LeftButton);
        QVERIFY2(loop.waitFor([&] {
            const qsizetype at = loop.onset(before);
            return at >= 0 && loop.samples.size() >= at + 960;
        }), "the key's tone never reached the speaker");
        // The press lasts 100 ms: each tone at its best 20 ms (a busy machine may drop samples,
        // and a jump in phase weakens the two tones of a longer window differently).
        const qsizetype at = loop.onset(before);
        double low = -200, high = -200;
        for (qsizetype i = at; i + 160 <= std::min(loop.samples.size(), at + 960); i += 20) {
            const QList<qint16> w = loop.samples.mid(i, 160);
            low = std::max(low, Audio::toneDbfs(w, 770));
            high = std::max(high, Audio::toneDbfs(w, 1336));
        }
        // Another row's tone, over 80 ms: long enough that 770 Hz does not leak into 697 Hz.
        const double other = Audio::toneDbfs(loop.samples.mid(at + 80, 640), 697);
        qInfo("key 5 on the speaker: 770 Hz at %.1f, 1336 Hz at %.1f dBFS", low, high);
        QVERIFY(low > -20 && low < -12);
        QVERIFY(high > -20 && high < -12);
        QVERIFY2(other < -30, qPrintable(QString::number(other))); // another row's tone is absent

        QVERIFY(waitForEvent(uuid, QStringLiteral("dtmf")));
        const auto hasDtmf = [&] {
            return std::any_of(receiver->requests.begin(), receiver->requests.end(), [](const Receiver::Request &r) {
                return r.json().value(QStringLiteral("event")).toString() == QLatin1String("dtmf")
                    && r.json().value(QStringLiteral("data")).toObject().value(QStringLiteral("digit")).toString() == QLatin1String("5");
            });
        };
        for (int i = 0; i < 20 && !hasDtmf(); ++i)
            receiver->waitForRequests(receiver->requests.size() + 1, 500);
        QVERIFY(hasDtmf());
    }
};

QTEST_MAIN(AudioDevicesTest)
#include "tst_audiodevices.moc"
