// SPDX-FileCopyrightText: 2026 The voicesim authors
// SPDX-License-Identifier: GPL-3.0-or-later
// The two limit mechanisms on the engine clock: the fixed global window (C-GLOBAL-RL) and the
// per-scope cooldown groups (spec §4.2) that media commands plug into.
#include <clock/virtualclock.h>
#include <engine/appregistry.h>
#include <engine/cooldowns.h>
#include <engine/ratelimiter.h>

#include <QTest>

using namespace VoiceSim;

class TestRateLimits : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fixedWindowAllowsTheLimitThenReportsTheWait()
    {
        VirtualClock clock(0);
        RateLimiter limiter(clock);
        clock.advance(250);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(limiter.hit(QStringLiteral("app"), QHostAddress::LocalHost, 3), 0);
        QCOMPARE(limiter.hit(QStringLiteral("app"), QHostAddress::LocalHost, 3), 750);
        QCOMPARE(limiter.hit(QStringLiteral("other"), QHostAddress::LocalHost, 3), 0);
        QCOMPARE(limiter.hit(QStringLiteral("app"), QHostAddress(QStringLiteral("127.0.0.2")), 3), 0); // per client address
        clock.advance(750);
        QCOMPARE(limiter.hit(QStringLiteral("app"), QHostAddress::LocalHost, 3), 0);
    }

    void keysCompareExactly()
    {
        QVERIFY(AppRegistry::keyMatches(QStringLiteral("key_abc"), "key_abc"));
        QVERIFY(!AppRegistry::keyMatches(QStringLiteral("key_abc"), "key_abd"));
        QVERIFY(!AppRegistry::keyMatches(QStringLiteral("key_abc"), "key_ab"));
        QVERIFY(!AppRegistry::keyMatches(QStringLiteral("key_abc"), "key_abckey_abc")); // no wrap-around match
        QVERIFY(!AppRegistry::keyMatches(QString(), ""));
        QVERIFY(AppRegistry::keyMatches(QStringLiteral("cl\u00e9"), "cl\xc3\xa9")); // non-ASCII keys compare as UTF-8
    }

    void cooldownDefaultsFollowTheDocs()
    {
        VirtualClock clock(0);
        Cooldowns cooldowns(clock);
        QCOMPARE(cooldowns.duration(RateGroup::Seek), 100);
        QCOMPARE(cooldowns.duration(RateGroup::Playback), 500);
        QCOMPARE(cooldowns.duration(RateGroup::Heavy), 2000);
        QCOMPARE(cooldowns.duration(RateGroup::Conference), 2000);
        QCOMPARE(cooldowns.duration(RateGroup::ConferenceMute), 2000);
        QCOMPARE(cooldowns.duration(RateGroup::ConferencePlay), 2000);
        QCOMPARE(cooldowns.duration(RateGroup::ConferenceControl), 200);
        QCOMPARE(rateGroupName(RateGroup::ConferenceMute), QStringLiteral("conference_mute"));
    }

    void cooldownIsPerScopeAndGroup()
    {
        VirtualClock clock(0);
        Cooldowns cooldowns(clock);
        cooldowns.start(QStringLiteral("s1"), RateGroup::Playback);
        QCOMPARE(cooldowns.remaining(QStringLiteral("s1"), RateGroup::Playback), 500);
        QCOMPARE(cooldowns.remaining(QStringLiteral("s2"), RateGroup::Playback), 0);
        QCOMPARE(cooldowns.remaining(QStringLiteral("s1"), RateGroup::Seek), 0);
        clock.advance(499);
        QCOMPARE(cooldowns.remaining(QStringLiteral("s1"), RateGroup::Playback), 1);
        clock.advance(1);
        QCOMPARE(cooldowns.remaining(QStringLiteral("s1"), RateGroup::Playback), 0);
    }

    void noneGroupNeverCoolsDown()
    {
        VirtualClock clock(0);
        Cooldowns cooldowns(clock);
        cooldowns.start(QStringLiteral("s"), RateGroup::None);
        QCOMPARE(cooldowns.remaining(QStringLiteral("s"), RateGroup::None), 0);
    }

    void durationsAreConfigurableAndScopesForgettable()
    {
        VirtualClock clock(0);
        Cooldowns cooldowns(clock);
        cooldowns.setDuration(RateGroup::Heavy, 50);
        cooldowns.start(QStringLiteral("s"), RateGroup::Heavy);
        QCOMPARE(cooldowns.remaining(QStringLiteral("s"), RateGroup::Heavy), 50);
        cooldowns.forget(QStringLiteral("s"));
        QCOMPARE(cooldowns.remaining(QStringLiteral("s"), RateGroup::Heavy), 0);
    }
};

QTEST_GUILESS_MAIN(TestRateLimits)
#include "tst_ratelimits.moc"
