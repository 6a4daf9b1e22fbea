// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "mediafetcher.h"

#include <QFile>
#include <QMetaObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace VoiceSim {

MediaFetcher::MediaFetcher(qint64 timeoutMs, qint64 maxBytes, QObject *parent)
    : QObject(parent)
    , m_timeoutMs(timeoutMs)
    , m_maxBytes(maxBytes)
    , m_network(new QNetworkAccessManager(this))
{
    m_network->setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
}

MediaFetcher::~MediaFetcher()
{
    for (auto &pending : m_replies) {
        if (pending.reply) {
            pending.reply->disconnect(this);
            pending.reply->abort();
            pending.reply->deleteLater();
        }
    }
}

quint64 MediaFetcher::get(const QUrl &url, Callback done)
{
    const quint64 id = m_nextId++;
    Pending &pending = m_replies[id];
    pending.done = std::move(done);

    if (url.isLocalFile()) {
        // Local files (the caller's own audio under --media-dir) need no network, but still
        // answer from the event loop like a download.
        Result result;
        QFile file(url.toLocalFile());
        if (!file.open(QIODevice::ReadOnly))
            result.error = QStringLiteral("cannot open ") + url.toLocalFile() + QStringLiteral(": ") + file.errorString();
        else if (file.size() > m_maxBytes)
            result.error = tooLargeError();
        else
            result.data = file.readAll();
        QMetaObject::invokeMethod(this, [this, id, result] { finish(id, result); }, Qt::QueuedConnection);
        return id;
    }

    QNetworkRequest request(url);
    request.setTransferTimeout(int(m_timeoutMs));
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    QNetworkReply *reply = m_network->get(request);
    pending.reply = reply;
    connect(reply, &QNetworkReply::metaDataChanged, this, [this, id, reply] {
        const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
        if (length.isValid() && length.toLongLong() > m_maxBytes) {
            failTooLarge(id, reply);
        }
    });
    connect(reply, &QNetworkReply::readyRead, this, [this, id, reply] {
        auto it = m_replies.find(id);
        if (it == m_replies.end())
            return;
        if (it->data.size() + reply->bytesAvailable() > m_maxBytes) {
            failTooLarge(id, reply);
            return;
        }
        it->data += reply->readAll();
    });
    connect(reply, &QNetworkReply::finished, this, [this, id, reply, url] {
        auto it = m_replies.find(id);
        if (it == m_replies.end())
            return;
        Result result;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->error() == QNetworkReply::OperationCanceledError) {
            result.error = QStringLiteral("fetch timed out after ") + QString::number(m_timeoutMs) + QStringLiteral(" ms");
        } else if (status >= 300) {
            result.error = QStringLiteral("HTTP ") + QString::number(status);
        } else if (reply->error() != QNetworkReply::NoError) {
            result.error = reply->errorString();
        } else {
            result.data = it->data + reply->readAll();
            if (result.data.size() > m_maxBytes) {
                result.data.clear();
                result.error = tooLargeError();
            }
        }
        finish(id, result);
    });
    return id;
}

QString MediaFetcher::tooLargeError() const
{
    constexpr qint64 mib = 1024 * 1024;
    if (m_maxBytes % mib == 0)
        return QStringLiteral("file larger than ") + QString::number(m_maxBytes / mib) + QStringLiteral(" MiB");
    return QStringLiteral("file larger than ") + QString::number(m_maxBytes) + QStringLiteral(" bytes");
}

void MediaFetcher::failTooLarge(quint64 id, QNetworkReply *reply)
{
    reply->disconnect(this);
    reply->abort();
    Result result;
    result.error = tooLargeError();
    finish(id, result);
}

void MediaFetcher::cancel(quint64 id)
{
    auto it = m_replies.find(id);
    if (it == m_replies.end())
        return;
    if (it->reply) {
        it->reply->disconnect(this);
        it->reply->abort();
        it->reply->deleteLater();
    }
    m_replies.erase(it);
    if (m_replies.isEmpty())
        Q_EMIT idle();
}

void MediaFetcher::finish(quint64 id, Result result)
{
    auto it = m_replies.find(id);
    if (it == m_replies.end())
        return;
    Callback done = std::move(it->done);
    if (it->reply)
        it->reply->deleteLater();
    m_replies.erase(it);
    done(result);
    if (m_replies.isEmpty())
        Q_EMIT idle();
}

} // namespace VoiceSim
