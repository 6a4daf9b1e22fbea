// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// Validates a HAR file against the HAR 1.2 schema with the har-validator package. Prints
// "valid", or the schema errors and exits 1.
'use strict';
const fs = require('fs');
const validate = require('har-validator');

const har = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
validate.har(har).then(
    () => process.stdout.write('valid'),
    (error) => {
        process.stdout.write(JSON.stringify(error.errors || String(error), null, 1));
        process.exit(1);
    });
