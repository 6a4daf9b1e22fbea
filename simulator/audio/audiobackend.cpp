// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "audiobackend.h"

namespace VoiceSim {

bool NullAudioBackend::setOutput(const QByteArray &id, QString *error)
{
    if (id.isEmpty())
        return true;
    if (error)
        *error = tr("no audio output device %1: this machine has no sound devices").arg(QString::fromUtf8(id));
    return false;
}

bool NullAudioBackend::setInput(const QByteArray &id, QString *error)
{
    if (id.isEmpty())
        return true;
    if (error)
        *error = tr("no audio input device %1: this machine has no sound devices").arg(QString::fromUtf8(id));
    return false;
}

} // namespace VoiceSim
