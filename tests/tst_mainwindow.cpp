// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// The desktop window driven as a user drives it (offscreen): incoming call, keypad, hang up,
// the timeline's commands and deliveries, its filters, redelivery, conferences, the call-flow
// ladder, settings and the remembered layout. Every item model runs under
// QAbstractItemModelTester. Engine time is virtual; the window's own clock is a second virtual
// clock the tests advance, so batching and refreshes happen exactly when a test says.
#include "harness.h"
#include "mediafixtures.h"
#include "receiver.h"

#include <audio/audiobackend.h>
#include <gui/callflowview.h>
#include <gui/callsmodel.h>
#include <gui/detailpane.h>
#include <gui/keypad.h>
#include <gui/mainwindow.h>
#include <gui/roomsmodel.h>
#include <gui/settingsdialog.h>
#include <gui/timelinemodel.h>

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QFile>
#include <QIcon>
#include <QImage>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTableView>
#include <QTreeView>

using namespace VoiceSim;
using namespace VoiceSim::Test;

namespace {

QStringList column(const QAbstractItemModel &model, int col)
{
    QStringList out;
    for (int r = 0; r < model.rowCount(); ++r)
        out.append(model.index(r, col).data().toString());
    return out;
}

} // namespace

class MainWindowTest : public QObject
{
    Q_OBJECT

    std::unique_ptr<Receiver> receiver;
    std::unique_ptr<Harness> h;
    std::unique_ptr<VirtualClock> ui;
    std::unique_ptr<NullAudioBackend> audio;
    std::unique_ptr<QTemporaryDir> dir;
    std::unique_ptr<QSettings> desktop;
    std::unique_ptr<MainWindow> window;
    std::vector<std::unique_ptr<QAbstractItemModelTester>> testers;

    Settings settings()
    {
        Settings s = Harness::defaultSettings();
        s.webhookUrl = receiver->url();
        s.configFile = dir->filePath(QStringLiteral("voicesim.ini"));
        return s;
    }
    void openWindow()
    {
        window = std::make_unique<MainWindow>(MainWindow::Parts{h->service(), h->media(), *ui, *audio, *desktop, settings()});
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        testers.clear();
        for (QAbstractItemModel *m : std::initializer_list<QAbstractItemModel *>{&window->timeline(), &window->calls(), &window->rooms()})
            testers.push_back(std::make_unique<QAbstractItemModelTester>(m, QAbstractItemModelTester::FailureReportingMode::QtTest));
    }
    template<typename T>
    T *child(const char *name)
    {
        T *w = window->findChild<T *>(QString::fromLatin1(name));
        if (!w)
            qFatal("no widget %s", name);
        return w;
    }
    void click(const char *name) { QTest::mouseClick(child<QPushButton>(name), Qt::LeftButton); }
    // Engine time moves, webhooks land, then the window's clock lets the timeline flush.
    void settle(qint64 engineMs = 500)
    {
        h->advance(engineMs);
        QVERIFY(h->deliveriesIdle());
        ui->advance(MainWindow::kRefreshMs);
    }
    QString answeredFromWindow()
    {
        const QString uuid = window->placeIncomingCall();
        if (uuid.isEmpty())
            return {};
        if (h->command(uuid, "answer").status != 202)
            return {};
        settle();
        return uuid;
    }
    // The timeline's rows of one stream as "kind what status" lines.
    QStringList rowsOf(const QString &uuid)
    {
        QStringList out;
        const TimelineModel &t = window->timeline();
        for (int r = 0; r < t.rowCount(); ++r)
            if (t.stream(r) == uuid)
                out.append(t.index(r, TimelineModel::KindColumn).data().toString() + QLatin1Char(' ')
                           + t.index(r, TimelineModel::WhatColumn).data().toString() + QLatin1Char(' ')
                           + t.index(r, TimelineModel::StatusColumn).data().toString());
        return out;
    }

private Q_SLOTS:
    void init()
    {
        receiver = std::make_unique<Receiver>();
        dir = std::make_unique<QTemporaryDir>();
        h = std::make_unique<Harness>(settings());
        receiver->setClock(&h->clock());
        ui = std::make_unique<VirtualClock>(0);
        audio = std::make_unique<NullAudioBackend>();
        desktop = std::make_unique<QSettings>(dir->filePath(QStringLiteral("desktop.ini")), QSettings::IniFormat);
        openWindow();
    }
    void cleanup()
    {
        testers.clear();
        window.reset();
        desktop.reset();
        h.reset();
        receiver.reset();
        ui.reset();
        audio.reset();
        dir.reset();
    }

