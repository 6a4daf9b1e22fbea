// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "keypad.h"

#include <QGridLayout>
#include <QKeyEvent>
#include <QPushButton>

namespace VoiceSim {

const QString &Keypad::keys()
{
    static const QString kKeys = QStringLiteral("123A456B789C*0#D");
    return kKeys;
}

Keypad::Keypad(QWidget *parent)
    : QWidget(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    auto *grid = new QGridLayout(this);
    grid->setSpacing(4);
    for (int i = 0; i < keys().size(); ++i) {
        const QChar key = keys()[i];
        auto *button = new QPushButton(QString(key), this);
        button->setObjectName(QStringLiteral("key_") + (key == u'*' ? QStringLiteral("star") : key == u'#' ? QStringLiteral("hash") : QString(key)));
        button->setFocusPolicy(Qt::NoFocus); // the pad keeps the focus for typed digits
        button->setMinimumSize(44, 36);
        connect(button, &QPushButton::clicked, this, [this, key] { Q_EMIT pressed(key); });
        grid->addWidget(button, i / 4, i % 4);
    }
}

void Keypad::keyPressEvent(QKeyEvent *event)
{
    const QString text = event->text().toUpper();
    if (text.size() == 1 && keys().contains(text[0])) {
        Q_EMIT pressed(text[0]);
        event->accept();
        return;
    }
    QWidget::keyPressEvent(event);
}

} // namespace VoiceSim
