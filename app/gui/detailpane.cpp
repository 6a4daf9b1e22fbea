// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "detailpane.h"

#include "curlcommand.h"

#include <api/webhooksapi.h>
#include <webhooks/webhookdispatcher.h>

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QTabWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace VoiceSim {

namespace {

QString pretty(const QByteArray &body)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || doc.isNull())
        return QString::fromUtf8(body);
    return QString::fromUtf8(doc.toJson(QJsonDocument::Indented));
}

QPlainTextEdit *textView(QWidget *parent)
{
    auto *view = new QPlainTextEdit(parent);
    view->setReadOnly(true);
    view->setLineWrapMode(QPlainTextEdit::NoWrap);
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    view->setFont(mono);
    return view;
}

QString time(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("HH:mm:ss.zzz"));
}

} // namespace

DetailPane::DetailPane(DeliveryJournal &journal, WebhookDispatcher &dispatcher, QWidget *parent)
    : QWidget(parent)
    , m_journal(journal)
    , m_dispatcher(dispatcher)
    , m_title(new QLabel(this))
    , m_tabs(new QTabWidget(this))
    , m_body(textView(this))
    , m_headers(textView(this))
    , m_attemptList(new QTreeWidget(this))
    , m_response(textView(this))
    , m_redeliver(new QPushButton(tr("Redeliver"), this))
    , m_copyCurl(new QPushButton(tr("Copy as curl"), this))
    , m_exportNdjson(new QPushButton(tr("Export NDJSON…"), this))
    , m_exportHar(new QPushButton(tr("Export HAR…"), this))
{
    setObjectName(QStringLiteral("detailPane"));
    m_redeliver->setObjectName(QStringLiteral("redeliver"));
    m_copyCurl->setObjectName(QStringLiteral("copyCurl"));
    m_attemptList->setObjectName(QStringLiteral("attempts"));
    m_tabs->setObjectName(QStringLiteral("detailTabs"));
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_attemptList->setHeaderLabels({tr("#"), tr("Time"), tr("HTTP"), tr("Latency"), tr("Error"), tr("Fault")});
    m_attemptList->setRootIsDecorated(false);

    auto *attempts = new QSplitter(Qt::Vertical, this);
    attempts->addWidget(m_attemptList);
    attempts->addWidget(m_response);
    m_tabs->addTab(m_body, tr("Body"));
    m_tabs->addTab(m_headers, tr("Request headers"));
    m_tabs->addTab(attempts, tr("Attempts"));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_redeliver);
    buttons->addWidget(m_copyCurl);
    buttons->addStretch();
    buttons->addWidget(m_exportNdjson);
    buttons->addWidget(m_exportHar);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_tabs, 1);
    layout->addLayout(buttons);

    connect(m_redeliver, &QPushButton::clicked, this, &DetailPane::redeliver);
    connect(m_copyCurl, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(curl());
        Q_EMIT message(tr("Copied the request as a curl command"));
    });
    connect(m_exportNdjson, &QPushButton::clicked, this, [this] { chooseExport(ExportFormat::Ndjson); });
    connect(m_exportHar, &QPushButton::clicked, this, [this] { chooseExport(ExportFormat::Har); });
    connect(m_attemptList, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        showAttempt(item ? m_attemptList->indexOfTopLevelItem(item) : -1);
    });
    // A new attempt of the shown delivery (a retry or a redelivery) shows at once.
    connect(&m_dispatcher, &WebhookDispatcher::attemptFinished, this,
            [this](const JournalEvent &event, const JournalAttempt &) {
                if (event.row == m_row)
                    reload();
            });
    showNothing();
}

void DetailPane::showNothing()
{
    m_row = 0;
    m_event.reset();
    m_attempts.clear();
    m_title->setText(tr("Select a row of the timeline to see it in full."));
    m_body->clear();
    m_headers->clear();
    m_attemptList->clear();
    m_response->clear();
    for (QPushButton *b : {m_redeliver, m_copyCurl, m_exportNdjson, m_exportHar})
        b->setEnabled(false);
}

void DetailPane::showDelivery(qint64 journalRow)
{
    m_row = journalRow;
    reload();
}

