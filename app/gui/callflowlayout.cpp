// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "callflowlayout.h"

#include <QCoreApplication>

#include <algorithm>

namespace VoiceSim {

qreal CallFlowLayout::laneX(Lane lane, qreal width)
{
    // Lanes share the width right of the time column, each in the middle of its share.
    const qreal share = std::max<qreal>(width - kTimeWidth, kLanes * 60) / kLanes;
    return kTimeWidth + share * (qreal(int(lane)) + 0.5);
}

QList<CallFlowLayout::Arrow> CallFlowLayout::arrange(const QList<Step> &steps, qreal width)
{
    QList<Arrow> out;
    out.reserve(steps.size());
    for (qsizetype i = 0; i < steps.size(); ++i) {
        const Step &s = steps[i];
        const qreal y = kHeader + kRow * qreal(i) + kRow * 0.75;
        const qreal x1 = laneX(s.from, width);
        const qreal x2 = laneX(s.to, width);
        const qreal left = std::min(x1, x2);
        const qreal span = std::max<qreal>(std::abs(x2 - x1), 40);
        out.append({QLineF(x1, y, x2, y), QRectF(left, y - kRow * 0.6, span, kRow * 0.55),
                    QRectF(0, y - kRow * 0.6, kTimeWidth - 6, kRow * 0.6)});
    }
    return out;
}

QString CallFlowLayout::laneName(Lane lane)
{
    switch (lane) {
    case Lane::Caller: return QCoreApplication::translate("CallFlowLayout", "Caller");
    case Lane::Voicesim: return QCoreApplication::translate("CallFlowLayout", "voicesim");
    case Lane::App: return QCoreApplication::translate("CallFlowLayout", "App (API)");
    case Lane::Receiver: return QCoreApplication::translate("CallFlowLayout", "Webhook receiver");
    }
    return {};
}

} // namespace VoiceSim