    void headerShowsWhatAnAppNeedsToConnect()
    {
        QCOMPARE(child<QLineEdit>("baseUrl")->text(), QStringLiteral("http://127.0.0.1:%1/api/v1").arg(h->port()));
        QCOMPARE(child<QLineEdit>("appId")->text(), QStringLiteral("demo-app"));
        QCOMPARE(child<QLineEdit>("apiKey")->text(), QString::fromLatin1(Harness::kApiKey));
        QCOMPARE(child<QLineEdit>("adminKey")->text(), QString::fromLatin1(Harness::kAdminKey));
        QCOMPARE(child<QLineEdit>("webhookUrl")->text(), receiver->url());
        QCOMPARE(child<QLabel>("clockMode")->text(), QStringLiteral("virtual"));
        QCOMPARE(child<QLabel>("webhookHealth")->text(), QStringLiteral("no delivery yet"));
        // The application icon is built in (the SVG image plugin draws it).
        const QImage icon = QIcon(QStringLiteral(":/icons/voicesim.svg")).pixmap(64).toImage();
        QVERIFY(!icon.isNull());
        QCOMPARE(icon.pixelColor(32, 4), QColor(0x17, 0x60, 0x6e)); // the tile
    }

    void incomingCallKeysAndHangupShowInTimeline()
    {
        click("incomingCall");
        QCOMPARE(window->calls().rowCount(), 1);
        const QString uuid = window->selectedCall();
        QVERIFY(!uuid.isEmpty());
        QCOMPARE(window->calls().index(0, CallsModel::StateColumn).data().toString(), QStringLiteral("ringing"));
        QCOMPARE(window->calls().index(0, CallsModel::CallerColumn).data().toString(), QStringLiteral("+15550100"));

        QCOMPARE(h->command(uuid, "answer").status, 202);
        settle();
        QCOMPARE(window->calls().index(0, CallsModel::StateColumn).data().toString(), QStringLiteral("answered"));

        // One key by mouse, one typed on the keypad.
        click("key_5");
        QTest::keyClick(child<Keypad>("keypad"), Qt::Key_Asterisk, Qt::NoModifier);
        settle();
        click("hangUp");
        settle();
        QCOMPARE(window->calls().index(0, CallsModel::StateColumn).data().toString(), QStringLiteral("ended"));

        const QString answerPath = QStringLiteral("POST /api/v1/sessions/%1/commands/answer").arg(uuid);
        QCOMPARE(rowsOf(uuid), (QStringList{
            QStringLiteral("caller incoming call from +15550100 to +15550199 "),
            QStringLiteral("webhook call.new 200"),
            QStringLiteral("command ") + answerPath + QStringLiteral(" 202"),
            QStringLiteral("webhook call.answered 200"),
            QStringLiteral("webhook command.result 200"),
            QStringLiteral("caller presses 5 "),
            QStringLiteral("caller presses * "),
            QStringLiteral("webhook dtmf 200"),
            QStringLiteral("webhook dtmf 200"),
            QStringLiteral("caller hangs up "),
            QStringLiteral("webhook call.hangup 200"),
        }));
        // The receiver got the keys as pressed, in order.
        QStringList digits;
        for (const Receiver::Request &r : std::as_const(receiver->requests))
            if (r.json().value(QStringLiteral("event")).toString() == QLatin1String("dtmf"))
                digits << r.json().value(QStringLiteral("data")).toObject().value(QStringLiteral("digit")).toString();
        QCOMPARE(digits, (QStringList{QStringLiteral("5"), QStringLiteral("*")}));
        QVERIFY(child<QLabel>("webhookHealth")->text().startsWith(QStringLiteral("\u2714 200 in ")));
        // After hangup the keypad is off: a press does nothing.
        QVERIFY(!child<Keypad>("keypad")->isEnabled());
    }

