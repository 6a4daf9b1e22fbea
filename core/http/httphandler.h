// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "httprequest.h"
#include "httpresponse.h"

namespace VoiceSim {

// The seam between transport and application: a request goes in, a response comes out.
class HttpHandler
{
public:
    virtual ~HttpHandler() = default;
    virtual HttpResponse handle(const HttpRequest &request) = 0;
};

} // namespace VoiceSim
