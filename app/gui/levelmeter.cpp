// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "levelmeter.h"

#include <QPainter>

#include <algorithm>
#include <cmath>

namespace VoiceSim {

int meterFill(double levelDb, int width)
{
    const double fraction = std::clamp((levelDb + 60.0) / 60.0, 0.0, 1.0);
    return int(std::lround(fraction * width));
}

LevelMeter::LevelMeter(QWidget *parent)
    : QWidget(parent)
{
    setMinimumSize(60, 10);
}

void LevelMeter::setLevel(double levelDb)
{
    if (std::abs(levelDb - m_level) < 0.5)
        return;
    m_level = levelDb;
    update();
}

void LevelMeter::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    const QRect r = rect().adjusted(0, 0, -1, -1);
    p.fillRect(r, palette().base());
    const int fill = meterFill(m_level, r.width());
    const QColor colour = m_level > -3.0 ? QColor(0xd9, 0x3b, 0x3b) : m_level > -12.0 ? QColor(0xe0, 0xa8, 0x2e) : QColor(0x3c, 0xa8, 0x4c);
    p.fillRect(QRect(r.left(), r.top(), fill, r.height()), colour);
    p.setPen(palette().mid().color());
    p.drawRect(r);
}

} // namespace VoiceSim
