// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include "callflowview.h"
#include "callsmodel.h"
#include "detailpane.h"
#include "keypad.h"
#include "levelmeter.h"
#include "roomsmodel.h"
#include "settingsdialog.h"
#include "timelinemodel.h"

#include <audio/audiobackend.h>
#include <audio/audiobridge.h>
#include <clock/virtualclock.h>
#include <media/mediaengine.h>
#include <service/voicesimservice.h>

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QTreeView>
#include <QUrl>
#include <QVBoxLayout>

namespace VoiceSim {

namespace {

QString iniPath(const Settings &settings)
{
    if (!settings.configFile.isEmpty())
        return settings.configFile;
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) + QStringLiteral("/voicesim/voicesim.ini");
}

// A read-only, selectable field with a copy button, for the header.
QWidget *copyField(const QString &value, const QString &name, QWidget *parent, QLineEdit **edit = nullptr)
{
    auto *box = new QWidget(parent);
    auto *row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(2);
    auto *field = new QLineEdit(value, box);
    field->setObjectName(name);
    field->setReadOnly(true);
    field->setMinimumWidth(160);
    auto *copy = new QToolButton(box);
    copy->setText(QObject::tr("Copy"));
    copy->setToolTip(QObject::tr("Copy to the clipboard"));
    QObject::connect(copy, &QToolButton::clicked, field, [field] { QApplication::clipboard()->setText(field->text()); });
    row->addWidget(field, 1);
    row->addWidget(copy);
    if (edit)
        *edit = field;
    return box;
}

QString q850ForHangup()
{
    return QStringLiteral("NORMAL_CLEARING");
}

} // namespace

MainWindow::MainWindow(Parts parts, QWidget *parent)
    : QMainWindow(parent)
    , m_service(parts.service)
    , m_media(parts.media)
    , m_uiClock(parts.uiClock)
    , m_audio(parts.audio)
    , m_desktop(parts.desktop)
    , m_settings(std::move(parts.settings))
    , m_virtualClock(qobject_cast<VirtualClock *>(&m_service.clock()))
    , m_timeline(new TimelineModel(m_uiClock, this))
    , m_calls(new CallsModel(m_service.engine(), m_service.clock(), this))
    , m_rooms(new RoomsModel(m_service.engine().conferences(),
                             [this](const QString &uuid) { return m_media.isTalking(uuid); }, this))
    , m_bridge(new AudioBridge(m_media, m_audio, this))
{
    setWindowTitle(QStringLiteral("voicesim — ") + m_service.baseUrl());
    setObjectName(QStringLiteral("mainWindow"));

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->addWidget(buildHeader());

    m_leftSplit = new QSplitter(Qt::Vertical, central);
    m_leftSplit->setObjectName(QStringLiteral("leftSplit"));
    m_leftSplit->addWidget(buildCalls());
    m_leftSplit->addWidget(buildConferences());
    m_leftSplit->setStretchFactor(0, 3);
    m_leftSplit->setStretchFactor(1, 1);

    m_rightSplit = new QSplitter(Qt::Vertical, central);
    m_rightSplit->setObjectName(QStringLiteral("rightSplit"));
    m_rightSplit->addWidget(buildTimeline());
    auto *bottom = new QTabWidget(m_rightSplit);
    bottom->setObjectName(QStringLiteral("bottomTabs"));
    m_detail = new DetailPane(m_service.journal(), m_service.dispatcher(), bottom);
    m_flow = new CallFlowView(bottom);
    m_flow->setObjectName(QStringLiteral("callFlow"));
    auto *flowScroll = new QScrollArea(bottom);
    flowScroll->setWidget(m_flow);
    flowScroll->setWidgetResizable(true);
    bottom->addTab(m_detail, tr("Details"));
    bottom->addTab(flowScroll, tr("Call flow"));
    m_rightSplit->addWidget(bottom);
    m_rightSplit->setStretchFactor(0, 3);
    m_rightSplit->setStretchFactor(1, 2);

    m_mainSplit = new QSplitter(Qt::Horizontal, central);
    m_mainSplit->setObjectName(QStringLiteral("mainSplit"));
    m_mainSplit->addWidget(m_leftSplit);
    m_mainSplit->addWidget(m_rightSplit);
    m_mainSplit->setStretchFactor(0, 2);
    m_mainSplit->setStretchFactor(1, 3);
    layout->addWidget(m_mainSplit, 1);
    setCentralWidget(central);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Settings…"), this, &MainWindow::openSettings);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    m_audioLabel = new QLabel(this);
    m_audioLabel->setObjectName(QStringLiteral("audioStatus"));
    statusBar()->addPermanentWidget(m_audioLabel);
    statusBar()->showMessage(tr("Listening on %1").arg(m_service.baseUrl()));
    connect(m_detail, &DetailPane::message, this, [this](const QString &text) { statusBar()->showMessage(text, 8000); });

    connectEngine();
    openAudioDevices();
    restoreState();
    resize(1440, 900);
    if (const QByteArray g = m_desktop.value(QStringLiteral("window/geometry")).toByteArray(); !g.isEmpty())
        restoreGeometry(g);
    updateCallControls();
    m_uiClock.callAfter(kRefreshMs, this, [this] { tick(); });
}

