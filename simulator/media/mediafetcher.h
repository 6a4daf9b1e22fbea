// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QString>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;

namespace VoiceSim {

// Downloads media files (C-PLAYBACK): http, https and file URLs, with a wall-clock timeout and
// a size cap checked while the bytes arrive, so a huge file is never held in memory.
class MediaFetcher final : public QObject
{
    Q_OBJECT
public:
    struct Result
    {
        QByteArray data;
        QString error; // empty on success; names what went wrong
    };
    using Callback = std::function<void(const Result &)>;

    explicit MediaFetcher(qint64 timeoutMs = 10'000, qint64 maxBytes = 50LL * 1024 * 1024, QObject *parent = nullptr);
    ~MediaFetcher() override;

    // Starts a download; done runs once, from the event loop. The id cancels it.
    quint64 get(const QUrl &url, Callback done);
    void cancel(quint64 id);
    int pendingCount() const { return int(m_replies.size()); }

Q_SIGNALS:
    void idle(); // the last pending download finished

private:
    void finish(quint64 id, Result result);
    QString tooLargeError() const;
    void failTooLarge(quint64 id, QNetworkReply *reply);

    qint64 m_timeoutMs;
    qint64 m_maxBytes;
    QNetworkAccessManager *m_network;
    quint64 m_nextId = 1;
    struct Pending
    {
        QNetworkReply *reply = nullptr;
        Callback done;
        QByteArray data;
    };
    QHash<quint64, Pending> m_replies;
};

} // namespace VoiceSim
