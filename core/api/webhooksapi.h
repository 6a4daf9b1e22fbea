// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "../http/router.h"
#include "../webhooks/deliveryjournal.h"

#include <QJsonObject>

namespace VoiceSim {

class WebhookDispatcher;

// The delivery log under /sim/v1/webhooks (contract §6, C-LOG): listing with filters and
// paging, one delivery with every attempt, redelivery, and exports as NDJSON and HAR 1.2.
class WebhooksApi
{
public:
    WebhooksApi(DeliveryJournal &journal, WebhookDispatcher &dispatcher);

    void registerRoutes(Router &router);

    // The list item of one delivery (contract §6).
    static QJsonObject summaryJson(const JournalEvent &event);
    // The same plus its body and every attempt.
    static QJsonObject detailJson(const JournalEvent &event, const QList<JournalAttempt> &attempts);
    // A HAR 1.2 document of these deliveries, one entry per attempt.
    static QJsonObject har(const QList<QPair<JournalEvent, QList<JournalAttempt>>> &deliveries);
    // The export documents of these deliveries, their attempts read from the journal.
    static QByteArray ndjson(DeliveryJournal &journal, const QList<JournalEvent> &events);
    static QByteArray harDocument(DeliveryJournal &journal, const QList<JournalEvent> &events);

    static constexpr int kMaxPage = 1000;
    static constexpr int kMaxExport = 100'000;

private:
    HttpResponse list(const HttpRequest &request);
    HttpResponse detail(const QString &id);
    HttpResponse redeliver(const QString &id);
    HttpResponse exportLog(const HttpRequest &request);

    DeliveryJournal &m_journal;
    WebhookDispatcher &m_dispatcher;
};

} // namespace VoiceSim