MainWindow::~MainWindow()
{
    m_bridge->attach({});
}

QWidget *MainWindow::buildHeader()
{
    auto *box = new QGroupBox(tr("Point your app at voicesim"), this);
    auto *grid = new QGridLayout(box);
    const App &app = m_service.defaultApp();
    int column = 0;
    const auto add = [&](const QString &label, QWidget *field, int row) {
        grid->addWidget(new QLabel(label, box), row, column);
        grid->addWidget(field, row, column + 1);
    };
    add(tr("API base URL"), copyField(m_service.baseUrl() + QStringLiteral("/api/v1"), QStringLiteral("baseUrl"), box), 0);
    add(tr("App id"), copyField(app.id, QStringLiteral("appId"), box), 1);
    column = 2;
    add(tr("API key"), copyField(app.apiKey, QStringLiteral("apiKey"), box), 0);
    add(tr("Admin key"), copyField(m_service.adminKey(), QStringLiteral("adminKey"), box), 1);
    column = 4;
    add(tr("Webhook URL"), copyField(app.webhookUrl, QStringLiteral("webhookUrl"), box, &m_webhookUrl), 0);
    m_webhookUrl->setPlaceholderText(tr("none: set one in File → Settings"));
    m_health = new QLabel(tr("no delivery yet"), box);
    m_health->setObjectName(QStringLiteral("webhookHealth"));
    add(tr("Last delivery"), m_health, 1);

    // The clock: a virtual one moves only when told to.
    auto *clockBox = new QWidget(box);
    auto *clockRow = new QHBoxLayout(clockBox);
    clockRow->setContentsMargins(0, 0, 0, 0);
    QString mode;
    if (m_virtualClock)
        mode = tr("virtual");
    else if (m_settings.timeScale != 1.0)
        mode = tr("scaled ×%1").arg(m_settings.timeScale);
    else
        mode = tr("real");
    auto *modeLabel = new QLabel(mode, clockBox);
    modeLabel->setObjectName(QStringLiteral("clockMode"));
    clockRow->addWidget(modeLabel);
    if (m_virtualClock) {
        auto *step = new QSpinBox(clockBox);
        step->setObjectName(QStringLiteral("advanceMs"));
        step->setRange(1, 3'600'000);
        step->setValue(1000);
        step->setSuffix(QStringLiteral(" ms"));
        auto *advance = new QPushButton(tr("Advance"), clockBox);
        advance->setObjectName(QStringLiteral("advance"));
        connect(advance, &QPushButton::clicked, this, [this, step] {
            m_virtualClock->advance(step->value());
            refresh();
        });
        clockRow->addWidget(step);
        clockRow->addWidget(advance);
    }
    clockRow->addStretch();
    grid->addWidget(new QLabel(tr("Clock"), box), 0, 6);
    grid->addWidget(clockBox, 0, 7);
    for (int c : {1, 3, 5})
        grid->setColumnStretch(c, 1);
    return box;
}

