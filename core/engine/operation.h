// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace VoiceSim {

// One accepted session command: what command.result reports it by.
struct Operation
{
    QString command;
    QString commandUid;
    QString operationId;
};

} // namespace VoiceSim
