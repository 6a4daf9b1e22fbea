// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "eventdata.h"

namespace VoiceSim {

EventData::EventData(std::initializer_list<Field> fields)
    : m_fields(fields)
{
}

void EventData::insert(QLatin1StringView key, const QVariant &value)
{
    for (Field &field : m_fields) {
        if (field.key == key) {
            field.value = value;
            return;
        }
    }
    m_fields.append({key, value});
}

QVariant EventData::value(QLatin1StringView key) const
{
    for (const Field &field : m_fields) {
        if (field.key == key)
            return field.value;
    }
    return {};
}

bool EventData::contains(QLatin1StringView key) const
{
    return std::any_of(m_fields.cbegin(), m_fields.cend(), [key](const Field &f) { return f.key == key; });
}

QJsonObject EventData::toJsonObject() const
{
    QJsonObject out;
    for (const Field &field : m_fields)
        out.insert(field.key, QJsonValue::fromVariant(field.value));
    return out;
}

} // namespace VoiceSim