QWidget *MainWindow::buildCalls()
{
    auto *box = new QGroupBox(tr("Calls"), this);
    auto *layout = new QVBoxLayout(box);

    auto *form = new QHBoxLayout;
    m_callerId = new QLineEdit(QStringLiteral("+15550100"), box);
    m_callerId->setObjectName(QStringLiteral("callerId"));
    m_callerId->setMinimumWidth(m_callerId->fontMetrics().horizontalAdvance(QStringLiteral("+4915550100000")));
    m_did = new QLineEdit(QStringLiteral("+15550199"), box);
    m_did->setObjectName(QStringLiteral("did"));
    m_did->setMinimumWidth(m_callerId->minimumWidth());
    m_autoAnswer = new QCheckBox(tr("auto-answer"), box);
    m_autoAnswer->setObjectName(QStringLiteral("autoAnswer"));
    m_dtmfMode = new QComboBox(box);
    m_dtmfMode->setObjectName(QStringLiteral("dtmfMode"));
    m_dtmfMode->addItem(QStringLiteral("rfc4733"), int(DtmfMode::Rfc4733));
    m_dtmfMode->addItem(QStringLiteral("inband"), int(DtmfMode::Inband));
    m_dtmfMode->setCurrentIndex(std::max(0, m_dtmfMode->findText(m_desktop.value(QStringLiteral("calls/dtmfMode")).toString())));
    auto *incoming = new QPushButton(tr("Incoming call"), box);
    incoming->setObjectName(QStringLiteral("incomingCall"));
    incoming->setDefault(true);
    connect(incoming, &QPushButton::clicked, this, [this] { placeIncomingCall(); });
    form->addWidget(new QLabel(tr("From"), box));
    form->addWidget(m_callerId);
    form->addWidget(new QLabel(tr("to"), box));
    form->addWidget(m_did);
    form->addWidget(m_autoAnswer);
    form->addWidget(m_dtmfMode);
    form->addWidget(incoming);
    layout->addLayout(form);

    m_callsView = new QTableView(box);
    m_callsView->setObjectName(QStringLiteral("callsView"));
    m_callsView->setModel(m_calls);
    m_callsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_callsView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_callsView->verticalHeader()->hide();
    m_callsView->horizontalHeader()->setStretchLastSection(true);
    m_callsView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    layout->addWidget(m_callsView, 1);
    connect(m_callsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        m_bridge->attach(selectedCall());
        updateCallControls();
        updateCallFlow();
    });

    auto *controls = new QHBoxLayout;
    m_keypad = new Keypad(box);
    m_keypad->setObjectName(QStringLiteral("keypad"));
    connect(m_keypad, &Keypad::pressed, this, &MainWindow::pressKey);
    controls->addWidget(m_keypad);
    auto *actions = new QVBoxLayout;
    m_hangUp = new QPushButton(tr("Hang up"), box);
    m_hangUp->setObjectName(QStringLiteral("hangUp"));
    m_drop = new QPushButton(tr("Drop channel"), box);
    m_drop->setObjectName(QStringLiteral("dropChannel"));
    m_speak = new QPushButton(tr("Speak a file…"), box);
    m_speak->setObjectName(QStringLiteral("speakFile"));
    m_microphone = new QPushButton(tr("Microphone"), box);
    m_microphone->setObjectName(QStringLiteral("microphone"));
    m_microphone->setCheckable(true);
    connect(m_hangUp, &QPushButton::clicked, this, &MainWindow::hangUp);
    connect(m_drop, &QPushButton::clicked, this, &MainWindow::dropChannel);
    connect(m_speak, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Speak a file into the call"), {},
                                                          tr("Audio (*.wav *.mp3 *.flac *.ogg);;All files (*)"));
        if (!path.isEmpty())
            speakFile(path);
    });
    connect(m_microphone, &QPushButton::toggled, this, &MainWindow::setMicrophone);
    auto *meters = new QFormLayout;
    m_outputMeter = new LevelMeter(box);
    m_outputMeter->setObjectName(QStringLiteral("outputMeter"));
    m_inputMeter = new LevelMeter(box);
    m_inputMeter->setObjectName(QStringLiteral("inputMeter"));
    meters->addRow(tr("Speaker"), m_outputMeter);
    meters->addRow(tr("Mic"), m_inputMeter);
    for (QPushButton *b : {m_hangUp, m_drop, m_speak, m_microphone})
        actions->addWidget(b);
    actions->addLayout(meters);
    actions->addStretch();
    controls->addLayout(actions);
    controls->addStretch();
    layout->addLayout(controls);
    return box;
}

