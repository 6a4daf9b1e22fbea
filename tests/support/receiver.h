// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPair>
#include <QTcpServer>

#include <deque>
#include <functional>

class QTcpSocket;

namespace VoiceSim {
class Clock;
}

namespace VoiceSim::Test {

// A webhook receiver on 127.0.0.1:0 for the delivery tests: reads whole HTTP/1.1 requests and
// does, for each, a scripted thing (answer, hang, reset, close half-way, answer slowly), and
// records every request as it arrived, stamped with the engine clock's time.
class Receiver : public QObject
{
    Q_OBJECT
public:
    enum class Action { Answer, Hang, Reset, CloseAfterHalf, Slow };
    struct Step
    {
        Action action = Action::Answer;
        QByteArray bytes;  // the raw answer (its first half for CloseAfterHalf)
        int delayMs = 0;   // Slow: wall time before the answer
    };
    struct Request
    {
        QByteArray raw; // the whole request as received
        QByteArray method;
        QByteArray target;
        QList<QPair<QByteArray, QByteArray>> headers; // in order, as sent
        QByteArray body;
        qint64 atMs = -1; // the engine clock's nowMs() on arrival, when a clock is set

        QByteArray header(QByteArrayView name) const;
        QJsonObject json() const;
    };

    explicit Receiver(Clock *clock = nullptr);
    ~Receiver() override;
    void setClock(Clock *clock) { m_clock = clock; }

    QString url(const QString &path = QStringLiteral("/hooks")) const;
    static QByteArray answer(int status, const QByteArray &extraHeaders = {}, const QByteArray &body = {});

    // Steps used in order, one per request; once they run out, respond() decides (default: 200).
    void script(Action action, const QByteArray &bytes = {}, int delayMs = 0);
    std::function<Step(const Request &)> respond;
    std::function<void(const Request &)> onRequest;

    // Waits (wall time, bounded) until at least count requests have arrived.
    bool waitForRequests(qsizetype count, int timeoutMs = 5000);
    void stopListening() { m_server.close(); }

    int connections = 0;
    QList<Request> requests;

Q_SIGNALS:
    void received();

private:
    void onData(QTcpSocket *socket);
    void perform(QTcpSocket *socket, const Step &step);

    Clock *m_clock;
    QTcpServer m_server;
    std::deque<Step> m_steps;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

} // namespace VoiceSim::Test
