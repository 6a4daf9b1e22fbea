// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "callflowview.h"

#include <QDateTime>
#include <QPainter>
#include <QPainterPath>

namespace VoiceSim {

CallFlowView::CallFlowView(QWidget *parent)
    : QWidget(parent)
{
    setMinimumWidth(480);
}

void CallFlowView::setSteps(const QList<CallFlowLayout::Step> &steps)
{
    m_steps = steps;
    setMinimumHeight(int(CallFlowLayout::height(steps.size())));
    updateGeometry();
    update();
}

QSize CallFlowView::sizeHint() const
{
    return {640, int(CallFlowLayout::height(m_steps.size()))};
}

void CallFlowView::paintEvent(QPaintEvent *)
{
    using L = CallFlowLayout;
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(rect(), palette().base());
    const qreal w = width();
    const QColor laneColour = palette().mid().color();
    for (int i = 0; i < L::kLanes; ++i) {
        const auto lane = L::Lane(i);
        const qreal x = L::laneX(lane, w);
        p.setPen(palette().text().color());
        QFont bold = font();
        bold.setBold(true);
        p.setFont(bold);
        p.drawText(QRectF(x - 80, 4, 160, L::kHeader - 8), Qt::AlignCenter, L::laneName(lane));
        p.setPen(QPen(laneColour, 1, Qt::DashLine));
        p.drawLine(QPointF(x, L::kHeader), QPointF(x, height()));
    }
    p.setFont(font());
    const QList<L::Arrow> arrows = L::arrange(m_steps, w);
    for (qsizetype i = 0; i < arrows.size(); ++i) {
        const L::Arrow &a = arrows[i];
        const L::Step &s = m_steps[i];
        const QColor colour = s.failed ? QColor(0xc0, 0x39, 0x2b)
            : s.to == L::Lane::Receiver ? QColor(0x2e, 0x7d, 0x32)
            : s.from == L::Lane::Caller ? QColor(0x6a, 0x1b, 0x9a)
                                        : QColor(0x15, 0x65, 0xc0);
        p.setPen(QPen(colour, 1.6));
        p.drawLine(a.line);
        // The arrow head at the target.
        const qreal dir = a.line.x2() >= a.line.x1() ? 1 : -1;
        QPainterPath head;
        head.moveTo(a.line.p2());
        head.lineTo(a.line.x2() - dir * 8, a.line.y2() - 4);
        head.lineTo(a.line.x2() - dir * 8, a.line.y2() + 4);
        head.closeSubpath();
        p.fillPath(head, colour);
        p.drawText(a.labelRect, Qt::AlignHCenter | Qt::AlignBottom,
                   p.fontMetrics().elidedText(s.label, Qt::ElideMiddle, int(a.labelRect.width())));
        p.setPen(palette().text().color());
        p.drawText(a.timeRect, Qt::AlignRight | Qt::AlignBottom,
                   QDateTime::fromMSecsSinceEpoch(s.atMs).toString(QStringLiteral("HH:mm:ss.zzz")));
    }
}

} // namespace VoiceSim
