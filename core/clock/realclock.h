// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "clock.h"

#include <QElapsedTimer>
#include <QTimer>

namespace VoiceSim {

// Wall-time clock, optionally running timeScale times faster than real time.
class RealClock final : public Clock
{
    Q_OBJECT
public:
    explicit RealClock(double timeScale = 1.0, QObject *parent = nullptr);

    Mode mode() const override { return Mode::Real; }
    qint64 nowMs() const override;
    double timeScale() const { return m_scale; }

protected:
    void rearm() override;

private:
    double m_scale;
    QElapsedTimer m_elapsed;
    QTimer m_timer;
    qint64 m_armedFor = -1; // the deadline the QTimer is set for, -1 when stopped
};

} // namespace VoiceSim
