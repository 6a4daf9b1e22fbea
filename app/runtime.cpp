// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "runtime.h"

#include <clock/realclock.h>
#include <clock/virtualclock.h>

using namespace VoiceSim;

namespace {

std::unique_ptr<Clock> makeEngineClock(const Settings &settings)
{
    if (settings.clockMode == Clock::Mode::Virtual)
        return std::make_unique<VirtualClock>(virtualClockStartMs(settings));
    return std::make_unique<RealClock>(settings.timeScale);
}

} // namespace

Runtime::Runtime(const Settings &settings)
    : m_engineClock(makeEngineClock(settings))
    , m_transportClock(std::make_unique<RealClock>())
    , m_channels(std::make_unique<SimulatedChannels>(*m_engineClock, settings.autoAnswerDelayMs))
    , m_media(std::make_unique<MediaEngine>(*m_engineClock, MediaEngine::Options{.seed = settings.seed.value_or(0)}))
    , m_service(std::make_unique<VoiceSimService>(settings, *m_engineClock, *m_transportClock, *m_channels, *m_media))
{
    // C-CLOCK: in virtual time, fetches and webhook attempts under way finish before the clock moves.
    if (auto *virtualClock = qobject_cast<VirtualClock *>(m_engineClock.get()))
        virtualClock->setSettleHook([this] {
            m_media->settle();
            m_service->settleDeliveries();
        });
}

Runtime::~Runtime()
{
    // The service goes first: it holds references to the clocks and channels.
    m_service.reset();
}