    void callsListShowsPlaybackRecordingAndDrops()
    {
        MediaServer cdn;
        const QString url = cdn.put(QStringLiteral("/greeting.wav"), Audio::wav(Audio::sine(440, 3000, -12)));
        const QString uuid = answeredFromWindow();
        QVERIFY(!uuid.isEmpty());
        const int row = window->calls().rowOf(uuid);
        const auto cell = [&](int column) { return window->calls().index(row, column).data().toString(); };
        QCOMPARE(h->command(uuid, "playback/start", {{QStringLiteral("urls"), QJsonArray{url}}}).status, 202);
        settle(100);
        window->refresh();
        QCOMPARE(cell(CallsModel::PlayingColumn), QStringLiteral("greeting.wav"));
        QCOMPARE(h->command(uuid, "record/start").status, 202);
        settle(100);
        window->refresh();
        QCOMPARE(cell(CallsModel::RecordingColumn), QStringLiteral("\u25cf REC"));
        QCOMPARE(cell(CallsModel::DurationColumn), QStringLiteral("0:00")); // 0.7 s since call.new
        h->advance(65'000);
        window->refresh();
        QCOMPARE(cell(CallsModel::DurationColumn), QStringLiteral("1:05"));

        click("dropChannel");
        QCOMPARE(cell(CallsModel::StateColumn), QStringLiteral("dropped"));
        ui->advance(MainWindow::kRefreshMs);
        QCOMPARE(rowsOf(uuid).filter(QStringLiteral("caller ")).constLast(), QStringLiteral("caller drops the channel "));
    }

    void aRefusedActionIsMarkedAndExplained()
    {
        // A ringing call cannot take keys yet: the engine refuses, the row and the status bar say why.
        const QString uuid = window->placeIncomingCall();
        QVERIFY(!uuid.isEmpty());
        window->pressKey(u'5');
        ui->advance(MainWindow::kRefreshMs);
        QCOMPARE(rowsOf(uuid).constLast(), QStringLiteral("caller presses 5 (refused: Call is not answered yet) "));
        QCOMPARE(window->statusBar()->currentMessage(), QStringLiteral("presses 5: Call is not answered yet"));
        QVERIFY(h->eventsOf(uuid, QStringLiteral("dtmf")).isEmpty());
    }

    void filtersNarrowTheTimeline()
    {
        const QString one = answeredFromWindow();
        const QString two = answeredFromWindow();
        QVERIFY(!one.isEmpty() && !two.isEmpty());
        window->selectCall(one);
        window->pressKey(u'1');
        settle();
        window->refresh();
        const int all = window->timeline().rowCount();
        QCOMPARE(all, window->timeline().totalRows());

        child<QComboBox>("filterCall")->setCurrentText(one);
        const int ofOne = window->timeline().rowCount();
        QVERIFY(ofOne > 0 && ofOne < all);
        for (int r = 0; r < ofOne; ++r)
            QCOMPARE(window->timeline().stream(r), one);

        child<QComboBox>("filterEvent")->setCurrentText(QStringLiteral("dtmf"));
        QCOMPARE(column(window->timeline(), TimelineModel::WhatColumn), (QStringList{QStringLiteral("dtmf")}));
        QCOMPARE(child<QLabel>("rowCount")->text(), QStringLiteral("1 of %1 rows").arg(all));

        child<QComboBox>("filterEvent")->setCurrentText(QString());
        child<QComboBox>("filterCall")->setCurrentText(QString());
        child<QLineEdit>("filterText")->setText(QStringLiteral("/commands/answer"));
        QCOMPARE(window->timeline().rowCount(), 2);
        child<QLineEdit>("filterText")->clear();

        // A receiver in trouble: the 5xx filter shows just the failing delivery.
        receiver->script(Receiver::Action::Answer, Receiver::answer(503));
        window->selectCall(two);
        const qsizetype before = receiver->requests.size();
        window->pressKey(u'9');
        h->advance(200);
        QVERIFY(receiver->waitForRequests(before + 1));
        h->advance(1);
        ui->advance(MainWindow::kRefreshMs);
        auto *status = child<QComboBox>("filterStatus");
        status->setCurrentIndex(status->findText(QStringLiteral("5xx")));
        QCOMPARE(column(window->timeline(), TimelineModel::WhatColumn), (QStringList{QStringLiteral("dtmf")}));
        QCOMPARE(window->timeline().stream(0), two);
        // Its retry succeeds: it leaves the 5xx view while the filter stays.
        settle(1000);
        QCOMPARE(window->timeline().rowCount(), 0);
        status->setCurrentIndex(0);
        QCOMPARE(window->timeline().rowCount(), window->timeline().totalRows());
    }

    void redeliverFromTheDetailPaneAddsAnAttempt()
    {
        const QString uuid = answeredFromWindow();
        QVERIFY(!uuid.isEmpty());
        const TimelineModel &t = window->timeline();
        int row = -1;
        for (int r = 0; r < t.rowCount() && row < 0; ++r)
            if (t.index(r, TimelineModel::WhatColumn).data().toString() == QLatin1String("call.new"))
                row = r;
        QVERIFY(row >= 0);
        window->timelineView()->setCurrentIndex(t.index(row, 0));
        DetailPane &detail = window->detail();
        QCOMPARE(detail.attemptCount(), 1);
        QVERIFY(detail.curl().startsWith(QStringLiteral("curl -X POST '") + receiver->url() + QLatin1Char('\'')));
        QVERIFY(detail.curl().contains(QStringLiteral("-H 'webhook-signature: v1,")));
        const qsizetype before = receiver->requests.size();

        QTest::mouseClick(detail.findChild<QPushButton *>(QStringLiteral("redeliver")), Qt::LeftButton);
        settle();
        QCOMPARE(receiver->requests.size(), before + 1);
        QCOMPARE(detail.attemptCount(), 2);
        const Receiver::Request &again = receiver->requests.constLast();
        QCOMPARE(again.json().value(QStringLiteral("event")).toString(), QStringLiteral("call.new"));
        QCOMPARE(again.header("webhook-id"), receiver->requests.constFirst().header("webhook-id"));
        QCOMPARE(t.index(row, TimelineModel::AttemptsColumn).data().toString(), QStringLiteral("2"));
    }

    void exportWritesTheStreamAsNdjsonAndHar()
    {
        const QString uuid = answeredFromWindow();
        QVERIFY(!uuid.isEmpty());
        const TimelineModel &t = window->timeline();
        QCOMPARE(t.index(1, TimelineModel::WhatColumn).data().toString(), QStringLiteral("call.new"));
        window->timelineView()->setCurrentIndex(t.index(1, 0));
        QCOMPARE(window->detail().shownDelivery(), t.journalRow(1));
        const QString ndjson = dir->filePath(QStringLiteral("call.ndjson"));
        QVERIFY(window->detail().exportStream(DetailPane::ExportFormat::Ndjson, ndjson));
        QFile file(ndjson);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 3); // call.new, call.answered, command.result
        QCOMPARE(QJsonDocument::fromJson(lines[0]).object().value(QStringLiteral("event")).toString(), QStringLiteral("call.new"));
        const QString har = dir->filePath(QStringLiteral("call.har"));
        QVERIFY(window->detail().exportStream(DetailPane::ExportFormat::Har, har));
        QFile harFile(har);
        QVERIFY(harFile.open(QIODevice::ReadOnly));
        const QJsonObject log = QJsonDocument::fromJson(harFile.readAll()).object().value(QStringLiteral("log")).toObject();
        QCOMPARE(log.value(QStringLiteral("entries")).toArray().size(), 3);
        QVERIFY(!window->detail().exportStream(DetailPane::ExportFormat::Har, dir->filePath(QStringLiteral("no/such/dir/x.har"))));
    }

