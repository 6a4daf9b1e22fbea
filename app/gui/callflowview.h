// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "callflowlayout.h"

#include <QWidget>

namespace VoiceSim {

// Paints one call's ladder diagram (CallFlowLayout) inside a scroll area.
class CallFlowView final : public QWidget
{
    Q_OBJECT
public:
    explicit CallFlowView(QWidget *parent = nullptr);
    void setSteps(const QList<CallFlowLayout::Step> &steps);
    const QList<CallFlowLayout::Step> &steps() const { return m_steps; }
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QList<CallFlowLayout::Step> m_steps;
};

} // namespace VoiceSim
