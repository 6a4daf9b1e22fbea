// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QLatin1StringView>
#include <QList>
#include <QVariant>

#include <initializer_list>

namespace VoiceSim {

// The fields of one event, kept as typed values and turned into JSON only when someone reads
// the event: building a Qt JSON or CBOR object costs about 15x more than this list, on every
// command (bench/answer). Keys must be string literals (they are not copied).
class EventData
{
public:
    struct Field
    {
        QLatin1StringView key;
        QVariant value;
    };

    EventData() = default;
    EventData(std::initializer_list<Field> fields);

    // Adds a field, or replaces the value of an existing key.
    void insert(QLatin1StringView key, const QVariant &value);
    QVariant value(QLatin1StringView key) const;
    bool contains(QLatin1StringView key) const;
    bool isEmpty() const { return m_fields.isEmpty(); }
    qsizetype size() const { return m_fields.size(); }
    const QList<Field> &fields() const { return m_fields; }

    QJsonObject toJsonObject() const;

private:
    QList<Field> m_fields;
};

} // namespace VoiceSim
