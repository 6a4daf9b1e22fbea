// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "timelinemodel.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QTreeWidget;

namespace VoiceSim {

class WebhookDispatcher;

// The selected timeline row in full: a webhook's body, its signed request headers and every
// attempt's answer (read from the journal when shown), or a command's request and response;
// with redeliver, copy as curl and export of the row's stream.
class DetailPane final : public QWidget
{
    Q_OBJECT
public:
    enum class ExportFormat { Ndjson, Har };

    DetailPane(DeliveryJournal &journal, WebhookDispatcher &dispatcher, QWidget *parent = nullptr);

    void showDelivery(qint64 journalRow);
    void showCommand(const TimelineModel::CommandDetail &command);
    void showNothing();

    qint64 shownDelivery() const { return m_row; }
    int attemptCount() const;
    // The stream's deliveries (at most 100,000) to a file; false with message() on failure.
    bool exportStream(ExportFormat format, const QString &path);
    // The shown delivery's last request as a curl command (empty for none).
    QString curl() const;
    void redeliver();

Q_SIGNALS:
    void message(const QString &text);

private:
    void reload();
    void showAttempt(int index);
    void chooseExport(ExportFormat format);

    DeliveryJournal &m_journal;
    WebhookDispatcher &m_dispatcher;
    qint64 m_row = 0;
    std::optional<JournalEvent> m_event;
    QList<JournalAttempt> m_attempts;

    QLabel *m_title;
    QTabWidget *m_tabs;
    QPlainTextEdit *m_body;
    QPlainTextEdit *m_headers;
    QTreeWidget *m_attemptList;
    QPlainTextEdit *m_response;
    QPushButton *m_redeliver;
    QPushButton *m_copyCurl;
    QPushButton *m_exportNdjson;
    QPushButton *m_exportHar;
};

} // namespace VoiceSim
