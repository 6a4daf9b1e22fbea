// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "../clock/clock.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPair>
#include <QUrl>

#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

namespace VoiceSim {

// One webhook attempt as it goes on the wire.
struct WebhookRequest
{
    QUrl url; // http or https
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    qint64 timeoutMs = 10'000; // C-HTTP: the attempt timeout, on the client's clock
    // The header lines as sent (requestHead()); filled in by whoever needs them too, so they
    // are built once per attempt. Empty: the client builds them.
    QByteArray head;
};

// What came back, or why nothing did.
struct WebhookResponse
{
    enum class Outcome { Response, Timeout, ConnectionError, ProtocolError };
    Outcome outcome = Outcome::ConnectionError;
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;            // at most bodyCap bytes (C-LOG: 64 KiB)
    bool bodyTruncated = false;
    qint64 latencyMs = 0;       // request written → response complete (or failure)
    QString error;              // empty for a response

    QByteArray header(QByteArrayView name) const;
};

// An HTTP/1.1 client for webhook delivery: every attempt is exactly one request on the wire and
// is never re-sent on its own (unlike QNetworkAccessManager), connections are kept alive per
// host and port without a cap (the dispatcher bounds what is in flight), responses are parsed
// with Boost.Beast and their bodies kept up to a cap. Timeouts run on the injected clock.
class WebhookClient final : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const WebhookResponse &)>;

    explicit WebhookClient(Clock &clock, qsizetype bodyCap = 64 * 1024, QObject *parent = nullptr);
    ~WebhookClient() override;

    // Starts an attempt; done runs once, never from inside send(). The id cancels it.
    quint64 send(const WebhookRequest &request, Callback done);
    void cancel(quint64 id);
    // The header lines of a request exactly as they go on the wire ("Name: value\r\n" each),
    // so the delivery log shows what the receiver got.
    static QByteArray requestHead(const WebhookRequest &request);

    int inFlight() const { return int(m_attempts.size()); }
    int idleConnections() const;
    quint64 connectionsOpened() const { return m_connectionsOpened; }

private:
    struct Connection;
    struct Attempt;

    void start(quint64 id);
    // Removes an attempt and its timer; nullptr when it is not in flight.
    std::unique_ptr<Attempt> take(quint64 id);
    void onReadable(Connection *connection);
    void fail(quint64 id, WebhookResponse::Outcome outcome, const QString &error);
    void complete(quint64 id, WebhookResponse response, bool keepAlive);
    void release(std::unique_ptr<Connection> connection, bool keepAlive);
    std::unique_ptr<Connection> takeIdle(const QString &key);

    Clock &m_clock;
    qsizetype m_bodyCap;
    quint64 m_nextId = 1;
    quint64 m_connectionsOpened = 0;
    std::unordered_map<quint64, std::unique_ptr<Attempt>> m_attempts;
    std::unordered_map<QString, std::vector<std::unique_ptr<Connection>>> m_idle; // "scheme://host:port"
};

} // namespace VoiceSim
