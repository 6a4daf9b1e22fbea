// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

namespace VoiceSim {

// A phone's 16-key DTMF pad (1-9, *, 0, #, A-D), by mouse or by the keyboard while it has focus.
class Keypad final : public QWidget
{
    Q_OBJECT
public:
    explicit Keypad(QWidget *parent = nullptr);
    static const QString &keys(); // "123A456B789C*0#D", in the pad's order

Q_SIGNALS:
    void pressed(QChar key);

protected:
    void keyPressEvent(QKeyEvent *event) override;
};

} // namespace VoiceSim
