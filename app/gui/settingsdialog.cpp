// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "settingsdialog.h"

#include <audio/audiobackend.h>
#include <engine/appregistry.h>
#include <engine/session.h>
#include <webhooks/retrypolicy.h>

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

namespace VoiceSim {

SettingsDialog::SettingsDialog(AppRegistry &apps, const Settings &running, QString iniPath, AudioBackend &audio,
                               QSettings &desktop, QWidget *parent)
    : QDialog(parent)
    , m_apps(apps)
    , m_running(running)
    , m_iniPath(std::move(iniPath))
    , m_audio(audio)
    , m_desktop(desktop)
    , m_app(new QComboBox(this))
    , m_webhookUrl(new QLineEdit(this))
    , m_webhookSecret(new QLineEdit(this))
    , m_envelope(new QComboBox(this))
    , m_retry(new QComboBox(this))
    , m_port(new QSpinBox(this))
    , m_timeScale(new QDoubleSpinBox(this))
    , m_node(new QLineEdit(this))
    , m_seed(new QLineEdit(this))
    , m_output(new QComboBox(this))
    , m_input(new QComboBox(this))
    , m_dtmf(new QComboBox(this))
    , m_error(new QLabel(this))
{
    setWindowTitle(tr("voicesim settings"));
    setObjectName(QStringLiteral("settingsDialog"));

    auto *appBox = new QGroupBox(tr("Webhooks (apply at once)"), this);
    auto *appForm = new QFormLayout(appBox);
    const QList<App> known = m_apps.apps();
    for (const App &a : known)
        m_app->addItem(a.id, a.id);
    m_app->setCurrentIndex(std::max(0, m_app->findData(m_apps.defaultAppId())));
    m_webhookUrl->setPlaceholderText(QStringLiteral("http://127.0.0.1:3000/webhooks"));
    m_envelope->addItem(QStringLiteral("default"), int(EnvelopeShape::Default));
    m_envelope->addItem(QStringLiteral("flat"), int(EnvelopeShape::Flat));
    appForm->addRow(tr("App"), m_app);
    appForm->addRow(tr("Webhook URL"), m_webhookUrl);
    appForm->addRow(tr("Webhook secret"), m_webhookSecret);
    appForm->addRow(tr("Envelope"), m_envelope);

    auto *engineBox = new QGroupBox(tr("Engine (apply at the next start)"), this);
    auto *engineForm = new QFormLayout(engineBox);
    for (const auto preset : {RetryPolicy::Preset::Default, RetryPolicy::Preset::Svix, RetryPolicy::Preset::None})
        m_retry->addItem(RetryPolicy::presetName(preset), RetryPolicy::presetName(preset));
    m_retry->setCurrentIndex(std::max(0, m_retry->findData(RetryPolicy::presetName(m_running.webhooks.retryPreset))));
    m_port->setRange(0, 65535);
    m_port->setValue(m_running.port);
    m_timeScale->setRange(0.01, 1000);
    m_timeScale->setDecimals(2);
    m_timeScale->setValue(m_running.timeScale);
    m_node->setText(m_running.node);
    m_node->setPlaceholderText(tr("generated"));
    m_seed->setText(m_running.seed ? QString::number(*m_running.seed) : QString());
    m_seed->setPlaceholderText(tr("none (random ids)"));
    engineForm->addRow(tr("Retry preset"), m_retry);
    engineForm->addRow(tr("Port"), m_port);
    engineForm->addRow(tr("Time scale"), m_timeScale);
    engineForm->addRow(tr("Node hash"), m_node);
    engineForm->addRow(tr("Seed"), m_seed);

    auto *deskBox = new QGroupBox(tr("This desktop"), this);
    auto *deskForm = new QFormLayout(deskBox);
    m_dtmf->addItem(QStringLiteral("rfc4733"), int(DtmfMode::Rfc4733));
    m_dtmf->addItem(QStringLiteral("inband"), int(DtmfMode::Inband));
    m_dtmf->setCurrentIndex(std::max(0, m_dtmf->findText(m_desktop.value(QStringLiteral("calls/dtmfMode")).toString())));
    deskForm->addRow(tr("Output device"), m_output);
    deskForm->addRow(tr("Input device"), m_input);
    deskForm->addRow(tr("DTMF mode of new calls"), m_dtmf);
    fillDevices();

    m_error->setObjectName(QStringLiteral("settingsError"));
    m_error->setStyleSheet(QStringLiteral("color: #b00020"));
    m_error->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    connect(m_app, &QComboBox::currentIndexChanged, this, &SettingsDialog::loadApp);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(appBox);
    layout->addWidget(engineBox);
    layout->addWidget(deskBox);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    loadApp(m_app->currentIndex());
}

void SettingsDialog::fillDevices()
{
    const auto fill = [](QComboBox *box, const QList<AudioBackend::Device> &devices, const QByteArray &current) {
        box->clear();
        box->addItem(tr("(none)"), QByteArray());
        for (const AudioBackend::Device &d : devices)
            box->addItem(d.description + (d.isDefault ? tr(" (default)") : QString()), d.id);
        box->setCurrentIndex(std::max(0, box->findData(current)));
    };
    fill(m_output, m_audio.outputs(), m_audio.output());
    fill(m_input, m_audio.inputs(), m_audio.input());
}

void SettingsDialog::loadApp(int index)
{
    const App *app = m_apps.find(m_app->itemData(index).toString());
    if (!app)
        return;
    m_webhookUrl->setText(app->webhookUrl);
    m_webhookSecret->setText(app->webhookSecret);
    m_envelope->setCurrentIndex(std::max(0, m_envelope->findData(int(app->envelope))));
}

QString SettingsDialog::errorText() const
{
    return m_error->text();
}

bool SettingsDialog::apply()
{
    // voicesim's own option parser checks every field, so the messages are the command line's.
    QStringList args{QStringLiteral("voicesim"), QStringLiteral("--headless")};
    const QString url = m_webhookUrl->text().trimmed();
    if (!url.isEmpty())
        args << QStringLiteral("--webhook-url=") + url;
    args << QStringLiteral("--webhook-secret=") + m_webhookSecret->text().trimmed()
         << QStringLiteral("--webhook-retry=") + m_retry->currentData().toString()
         << QStringLiteral("--time-scale=") + QString::number(m_timeScale->value());
    if (!m_node->text().trimmed().isEmpty())
        args << QStringLiteral("--node=") + m_node->text().trimmed();
    if (!m_seed->text().trimmed().isEmpty())
        args << QStringLiteral("--seed=") + m_seed->text().trimmed();
    const SettingsResult parsed = parseSettings(args);
    if (parsed.exitCode >= 0) {
        m_error->setText(parsed.output.trimmed());
        return false;
    }
    m_error->clear();

    // Outputs first: a device that cannot be opened is an error too.
    QString audioError;
    const QByteArray output = m_output->currentData().toByteArray();
    const QByteArray input = m_input->currentData().toByteArray();
    if ((output != m_audio.output() && !m_audio.setOutput(output, &audioError))
        || (input != m_audio.input() && !m_audio.setInput(input, &audioError))) {
        m_error->setText(audioError);
        return false;
    }

    const QString appId = m_app->currentData().toString();
    App &app = m_apps.upsert(appId);
    app.webhookUrl = url;
    app.webhookSecret = m_webhookSecret->text().trimmed();
    app.envelope = EnvelopeShape(m_envelope->currentData().toInt());

    QSettings file(m_iniPath, QSettings::IniFormat);
    const auto put = [&file](const QString &key, const QString &value) {
        if (value.isEmpty())
            file.remove(key);
        else
            file.setValue(key, value);
    };
    if (appId == m_apps.defaultAppId()) {
        put(QStringLiteral("webhook-url"), url);
        put(QStringLiteral("webhook-secret"), app.webhookSecret);
        put(QStringLiteral("envelope"), envelopeShapeName(app.envelope));
    }
    put(QStringLiteral("webhook-retry"), m_retry->currentData().toString());
    put(QStringLiteral("listen"), m_running.listenAddress.toString() + QLatin1Char(':') + QString::number(m_port->value()));
    put(QStringLiteral("time-scale"), QString::number(m_timeScale->value()));
    put(QStringLiteral("node"), m_node->text().trimmed());
    put(QStringLiteral("seed"), m_seed->text().trimmed());
    file.sync();
    m_restartNeeded = m_retry->currentData().toString() != RetryPolicy::presetName(m_running.webhooks.retryPreset)
        || m_port->value() != m_running.port || m_timeScale->value() != m_running.timeScale
        || (!m_node->text().trimmed().isEmpty() && m_node->text().trimmed() != m_running.node)
        || m_seed->text().trimmed() != (m_running.seed ? QString::number(*m_running.seed) : QString());

    m_desktop.setValue(QStringLiteral("audio/output"), output);
    m_desktop.setValue(QStringLiteral("audio/input"), input);
    m_desktop.setValue(QStringLiteral("calls/dtmfMode"), m_dtmf->currentText());
    m_desktop.sync();
    return true;
}

void SettingsDialog::accept()
{
    if (apply())
        QDialog::accept();
}

} // namespace VoiceSim
