// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLineF>
#include <QList>
#include <QRectF>
#include <QString>

namespace VoiceSim {

// The geometry of a call-flow ladder, apart from painting: lanes left to right, one arrow per
// step in time order, each on its own row.
class CallFlowLayout
{
public:
    enum class Lane { Caller, Voicesim, App, Receiver };
    static constexpr int kLanes = 4;
    struct Step
    {
        qint64 atMs = 0;
        Lane from = Lane::App;
        Lane to = Lane::Voicesim;
        QString label;
        bool failed = false; // an error answer or a delivery that did not succeed
    };
    struct Arrow
    {
        QLineF line;      // from the source lane to the target lane
        QRectF labelRect; // above the line, between the lanes
        QRectF timeRect;  // at the left margin
    };

    static constexpr qreal kHeader = 28;
    static constexpr qreal kRow = 30;
    static constexpr qreal kTimeWidth = 90;

    // x of a lane's line in a view of this width.
    static qreal laneX(Lane lane, qreal width);
    static QList<Arrow> arrange(const QList<Step> &steps, qreal width);
    static qreal height(qsizetype steps) { return kHeader + kRow * qreal(steps) + kRow / 2; }
    static QString laneName(Lane lane);
};

} // namespace VoiceSim
