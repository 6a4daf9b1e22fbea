// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMainWindow>

namespace VoiceSim {
class VoiceSimService;
}

// The desktop window. For now it shows what a developer needs to point an app at voicesim;
// calls, timeline and devices arrive with issue #5.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(VoiceSim::VoiceSimService &service, QWidget *parent = nullptr);
};
