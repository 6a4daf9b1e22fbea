// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

namespace VoiceSim {

// How much of a meter of `width` pixels a level fills: -60 dBFS and below none, 0 dBFS all.
int meterFill(double levelDb, int width);

// A horizontal peak meter for one audio direction.
class LevelMeter final : public QWidget
{
    Q_OBJECT
public:
    explicit LevelMeter(QWidget *parent = nullptr);
    void setLevel(double levelDb);
    QSize sizeHint() const override { return {120, 12}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    double m_level = -100.0;
};

} // namespace VoiceSim