    void conferencesShowRoomsAndMembers()
    {
        const QString one = answeredFromWindow();
        const QString two = answeredFromWindow();
        const Response room = h->api().post("/api/v1/conferences", Harness::appHeaders(), {{QStringLiteral("name"), QStringLiteral("standup")}});
        QCOMPARE(room.status, 201);
        const QString roomId = room.json().value(QStringLiteral("room_id")).toString();
        QCOMPARE(h->command(one, "conference/join", {{QStringLiteral("room_id"), roomId}}).status, 202);
        QCOMPARE(h->command(two, "conference/join", {{QStringLiteral("room_id"), roomId}}).status, 202);
        settle(100);
        QCOMPARE(h->command(two, "conference/unmute").status, 202);
        settle(100);
        window->refresh();
        RoomsModel &rooms = window->rooms();
        QCOMPARE(rooms.rowCount(), 1);
        const QModelIndex r = rooms.index(0, 0);
        QCOMPARE(r.data().toString(), QStringLiteral("standup"));
        QCOMPARE(r.data(RoomsModel::IdRole).toString(), roomId);
        QCOMPARE(rooms.rowCount(r), 2);
        QCOMPARE(rooms.index(0, RoomsModel::MutedColumn, r).data().toString(), QStringLiteral("muted"));
        QCOMPARE(rooms.index(1, RoomsModel::MutedColumn, r).data().toString(), QString());
        QCOMPARE(rooms.index(1, 0, r).data(RoomsModel::IdRole).toString(), two);
        QCOMPARE(window->calls().index(window->calls().rowOf(one), CallsModel::RoomColumn).data().toString(), roomId);

        // The unmuted member speaks (key tones in band are voice too): "talking" while it lasts.
        window->selectCall(two);
        QCOMPARE(h->pressKeys(two, QStringLiteral("5"), 400, 0).status, 202);
        h->advance(200);
        window->refresh();
        QCOMPARE(rooms.index(1, RoomsModel::TalkingColumn, r).data().toString(), QStringLiteral("\u25cf talking"));
        QCOMPARE(rooms.index(0, RoomsModel::TalkingColumn, r).data().toString(), QString());
        h->advance(1000);
        window->refresh();
        QCOMPARE(rooms.index(1, RoomsModel::TalkingColumn, r).data().toString(), QString());

        // The room filter keeps the room's own stream.
        window->refresh();
        child<QComboBox>("filterRoom")->setCurrentText(roomId);
        QVERIFY(window->timeline().rowCount() >= 1);
        QCOMPARE(window->timeline().index(0, TimelineModel::WhatColumn).data().toString(), QStringLiteral("conference.created"));
        // One member hangs up: the room has one member left.
        QCOMPARE(h->api().post("/sim/v1/calls/" + one.toUtf8() + "/hangup", Harness::adminHeaders()).status, 200);
        settle(100);
        window->refresh();
        QCOMPARE(rooms.rowCount(rooms.index(0, 0)), 1);
    }

