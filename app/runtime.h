// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <channel/simulatedchannels.h>
#include <clock/clock.h>
#include <config/settings.h>
#include <media/mediaengine.h>
#include <service/voicesimservice.h>

#include <memory>

// The running program's parts, built from Settings: the engine clock (real, scaled or virtual),
// the wall clock for transport timeouts, the simulated channels, the media engine and the service.
class Runtime
{
public:
    explicit Runtime(const VoiceSim::Settings &settings);
    ~Runtime();

    VoiceSim::VoiceSimService &service() { return *m_service; }
    VoiceSim::MediaEngine &media() { return *m_media; }
    // Real time whatever the engine's clock: transport timeouts and the desktop's refreshes.
    VoiceSim::Clock &wallClock() { return *m_transportClock; }

private:
    std::unique_ptr<VoiceSim::Clock> m_engineClock;
    std::unique_ptr<VoiceSim::Clock> m_transportClock;
    std::unique_ptr<VoiceSim::SimulatedChannels> m_channels;
    std::unique_ptr<VoiceSim::MediaEngine> m_media;
    std::unique_ptr<VoiceSim::VoiceSimService> m_service;
};