QWidget *MainWindow::buildConferences()
{
    auto *box = new QGroupBox(tr("Conferences"), this);
    auto *layout = new QVBoxLayout(box);
    m_roomsView = new QTreeView(box);
    m_roomsView->setObjectName(QStringLiteral("roomsView"));
    m_roomsView->setModel(m_rooms);
    m_roomsView->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    // Rooms open with their members in view, also after a change of members resets the model.
    connect(m_rooms, &QAbstractItemModel::modelReset, m_roomsView, &QTreeView::expandAll);
    m_roomsView->expandAll();
    layout->addWidget(m_roomsView);
    return box;
}

QWidget *MainWindow::buildTimeline()
{
    auto *box = new QGroupBox(tr("Timeline"), this);
    auto *layout = new QVBoxLayout(box);
    auto *filters = new QHBoxLayout;
    const auto combo = [box](const QString &name, const QString &placeholder) {
        auto *c = new QComboBox(box);
        c->setObjectName(name);
        c->setEditable(true);
        c->setInsertPolicy(QComboBox::NoInsert);
        c->lineEdit()->setPlaceholderText(placeholder);
        c->setMinimumContentsLength(14);
        c->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        return c;
    };
    m_filterCall = combo(QStringLiteral("filterCall"), tr("any call"));
    m_filterRoom = combo(QStringLiteral("filterRoom"), tr("any room"));
    m_filterEvent = combo(QStringLiteral("filterEvent"), tr("any event"));
    m_filterStatus = new QComboBox(box);
    m_filterStatus->setObjectName(QStringLiteral("filterStatus"));
    using SF = TimelineModel::StatusFilter;
    const std::pair<QString, SF> statuses[] = {
        {tr("any status"), SF::Any},       {tr("2xx"), SF::Success},          {tr("4xx"), SF::ClientError},
        {tr("5xx"), SF::ServerError},      {tr("no answer"), SF::NoAnswer},   {tr("undelivered"), SF::Undelivered},
        {tr("dead"), SF::Dead}};
    for (const auto &[label, value] : statuses)
        m_filterStatus->addItem(label, int(value));
    m_filterText = new QLineEdit(box);
    m_filterText->setObjectName(QStringLiteral("filterText"));
    m_filterText->setPlaceholderText(tr("search stream, event, path"));
    m_filterText->setClearButtonEnabled(true);
    m_pauseScroll = new QCheckBox(tr("pause autoscroll"), box);
    m_pauseScroll->setObjectName(QStringLiteral("pauseScroll"));
    m_rowCount = new QLabel(box);
    m_rowCount->setObjectName(QStringLiteral("rowCount"));
    for (QWidget *w : std::initializer_list<QWidget *>{m_filterCall, m_filterRoom, m_filterEvent, m_filterStatus})
        filters->addWidget(w);
    filters->addWidget(m_filterText, 1);
    filters->addWidget(m_pauseScroll);
    filters->addWidget(m_rowCount);
    layout->addLayout(filters);
    for (QComboBox *c : {m_filterCall, m_filterRoom, m_filterEvent})
        connect(c, &QComboBox::currentTextChanged, this, &MainWindow::applyTimelineFilter);
    connect(m_filterStatus, &QComboBox::currentIndexChanged, this, &MainWindow::applyTimelineFilter);
    connect(m_filterText, &QLineEdit::textChanged, this, &MainWindow::applyTimelineFilter);

    // A table with fixed row heights: per-row state in the view would cost memory and time at a
    // million rows (bench/timeline: a tree view painted a batch in twice the time).
    m_timelineView = new QTableView(box);
    m_timelineView->setObjectName(QStringLiteral("timelineView"));
    m_timelineView->setModel(m_timeline);
    m_timelineView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_timelineView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_timelineView->setShowGrid(false);
    m_timelineView->setWordWrap(false);
    m_timelineView->verticalHeader()->hide();
    m_timelineView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_timelineView->verticalHeader()->setDefaultSectionSize(m_timelineView->fontMetrics().height() + 4);
    QHeaderView *columns = m_timelineView->horizontalHeader();
    columns->setHighlightSections(false);
    columns->resizeSection(TimelineModel::TimeColumn, 100);
    columns->resizeSection(TimelineModel::KindColumn, 80);
    columns->resizeSection(TimelineModel::StreamColumn, 150);
    columns->resizeSection(TimelineModel::SequenceColumn, 45);
    columns->resizeSection(TimelineModel::WhatColumn, 380);
    columns->resizeSection(TimelineModel::StatusColumn, 70);
    columns->resizeSection(TimelineModel::AttemptsColumn, 65);
    columns->setStretchLastSection(true);
    layout->addWidget(m_timelineView, 1);
    connect(m_timelineView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &index) { showTimelineRow(index); });
    connect(m_timeline, &TimelineModel::rowsAppended, this, [this] {
        if (!m_pauseScroll->isChecked())
            m_timelineView->scrollToBottom();
        m_rowCount->setText(tr("%1 of %2 rows").arg(m_timeline->rowCount()).arg(m_timeline->totalRows()));
        updateCallFlow();
    });
    // Outcomes of deliveries arrive as changes of rows already shown.
    connect(m_timeline, &QAbstractItemModel::dataChanged, this, &MainWindow::updateCallFlow);
    connect(m_timeline, &QAbstractItemModel::modelReset, this, [this] {
        m_rowCount->setText(tr("%1 of %2 rows").arg(m_timeline->rowCount()).arg(m_timeline->totalRows()));
    });
    return box;
}