    void callFlowDrawsTheSelectedCallInOrder()
    {
        const QString uuid = answeredFromWindow();
        window->pressKey(u'4');
        settle();
        window->selectCall(uuid);
        ui->advance(MainWindow::kRefreshMs);
        using L = CallFlowLayout;
        const QList<L::Step> steps = window->callFlow().steps();
        QStringList lanes;
        for (const L::Step &s : steps)
            lanes << L::laneName(s.from) + QStringLiteral("→") + L::laneName(s.to) + QLatin1Char(' ') + s.label;
        QCOMPARE(lanes, (QStringList{
            QStringLiteral("Caller→voicesim incoming call from +15550100 to +15550199"),
            QStringLiteral("voicesim→Webhook receiver #1 call.new → 200"),
            QStringLiteral("App (API)→voicesim POST commands/answer → 202"),
            QStringLiteral("voicesim→Webhook receiver #2 call.answered → 200"),
            QStringLiteral("voicesim→Webhook receiver #3 command.result → 200"),
            QStringLiteral("Caller→voicesim presses 4"),
            QStringLiteral("voicesim→Webhook receiver #4 dtmf → 200"),
        }));
        for (qsizetype i = 1; i < steps.size(); ++i)
            QVERIFY(steps[i - 1].atMs <= steps[i].atMs);
        QVERIFY(window->callFlow().minimumHeight() >= int(L::height(steps.size())));
    }

