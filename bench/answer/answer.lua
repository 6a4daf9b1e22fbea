-- SPDX-FileCopyrightText: 2026 The voicesim authors
-- SPDX-License-Identifier: GPL-3.0-or-later
-- wrk script: POST an answer command with the app's headers (set through the environment).
wrk.method = "POST"
wrk.body = "{}"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-App-ID"] = os.getenv("VOICESIM_APP_ID") or "demo-app"
wrk.headers["X-API-Key"] = os.getenv("VOICESIM_API_KEY") or ""