void MainWindow::connectEngine()
{
    m_timeline->setObjectName(QStringLiteral("timelineModel"));
    connect(&m_service.requestLog(), &RequestLog::received, m_timeline, &TimelineModel::commandReceived);
    connect(&m_service.requestLog(), &RequestLog::handled, m_timeline, &TimelineModel::addCommand);
    connect(&m_service.dispatcher(), &WebhookDispatcher::accepted, m_timeline, &TimelineModel::addDelivery);
    connect(&m_service.dispatcher(), &WebhookDispatcher::attemptFinished, m_timeline, &TimelineModel::updateDelivery);
    connect(&m_service.dispatcher(), &WebhookDispatcher::attemptFinished, this,
            [this](const JournalEvent &event, const JournalAttempt &attempt) {
                const bool ok = attempt.statusCode >= 200 && attempt.statusCode < 300;
                const QString what = attempt.statusCode ? QString::number(attempt.statusCode)
                                                        : (attempt.error.isEmpty() ? tr("no answer") : attempt.error);
                m_health->setText(tr("%1 %2 in %3 ms").arg(ok ? QStringLiteral("\u2714") : QStringLiteral("\u2716"), what)
                                      .arg(attempt.latencyMs)
                                  + QStringLiteral(" (") + event.type + QLatin1Char(')'));
                m_health->setStyleSheet(ok ? QStringLiteral("color: #1b7f2a") : QStringLiteral("color: #b00020"));
            });
    // The last journal rows of an earlier run, so the timeline starts where it left off.
    DeliveryJournal &journal = m_service.journal();
    const qint64 last = journal.lastRow();
    const QList<JournalEvent> earlier = journal.list({.limit = 10'000, .afterRow = std::max<qint64>(0, last - 10'000)});
    for (const JournalEvent &e : earlier)
        m_timeline->addDelivery(e);
    m_timeline->flush();
}