    void settingsApplyWebhookUrlAndRefuseABadSecret()
    {
        Receiver other;
        SettingsDialog dialog(h->service().apps(), settings(), settings().configFile, *audio, *desktop, window.get());
        dialog.webhookSecretEdit()->setText(QStringLiteral("not-a-secret"));
        QVERIFY(!dialog.apply());
        QCOMPARE(dialog.errorText(), QStringLiteral("--webhook-secret must be whsec_ followed by at least 16 base64-encoded bytes"));
        dialog.webhookSecretEdit()->setText(h->service().defaultApp().webhookSecret);
        dialog.webhookUrlEdit()->setText(QStringLiteral("ftp://example.com"));
        QVERIFY(!dialog.apply());
        QCOMPARE(dialog.errorText(), QStringLiteral("--webhook-url must be an http or https URL"));
        QCOMPARE(h->service().defaultApp().webhookUrl, receiver->url()); // nothing changed

        dialog.webhookUrlEdit()->setText(other.url());
        dialog.envelopeBox()->setCurrentIndex(dialog.envelopeBox()->findText(QStringLiteral("flat")));
        dialog.portBox()->setValue(9123);
        dialog.dtmfBox()->setCurrentIndex(dialog.dtmfBox()->findText(QStringLiteral("inband")));
        QVERIFY(dialog.apply());
        QVERIFY(dialog.restartNeeded()); // the port
        QCOMPARE(h->service().defaultApp().webhookUrl, other.url());
        QCOMPARE(h->service().defaultApp().envelope, EnvelopeShape::Flat);
        QSettings ini(settings().configFile, QSettings::IniFormat);
        QCOMPARE(ini.value(QStringLiteral("webhook-url")).toString(), other.url());
        QCOMPARE(ini.value(QStringLiteral("envelope")).toString(), QStringLiteral("flat"));
        QCOMPARE(ini.value(QStringLiteral("listen")).toString(), QStringLiteral("127.0.0.1:9123"));
        QCOMPARE(desktop->value(QStringLiteral("calls/dtmfMode")).toString(), QStringLiteral("inband"));
        // voicesim reads that file back at its next start.
        const SettingsResult next = parseSettings({QStringLiteral("voicesim"), QStringLiteral("--config=") + settings().configFile});
        QCOMPARE(next.exitCode, -1);
        QCOMPARE(next.settings.port, quint16(9123));
        QCOMPARE(next.settings.webhookUrl, other.url());

        // The next call goes to the new URL, in the flat envelope.
        window->placeIncomingCall();
        settle();
        QVERIFY(other.waitForRequests(1));
        QCOMPARE(other.requests.constFirst().json().value(QStringLiteral("event")).toString(), QStringLiteral("call.new"));
        QVERIFY(!other.requests.constFirst().json().contains(QStringLiteral("data"))); // flat
    }

    void windowRemembersGeometryAndSplitters()
    {
        auto *split = child<QSplitter>("mainSplit");
        split->setSizes({300, 900});
        const QList<int> sizes = split->sizes();
        window->close();
        QVERIFY(desktop->contains(QStringLiteral("window/geometry")));
        QVERIFY(desktop->contains(QStringLiteral("window/mainSplit")));
        testers.clear();
        window.reset();
        openWindow();
        QCOMPARE(child<QSplitter>("mainSplit")->sizes(), sizes);
    }

