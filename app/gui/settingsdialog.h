// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <config/settings.h>

#include <QDialog>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSettings;
class QSpinBox;

namespace VoiceSim {

class AppRegistry;
class AudioBackend;

// The desktop's settings. Per app (webhook URL, secret, envelope) they apply at once; the
// engine's (retry preset, port, time scale, node hash, seed) go to the settings file and apply
// at the next start; audio devices and the DTMF mode of new calls go to the desktop settings.
class SettingsDialog final : public QDialog
{
    Q_OBJECT
public:
    // iniPath: the settings file voicesim reads at start (Settings::configFile or its default).
    SettingsDialog(AppRegistry &apps, const Settings &running, QString iniPath, AudioBackend &audio,
                   QSettings &desktop, QWidget *parent = nullptr);

    // Validates (with voicesim's own option checks), applies and stores; false and
    // errorText() when a field is wrong, and nothing changes.
    bool apply();
    QString errorText() const;
    bool restartNeeded() const { return m_restartNeeded; }

    QLineEdit *webhookUrlEdit() const { return m_webhookUrl; }
    QLineEdit *webhookSecretEdit() const { return m_webhookSecret; }
    QComboBox *envelopeBox() const { return m_envelope; }
    QComboBox *retryBox() const { return m_retry; }
    QSpinBox *portBox() const { return m_port; }
    QComboBox *outputBox() const { return m_output; }
    QComboBox *inputBox() const { return m_input; }
    QComboBox *dtmfBox() const { return m_dtmf; }

    void accept() override;

private:
    void loadApp(int index);
    void fillDevices();

    AppRegistry &m_apps;
    Settings m_running;
    QString m_iniPath;
    AudioBackend &m_audio;
    QSettings &m_desktop;
    bool m_restartNeeded = false;

    QComboBox *m_app;
    QLineEdit *m_webhookUrl;
    QLineEdit *m_webhookSecret;
    QComboBox *m_envelope;
    QComboBox *m_retry;
    QSpinBox *m_port;
    QDoubleSpinBox *m_timeScale;
    QLineEdit *m_node;
    QLineEdit *m_seed;
    QComboBox *m_output;
    QComboBox *m_input;
    QComboBox *m_dtmf;
    QLabel *m_error;
};

} // namespace VoiceSim