void MainWindow::openAudioDevices()
{
    connect(&m_audio, &AudioBackend::deviceLost, this, [this](const QString &message) {
        m_audioProblem = message;
        updateAudioStatus();
    });
    connect(&m_audio, &AudioBackend::devicesChanged, this, &MainWindow::updateAudioStatus);
    const auto pick = [](const QList<AudioBackend::Device> &devices, const QByteArray &stored) -> QByteArray {
        for (const AudioBackend::Device &d : devices)
            if (d.id == stored)
                return d.id;
        for (const AudioBackend::Device &d : devices)
            if (d.isDefault)
                return d.id;
        return devices.isEmpty() ? QByteArray() : devices.constFirst().id;
    };
    QString error;
    const QByteArray output = pick(m_audio.outputs(), m_desktop.value(QStringLiteral("audio/output")).toByteArray());
    if (!output.isEmpty() && m_audio.output() != output && !m_audio.setOutput(output, &error))
        m_audioProblem = error;
    const QByteArray input = pick(m_audio.inputs(), m_desktop.value(QStringLiteral("audio/input")).toByteArray());
    if (!input.isEmpty() && m_audio.input() != input && !m_audio.setInput(input, &error))
        m_audioProblem = error;
    updateAudioStatus();
}

QString MainWindow::audioStatus() const
{
    return m_audioLabel->text();
}

void MainWindow::updateAudioStatus()
{
    QString text;
    if (m_audio.outputs().isEmpty() && m_audio.inputs().isEmpty())
        text = tr("No sound devices: calls run on the virtual media path only");
    else {
        const auto name = [](const QList<AudioBackend::Device> &devices, const QByteArray &id) {
            for (const AudioBackend::Device &d : devices)
                if (d.id == id)
                    return d.description;
            return tr("none");
        };
        text = tr("Speaker: %1 · Mic: %2").arg(name(m_audio.outputs(), m_audio.output()), name(m_audio.inputs(), m_audio.input()));
    }
    if (!m_audioProblem.isEmpty())
        text += QStringLiteral(" · ") + m_audioProblem;
    if (m_virtualClock)
        text += tr(" · virtual clock: audio plays only while time advances");
    m_audioLabel->setText(text);
}

QString MainWindow::placeIncomingCall()
{
    Engine::InboundCall call;
    call.callerId = m_callerId->text().trimmed();
    call.did = m_did->text().trimmed();
    call.autoAnswer = m_autoAnswer->isChecked();
    call.dtmfMode = DtmfMode(m_dtmfMode->currentData().toInt());
    const QString text = tr("incoming call from %1 to %2").arg(call.callerId, call.did);
    const qint64 action = logCallerAction({}, text);
    const ApiResult result = m_service.engine().createInboundCall(call);
    if (refused(action, {}, text, result))
        return {};
    const QString uuid = result.body.value(QStringLiteral("session_uuid")).toString();
    m_timeline->setCallerAction(action, uuid, text);
    m_calls->refresh();
    selectCall(uuid);
    return uuid;
}

