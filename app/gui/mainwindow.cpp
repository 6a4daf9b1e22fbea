// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include <service/voicesimservice.h>

#include <QFormLayout>
#include <QLineEdit>
#include <QStatusBar>
#include <QWidget>

MainWindow::MainWindow(VoiceSim::VoiceSimService &service, QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(QStringLiteral("voicesim"));
    auto *central = new QWidget(this);
    auto *form = new QFormLayout(central);
    const auto addField = [&](const QString &label, const QString &value) {
        auto *field = new QLineEdit(value, central);
        field->setReadOnly(true); // selectable and copyable, never edited here
        field->setMinimumWidth(420);
        form->addRow(label, field);
    };
    const VoiceSim::App &app = service.defaultApp();
    addField(tr("API base URL"), service.baseUrl() + QStringLiteral("/api/v1"));
    addField(tr("App id"), app.id);
    addField(tr("API key"), app.apiKey);
    addField(tr("Admin key"), service.adminKey());
    addField(tr("Webhook URL"), app.webhookUrl.isEmpty() ? tr("(none)") : app.webhookUrl);
    addField(tr("Webhook secret"), app.webhookSecret);
    setCentralWidget(central);
    statusBar()->showMessage(tr("Listening on %1").arg(service.baseUrl()));
}
