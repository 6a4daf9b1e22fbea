// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "voicesimprocess.h"

#include "eventwait.h"

#include <QFile>

namespace VoiceSim::Test {

quint16 startVoicesim(QProcess &process, const QString &binary, const QStringList &args, const QString &portFile, int timeoutMs)
{
    QFile::remove(portFile);
    process.start(binary, args + QStringList{QStringLiteral("--port-file"), portFile});
    if (!process.waitForStarted(timeoutMs))
        return 0;
    // The banner's last line comes once listening, with the journal open and resumed.
    QByteArray banner;
    QEventLoop loop;
    const auto read = [&] {
        banner += process.readAllStandardOutput();
        if (banner.contains("Clock:"))
            loop.quit();
    };
    QObject::connect(&process, &QProcess::readyReadStandardOutput, &loop, read);
    QObject::connect(&process, &QProcess::finished, &loop, &QEventLoop::quit);
    read();
    if (!banner.contains("Clock:"))
        runUntilQuit(loop, timeoutMs);
    QFile file(portFile);
    if (!banner.contains("Clock:") || !file.open(QIODevice::ReadOnly))
        return 0;
    return quint16(file.readAll().trimmed().toUInt());
}

} // namespace VoiceSim::Test