void MainWindow::selectCall(const QString &uuid)
{
    const int row = m_calls->rowOf(uuid);
    if (row < 0)
        return;
    m_callsView->selectionModel()->setCurrentIndex(m_calls->index(row, 0),
                                                   QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

QString MainWindow::selectedCall() const
{
    const QModelIndex current = m_callsView->selectionModel()->currentIndex();
    return current.isValid() ? m_calls->uuid(current.row()) : QString();
}

qint64 MainWindow::logCallerAction(const QString &uuid, const QString &text)
{
    return m_timeline->addCallerAction(m_service.clock().epochMs(), uuid, text);
}

bool MainWindow::refused(qint64 action, const QString &uuid, const QString &text, const ApiResult &result)
{
    if (result.ok())
        return false;
    const QString why = result.body.value(QStringLiteral("error")).toString(); // spec §3: {"success": false, "error": "…"}
    m_timeline->setCallerAction(action, uuid, tr("%1 (refused: %2)").arg(text, why));
    statusBar()->showMessage(tr("%1: %2").arg(text, why), 8000);
    return true;
}

void MainWindow::pressKey(QChar key)
{
    const QString uuid = selectedCall();
    if (uuid.isEmpty())
        return;
    const QString text = tr("presses %1").arg(key);
    const qint64 action = logCallerAction(uuid, text);
    const ApiResult result = m_service.engine().pressKeys(uuid, QString(key), 100, 0);
    if (!refused(action, uuid, text, result))
        m_bridge->sidetone(key);
}

void MainWindow::hangUp()
{
    const QString uuid = selectedCall();
    if (uuid.isEmpty())
        return;
    const QString text = tr("hangs up");
    const qint64 action = logCallerAction(uuid, text); // first: it precedes what it causes
    refused(action, uuid, text, m_service.engine().callerHangup(uuid, q850ForHangup()));
    refresh();
}

void MainWindow::dropChannel()
{
    const QString uuid = selectedCall();
    if (uuid.isEmpty())
        return;
    const QString text = tr("drops the channel");
    const qint64 action = logCallerAction(uuid, text);
    refused(action, uuid, text, m_service.engine().dropChannel(uuid));
    refresh();
}

void MainWindow::speakFile(const QString &path)
{
    const QString uuid = selectedCall();
    if (uuid.isEmpty())
        return;
    const QString text = tr("speaks %1").arg(QFileInfo(path).fileName());
    const qint64 action = logCallerAction(uuid, text);
    refused(action, uuid, text, m_service.engine().speak(uuid, QUrl::fromLocalFile(path).toString()));
}

void MainWindow::setMicrophone(bool on)
{
    m_bridge->setMicrophoneEnabled(on);
    if (m_microphone->isChecked() != on)
        m_microphone->setChecked(on);
    m_microphone->setText(on ? tr("Microphone on") : tr("Microphone"));
}

void MainWindow::updateCallControls()
{
    const QString uuid = selectedCall();
    const Session *s = uuid.isEmpty() ? nullptr : m_service.engine().session(uuid);
    const bool live = s && s->state != CallState::Ended;
    for (QWidget *w : std::initializer_list<QWidget *>{m_keypad, m_hangUp, m_drop, m_speak})
        w->setEnabled(live);
}

void MainWindow::applyTimelineFilter()
{
    TimelineModel::Filter filter;
    filter.sessionUuid = m_filterCall->currentText().trimmed();
    filter.roomId = m_filterRoom->currentText().trimmed();
    filter.event = m_filterEvent->currentText().trimmed();
    filter.status = TimelineModel::StatusFilter(m_filterStatus->currentData().toInt());
    filter.text = m_filterText->text().trimmed();
    m_timeline->setFilter(filter);
    if (!m_pauseScroll->isChecked())
        m_timelineView->scrollToBottom();
}

void MainWindow::updateFilterChoices()
{
    const auto sync = [](QComboBox *box, QStringList items) {
        items.prepend(QString());
        QStringList now;
        for (int i = 0; i < box->count(); ++i)
            now.append(box->itemText(i));
        if (now == items)
            return;
        const QString text = box->currentText();
        const QSignalBlocker block(box);
        box->clear();
        box->addItems(items);
        box->setCurrentText(text);
    };
    QStringList calls;
    for (int i = 0; i < m_calls->rowCount(); ++i)
        calls.append(m_calls->uuid(i));
    QStringList rooms;
    for (int i = 0; i < m_rooms->rowCount(); ++i)
        rooms.append(m_rooms->index(i, 0).data(RoomsModel::IdRole).toString());
    sync(m_filterCall, calls);
    sync(m_filterRoom, rooms);
    sync(m_filterEvent, m_timeline->eventTypes());
}

void MainWindow::showTimelineRow(const QModelIndex &index)
{
    if (!index.isValid()) {
        m_detail->showNothing();
        return;
    }
    const int row = index.row();
    if (m_timeline->kind(row) == TimelineModel::Kind::Delivery)
        m_detail->showDelivery(m_timeline->journalRow(row));
    else if (const auto command = m_timeline->command(row))
        m_detail->showCommand(*command);
    else
        m_detail->showNothing();
    m_flowStream = m_timeline->stream(row);
    updateCallFlow();
}

void MainWindow::updateCallFlow()
{
    // The selected call, or the stream of the selected timeline row when no call is selected.
    const QString stream = selectedCall().isEmpty() ? m_flowStream : selectedCall();
    using L = CallFlowLayout;
    QList<L::Step> steps;
    const QList<TimelineModel::RowInfo> rows = m_timeline->rowsOf(stream);
    for (const TimelineModel::RowInfo &r : rows) {
        L::Step step;
        step.atMs = r.atMs;
        switch (r.kind) {
        case TimelineModel::Kind::Command: {
            const bool control = r.what.contains(QLatin1String(" /sim/"));
            step.from = control ? L::Lane::Caller : L::Lane::App;
            step.to = L::Lane::Voicesim;
            step.label = r.what.section(QLatin1Char('/'), 0, 0) + r.what.section(QLatin1Char('/'), -2)
                + QStringLiteral(" → ") + QString::number(r.httpStatus);
            step.failed = r.httpStatus >= 400;
            break;
        }
        case TimelineModel::Kind::Delivery:
            step.from = L::Lane::Voicesim;
            step.to = L::Lane::Receiver;
            step.label = QStringLiteral("#%1 %2").arg(r.sequence).arg(r.what)
                + (r.httpStatus ? QStringLiteral(" → ") + QString::number(r.httpStatus) : QString());
            step.failed = r.delivery == DeliveryStatus::Dead || (r.httpStatus != 0 && (r.httpStatus < 200 || r.httpStatus >= 300));
            break;
        case TimelineModel::Kind::Caller:
            step.from = L::Lane::Caller;
            step.to = L::Lane::Voicesim;
            step.label = r.what;
            break;
        }
        steps.append(step);
    }
    m_flow->setSteps(steps);
}

void MainWindow::refresh()
{
    m_calls->refresh();
    m_rooms->refresh();
    updateFilterChoices();
    updateCallControls();
    m_outputMeter->setLevel(m_bridge->outputLevelDb());
    m_inputMeter->setLevel(m_bridge->inputLevelDb());
    m_webhookUrl->setText(m_service.defaultApp().webhookUrl);
}

void MainWindow::tick()
{
    refresh();
    m_uiClock.callAfter(kRefreshMs, this, [this] { tick(); });
}

void MainWindow::openSettings()
{
    SettingsDialog dialog(m_service.apps(), m_settings, iniPath(m_settings), m_audio, m_desktop, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_audioProblem.clear();
    updateAudioStatus();
    refresh();
    if (dialog.restartNeeded())
        QMessageBox::information(this, tr("voicesim"), tr("Some settings apply when voicesim starts again."));
}

void MainWindow::restoreState()
{
    const auto restore = [this](QSplitter *s, const QString &key) {
        if (const QByteArray state = m_desktop.value(key).toByteArray(); !state.isEmpty())
            s->restoreState(state);
    };
    restore(m_mainSplit, QStringLiteral("window/mainSplit"));
    restore(m_leftSplit, QStringLiteral("window/leftSplit"));
    restore(m_rightSplit, QStringLiteral("window/rightSplit"));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_desktop.setValue(QStringLiteral("window/geometry"), saveGeometry());
    m_desktop.setValue(QStringLiteral("window/mainSplit"), m_mainSplit->saveState());
    m_desktop.setValue(QStringLiteral("window/leftSplit"), m_leftSplit->saveState());
    m_desktop.setValue(QStringLiteral("window/rightSplit"), m_rightSplit->saveState());
    m_desktop.sync();
    QMainWindow::closeEvent(event);
}

} // namespace VoiceSim
