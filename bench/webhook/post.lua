-- SPDX-FileCopyrightText: 2026 The voicesim authors
-- SPDX-License-Identifier: GPL-3.0-or-later
-- The same request clientbench sends.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["User-Agent"] = "voicesim/bench"
wrk.headers["webhook-id"] = "evt_3f2b9c1e-8d4a-4e6b-9a7c-1b2d3e4f5a6b"
wrk.headers["webhook-timestamp"] = "1767225600"
wrk.headers["webhook-signature"] = "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="
wrk.body = '{"event":"call.answered","session_uuid":"acW68-1b2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f","sequence":2,"data":{"command_uid":"c1","success":true}}'