void DetailPane::reload()
{
    m_event = m_journal.event(m_row);
    if (!m_event) {
        showNothing();
        return;
    }
    m_attempts = m_journal.attempts(m_row);
    const JournalEvent &e = *m_event;
    m_title->setText(tr("<b>%1</b> #%2 of %3 &nbsp; %4 &nbsp; <i>%5</i>, %n attempt(s)", nullptr, e.attemptCount)
                         .arg(e.type)
                         .arg(e.sequence)
                         .arg(e.streamId, e.id, deliveryStatusName(e.status)));
    m_body->setPlainText(pretty(e.body));
    m_headers->setPlainText(m_attempts.isEmpty() ? tr("(not sent yet)")
                                                 : QString::fromUtf8(m_attempts.constLast().requestHeaders));
    m_attemptList->clear();
    for (qsizetype i = 0; i < m_attempts.size(); ++i) {
        const JournalAttempt &a = m_attempts[i];
        m_attemptList->addTopLevelItem(new QTreeWidgetItem(
            {QString::number(i + 1), time(a.atMs), a.statusCode ? QString::number(a.statusCode) : tr("none"),
             tr("%1 ms").arg(a.latencyMs), a.error, a.fault}));
    }
    if (!m_attempts.isEmpty())
        m_attemptList->setCurrentItem(m_attemptList->topLevelItem(int(m_attempts.size()) - 1));
    else
        m_response->clear();
    m_redeliver->setEnabled(true);
    m_copyCurl->setEnabled(!m_attempts.isEmpty());
    m_exportNdjson->setEnabled(true);
    m_exportHar->setEnabled(true);
}

void DetailPane::showAttempt(int index)
{
    if (index < 0 || index >= m_attempts.size()) {
        m_response->clear();
        return;
    }
    const JournalAttempt &a = m_attempts[index];
    QString text = a.url + QLatin1Char('\n');
    if (a.statusCode)
        text += QStringLiteral("HTTP %1\n").arg(a.statusCode) + QString::fromUtf8(a.responseHeaders) + QLatin1Char('\n')
            + pretty(a.responseBody);
    else
        text += tr("No answer: %1").arg(a.error);
    m_response->setPlainText(text);
}

void DetailPane::showCommand(const TimelineModel::CommandDetail &command)
{
    showNothing();
    m_title->setText(tr("<b>%1 %2</b> &nbsp; HTTP %3 &nbsp; %4, handled in %5 ms")
                         .arg(QString::fromLatin1(command.method), QString::fromUtf8(command.path).toHtmlEscaped())
                         .arg(command.status)
                         .arg(time(command.atMs))
                         .arg(command.durationUs / 1000.0, 0, 'f', 2));
    m_body->setPlainText(command.requestBody.isEmpty() ? tr("(no body)") : pretty(command.requestBody));
    m_headers->setPlainText(tr("Response:\n") + pretty(command.responseBody));
}

int DetailPane::attemptCount() const
{
    return int(m_attempts.size());
}

QString DetailPane::curl() const
{
    if (!m_event || m_attempts.isEmpty())
        return {};
    const JournalAttempt &last = m_attempts.constLast();
    return curlCommand(last.url, last.requestHeaders, m_event->body);
}

void DetailPane::redeliver()
{
    if (!m_event)
        return;
    switch (m_dispatcher.redeliver(m_event->id)) {
    case WebhookDispatcher::Redelivery::Started:
        Q_EMIT message(tr("Redelivering %1").arg(m_event->id));
        break;
    case WebhookDispatcher::Redelivery::NotFound:
        Q_EMIT message(tr("No webhook %1 in the journal").arg(m_event->id));
        break;
    case WebhookDispatcher::Redelivery::InProgress:
        Q_EMIT message(tr("%1 is still being delivered; redeliver it once it is delivered or dead").arg(m_event->id));
        break;
    case WebhookDispatcher::Redelivery::NoUrl:
        Q_EMIT message(tr("The app has no webhook URL; set one in Settings"));
        break;
    }
}

void DetailPane::chooseExport(ExportFormat format)
{
    const bool har = format == ExportFormat::Har;
    const QString path = QFileDialog::getSaveFileName(
        this, har ? tr("Export HAR") : tr("Export NDJSON"),
        m_event ? m_event->streamId + (har ? QStringLiteral(".har") : QStringLiteral(".ndjson")) : QString(),
        har ? tr("HAR (*.har *.json)") : tr("NDJSON (*.ndjson *.jsonl)"));
    if (!path.isEmpty())
        exportStream(format, path);
}

bool DetailPane::exportStream(ExportFormat format, const QString &path)
{
    if (!m_event)
        return false;
    DeliveryJournal::Filter filter;
    (m_event->kind == StreamKind::Room ? filter.roomId : filter.sessionUuid) = m_event->streamId;
    filter.limit = 100'000;
    const QList<JournalEvent> events = m_journal.list(filter);
    const QByteArray bytes = format == ExportFormat::Har ? WebhooksApi::harDocument(m_journal, events)
                                                         : WebhooksApi::ndjson(m_journal, events);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        Q_EMIT message(tr("Cannot write %1: %2").arg(path, file.errorString()));
        return false;
    }
    Q_EMIT message(tr("Exported %n webhook(s) of %1 to %2", nullptr, int(events.size())).arg(m_event->streamId, path));
    return true;
}

} // namespace VoiceSim
