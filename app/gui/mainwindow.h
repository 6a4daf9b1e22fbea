// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <config/settings.h>

#include <QMainWindow>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSettings;
class QSpinBox;
class QSplitter;
class QTableView;
class QTreeView;

namespace VoiceSim {

struct ApiResult;
class AudioBackend;
class AudioBridge;
class CallFlowView;
class CallsModel;
class Clock;
class DetailPane;
class Keypad;
class LevelMeter;
class MediaEngine;
class RoomsModel;
class TimelineModel;
class VoiceSimService;
class VirtualClock;

// The desktop window: the connection header, calls with a keypad and audio, conferences, the
// live timeline with its detail pane and the selected call's ladder. It drives the engine
// directly (as the control API would) and reads the journal for what it shows.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    struct Parts
    {
        VoiceSimService &service;
        MediaEngine &media;
        Clock &uiClock;     // batches the timeline and refreshes the panels (a real clock in the app)
        AudioBackend &audio;
        QSettings &desktop; // window state, devices, the DTMF mode of new calls
        Settings settings;  // what voicesim runs with (for the settings dialog)
    };
    explicit MainWindow(Parts parts, QWidget *parent = nullptr);
    ~MainWindow() override;

    // What a user does, for the buttons and for the tests.
    QString placeIncomingCall(); // the new call's uuid, selected; empty on failure (status bar says why)
    void selectCall(const QString &uuid);
    QString selectedCall() const;
    void pressKey(QChar key);
    void hangUp();
    void dropChannel();
    void speakFile(const QString &path);
    void setMicrophone(bool on);
    void refresh(); // the panels, now (the UI clock does it every kRefreshMs)

    TimelineModel &timeline() { return *m_timeline; }
    CallsModel &calls() { return *m_calls; }
    RoomsModel &rooms() { return *m_rooms; }
    DetailPane &detail() { return *m_detail; }
    CallFlowView &callFlow() { return *m_flow; }
    QTableView *timelineView() const { return m_timelineView; }
    QString audioStatus() const;

    static constexpr int kRefreshMs = 200;

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    QWidget *buildHeader();
    QWidget *buildCalls();
    QWidget *buildConferences();
    QWidget *buildTimeline();
    void connectEngine();
    void openAudioDevices();
    void updateAudioStatus();
    void applyTimelineFilter();
    void updateFilterChoices();
    void showTimelineRow(const QModelIndex &index);
    void updateCallFlow();
    void updateCallControls();
    void tick();
    void openSettings();
    void restoreState();
    qint64 logCallerAction(const QString &uuid, const QString &text);
    // Marks the caller's action refused (timeline and status bar) when the engine refused it.
    bool refused(qint64 action, const QString &uuid, const QString &text, const ApiResult &result);

    VoiceSimService &m_service;
    MediaEngine &m_media;
    Clock &m_uiClock;
    AudioBackend &m_audio;
    QSettings &m_desktop;
    Settings m_settings;
    VirtualClock *m_virtualClock;

    TimelineModel *m_timeline;
    CallsModel *m_calls;
    RoomsModel *m_rooms;
    AudioBridge *m_bridge;

    // header
    QLabel *m_health = nullptr;
    QLineEdit *m_webhookUrl = nullptr;
    // calls
    QLineEdit *m_callerId = nullptr;
    QLineEdit *m_did = nullptr;
    QCheckBox *m_autoAnswer = nullptr;
    QComboBox *m_dtmfMode = nullptr;
    QTableView *m_callsView = nullptr;
    Keypad *m_keypad = nullptr;
    QPushButton *m_hangUp = nullptr;
    QPushButton *m_drop = nullptr;
    QPushButton *m_speak = nullptr;
    QPushButton *m_microphone = nullptr;
    LevelMeter *m_outputMeter = nullptr;
    LevelMeter *m_inputMeter = nullptr;
    // conferences
    QTreeView *m_roomsView = nullptr;
    // timeline
    QComboBox *m_filterCall = nullptr;
    QComboBox *m_filterRoom = nullptr;
    QComboBox *m_filterEvent = nullptr;
    QComboBox *m_filterStatus = nullptr;
    QLineEdit *m_filterText = nullptr;
    QCheckBox *m_pauseScroll = nullptr;
    QLabel *m_rowCount = nullptr;
    QTableView *m_timelineView = nullptr;
    DetailPane *m_detail = nullptr;
    CallFlowView *m_flow = nullptr;
    QString m_flowStream;
    QSplitter *m_mainSplit = nullptr;
    QSplitter *m_leftSplit = nullptr;
    QSplitter *m_rightSplit = nullptr;
    QLabel *m_audioLabel = nullptr;
    QString m_audioProblem;
};

} // namespace VoiceSim
