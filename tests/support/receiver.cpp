// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "receiver.h"

#include "eventwait.h"

#include <clock/clock.h>

#include <QJsonDocument>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

namespace VoiceSim::Test {

QByteArray Receiver::Request::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers)
        if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

QJsonObject Receiver::Request::json() const
{
    return QJsonDocument::fromJson(body).object();
}

Receiver::Receiver(Clock *clock)
    : m_clock(clock)
{
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            ++connections;
            m_buffers[socket] = {};
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onData(socket); });
            connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
                m_buffers.remove(socket);
                socket->deleteLater();
            });
        }
    });
    m_server.listen(QHostAddress::LocalHost, 0);
}

Receiver::~Receiver()
{
    // The server deletes its sockets after this body; they must not call back into a half-gone receiver.
    const QList<QTcpSocket *> sockets = m_buffers.keys();
    for (QTcpSocket *socket : sockets)
        socket->disconnect(this);
}

QString Receiver::url(const QString &path) const
{
    return QStringLiteral("http://127.0.0.1:") + QString::number(m_server.serverPort()) + path;
}

QByteArray Receiver::answer(int status, const QByteArray &extraHeaders, const QByteArray &body)
{
    return "HTTP/1.1 " + QByteArray::number(status) + " Scripted\r\n" + extraHeaders + "Content-Length: "
        + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

void Receiver::script(Action action, const QByteArray &bytes, int delayMs)
{
    m_steps.push_back({action, bytes, delayMs});
}

bool Receiver::waitForRequests(qsizetype count, int timeoutMs)
{
    if (requests.size() >= count)
        return true;
    QEventLoop loop;
    connect(this, &Receiver::received, &loop, [this, count, &loop] {
        if (requests.size() >= count)
            loop.quit();
    });
    return runUntilQuit(loop, timeoutMs);
}

void Receiver::onData(QTcpSocket *socket)
{
    QByteArray &buffer = m_buffers[socket];
    buffer += socket->readAll();
    for (;;) {
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        Request request;
        qsizetype length = 0;
        const QList<QByteArray> lines = buffer.left(end).split('\n');
        const QList<QByteArray> start = lines.value(0).trimmed().split(' ');
        request.method = start.value(0);
        request.target = start.value(1);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            request.headers.append({line.left(colon), line.mid(colon + 1).trimmed()});
            if (line.left(colon).toLower() == "content-length")
                length = line.mid(colon + 1).trimmed().toLongLong();
        }
        if (buffer.size() < end + 4 + length)
            return;
        request.raw = buffer.left(end + 4 + length);
        request.body = buffer.mid(end + 4, length);
        buffer.remove(0, end + 4 + length);
        if (m_clock)
            request.atMs = m_clock->nowMs();
        Step step{Action::Answer, answer(200, {}, "ok"), 0};
        if (!m_steps.empty()) {
            step = m_steps.front();
            m_steps.pop_front();
        } else if (respond) {
            step = respond(request);
        }
        requests.append(request);
        if (onRequest)
            onRequest(request);
        Q_EMIT received();
        perform(socket, step);
        if (step.action == Action::Reset || step.action == Action::CloseAfterHalf)
            return;
    }
}

void Receiver::perform(QTcpSocket *socket, const Step &step)
{
    switch (step.action) {
    case Action::Answer:
        socket->write(step.bytes);
        break;
    case Action::Hang:
        break;
    case Action::Reset:
        socket->abort();
        break;
    case Action::CloseAfterHalf:
        socket->write(step.bytes);
        socket->disconnectFromHost();
        break;
    case Action::Slow: {
        QPointer<QTcpSocket> guarded(socket);
        QTimer::singleShot(step.delayMs, this, [guarded, bytes = step.bytes] {
            if (guarded)
                guarded->write(bytes);
        });
        break;
    }
    }
}

} // namespace VoiceSim::Test