    void withoutSoundDevicesTheStatusBarSaysSo()
    {
        QCOMPARE(window->audioStatus(), QStringLiteral("No sound devices: calls run on the virtual media path only"
                                                       " · virtual clock: audio plays only while time advances"));
        // The call works all the same: keys reach the app.
        const QString uuid = answeredFromWindow();
        window->pressKey(u'2');
        settle();
        QCOMPARE(h->eventTypes(uuid).constLast(), QStringLiteral("dtmf"));
    }

    // The README's picture: a live call in a conference with keys pressed, a failing delivery
    // and its retry. tools/screenshots.sh runs this under Xvfb with VOICESIM_SCREENSHOT_DIR set.
    void screenshotOfALiveCallWithAConference()
    {
        child<QLineEdit>("callerId")->setText(QStringLiteral("+15550142"));
        const QString alice = answeredFromWindow();
        child<QLineEdit>("callerId")->setText(QStringLiteral("+15550177"));
        const QString bob = answeredFromWindow();
        const Response room = h->api().post("/api/v1/conferences", Harness::appHeaders(), {{QStringLiteral("name"), QStringLiteral("standup")}});
        const QString roomId = room.json().value(QStringLiteral("room_id")).toString();
        QCOMPARE(h->command(alice, "conference/join", {{QStringLiteral("room_id"), roomId}}).status, 202);
        QCOMPARE(h->command(bob, "conference/join", {{QStringLiteral("room_id"), roomId}}).status, 202);
        settle(100);
        QCOMPARE(h->command(alice, "conference/unmute").status, 202);
        settle(100);
        window->selectCall(alice);
        for (QChar key : QStringLiteral("42#"))
            window->pressKey(key);
        receiver->script(Receiver::Action::Answer, Receiver::answer(503));
        settle(1000);
        QCOMPARE(h->command(bob, "record/start").status, 202);
        settle(100);
        window->selectCall(alice);
        QCOMPARE(h->pressKeys(alice, QStringLiteral("7"), 600, 0).status, 202);
        h->advance(300);
        window->refresh();
        ui->advance(MainWindow::kRefreshMs);
        QCOMPARE(window->rooms().rowCount(window->rooms().index(0, 0)), 2);
        QVERIFY(window->timeline().rowCount() > 20);
        // The delivery that met a 503 and was retried, with its attempts open.
        const TimelineModel &t = window->timeline();
        int retried = -1;
        for (int r = 0; r < t.rowCount() && retried < 0; ++r)
            if (t.index(r, TimelineModel::AttemptsColumn).data().toInt() == 2)
                retried = r;
        QVERIFY(retried >= 0);
        window->timelineView()->setCurrentIndex(t.index(retried, 0));
        QCOMPARE(window->detail().attemptCount(), 2);
        child<QTabWidget>("detailTabs")->setCurrentIndex(2);

        const QString out = qEnvironmentVariable("VOICESIM_SCREENSHOT_DIR");
        if (out.isEmpty())
            return;
        window->resize(1600, 1000);
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        QVERIFY(window->grab().save(out + QStringLiteral("/main-window.png")));
        window->selectCall(alice);
        child<QTabWidget>("bottomTabs")->setCurrentIndex(1);
        QVERIFY(window->grab().save(out + QStringLiteral("/call-flow.png")));
    }

    void noRouteForTheDidSaysWhyInTheStatusBar()
    {
        // A DID is routed to the default app unless another claims it, so every DID has an
        // app; an empty caller id is still a call. What fails is a call with the engine reset
        // in between: the model follows without stale rows.
        const QString uuid = window->placeIncomingCall();
        QVERIFY(!uuid.isEmpty());
        QCOMPARE(h->api().post("/sim/v1/reset", Harness::adminHeaders()).status, 200);
        window->refresh();
        QCOMPARE(window->calls().rowCount(), 0);
        QCOMPARE(window->selectedCall(), QString());
    }
};

QTEST_MAIN(MainWindowTest)
#include "tst_mainwindow.moc"
