// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// Verifies webhook requests with the standardwebhooks package, an implementation independent
// of voicesim's. Input (a JSON file): [{"secret", "headers": {name: value}, "body"}]. Output
// (stdout, JSON): one entry per request, "ok" or the library's error message.
'use strict';
const fs = require('fs');
const { Webhook } = require('standardwebhooks');

const requests = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const results = requests.map(({ secret, headers, body }) => {
    try {
        new Webhook(secret).verify(body, headers);
        return 'ok';
    } catch (error) {
        return String(error.message);
    }
});
process.stdout.write(JSON.stringify(results));
