# SPDX-FileCopyrightText: 2026 The voicesim authors
# SPDX-License-Identifier: GPL-3.0-or-later
# One INTERFACE target carries warnings, sanitizers and Qt defines for every voicesim target.
add_library(voicesim_options INTERFACE)
add_library(VoiceSim::Options ALIAS voicesim_options)

target_compile_options(voicesim_options INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
    -Woverloaded-virtual -Wimplicit-fallthrough)
if(VOICESIM_WERROR)
    target_compile_options(voicesim_options INTERFACE -Werror)
endif()
if(VOICESIM_SANITIZE)
    target_compile_options(voicesim_options INTERFACE
        -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(voicesim_options INTERFACE -fsanitize=address,undefined)
endif()

target_compile_definitions(voicesim_options INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_URL_CAST_FROM_STRING
    QT_USE_QSTRINGBUILDER
    QT_NO_FOREACH
    QT_NO_KEYWORDS
    QT_STRICT_ITERATORS
    QT_DISABLE_DEPRECATED_UP_TO=0x060400
    VOICESIM_VERSION="${PROJECT_VERSION}")
