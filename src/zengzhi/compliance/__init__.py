"""Compliance lint (SPEC 3): checks a plan against Chinese law, with sources.

Pure: the rules read a ``Plan`` (and, for ``lint_live``, a platform's numbers) and return
findings; nothing here reads files or the clock. Findings are advice: the operator decides.

Rules and severities (an error is a provision the setting breaks on its face; a warning is a risk
that depends on facts the lint cannot see, or a number approaching a threshold):

=========================================  ========  ===============================================
rule                                       severity  when
=========================================  ========  ===============================================
mlm.recruitment_reward                     error     ``marketing.recruit_reward`` > 0; a paying rank
                                                     earned by ``direct_referrals`` or
                                                     ``qualified_legs`` (禁止传销条例 7(1) 拉人头)
mlm.entry_fee                              error     ``marketing.entry_fee`` > 0; a paying rank with
                                                     ``price`` > 0 (7(2) 入门费)
mlm.entry_fee                              warning   a rank with ``price`` > 0 that pays nothing (a
                                                     membership fee today); a paying rank earned by
                                                     ``personal_volume`` (变相入门费 unless genuine)
mlm.team_compensation                      error     ``indirect_rate`` > 0; any rank with ``rate`` >
                                                     0 (级差); any ``peer_rate`` > 0 (平级); a
                                                     paying rank earned by ``team_volume``
                                                     (7(3) 团队计酬)
direct_selling.reward_cap                  error     ``worst_case_rate()`` > 30% (直销管理条例 24)
plan.over_budget                           error     ``worst_case_rate()`` > the distribution share
                                                     (SPEC 2; the engine would refuse the plan)
illegal_fundraising.fixed_return           error     ``marketing.fixed_return_rate`` > 0
illegal_fundraising.principal_back         error     ``marketing.principal_back``
illegal_fundraising.recharge_pool          error     ``marketing.recharge_pool``
illegal_fundraising.promotion_words        error     a text promises a return or the principal back
                                                     (购物返本, 消费等于赚钱, 静态/动态收益, 保本,
                                                     guaranteed return, risk-free …)
illegal_fundraising.appreciation_claim     warning   a text sells appreciation or earnings
                                                     (单边上扬, 只涨不跌, 财务自由 …, or 消费增值
                                                     beside 收益 / 赚钱 / 回报)
criminal.pyramid_organization              error     live: ≥ 30 members and rewards through ≥ 3
                                                     levels (刑法 224-1; 2013 意见 第一条)
criminal.pyramid_serious                   error     live: that, and ≥ 120 members or ≥ 2,500,000
                                                     CNY (意见 第四条 情节严重)
criminal.pyramid_organization_near         warning   live: ≥ 24 members, ≥ 2 levels, and a plan
                                                     that can pay across ≥ 2 upline levels
criminal.pyramid_serious_near              warning   live: over the first threshold and ≥ 96
                                                     members or ≥ 2,000,000 CNY
=========================================  ========  ===============================================

Readings:

- A direct reward (the buyer's sponsor, first level only) is no finding. 7(3) targets uplines paid
  on their downline's sales through a 上下线 chain; the sponsor who brought the buyer is paid on a
  sale they made themselves. It still counts towards the 30% cap.
- Regional agent rewards (区代/市代/省代) are paid on a region's sales, not through the sponsor
  chain, so they are not team compensation; they do count towards the 30% cap.
- The 30% cap is checked on ``worst_case_rate()``, the most one order pays its uplines and agents.
  The shareholder dividend is left out: it is ``dividend_rate`` × the platform's share, a share of
  profit weighted by holding, not pay for selling. (If shareholder weights follow team volume it is
  team compensation in disguise; the plan does not say how weights are set, so the lint cannot.)
- ``lint_plan`` looks at the plan only: nothing about the economy's exit multiple or the pool.
"""

from __future__ import annotations

from zengzhi.compliance.findings import (
    Finding,
    Severity,
    finding_from_json,
    findings_to_json,
    has_errors,
    render_text,
)
from zengzhi.compliance.live import LiveStats, lint_live
from zengzhi.compliance.plan_rules import DIRECT_SELLING_CAP, lint_plan

__all__ = [
    "DIRECT_SELLING_CAP",
    "Finding",
    "LiveStats",
    "Severity",
    "finding_from_json",
    "findings_to_json",
    "has_errors",
    "lint_live",
    "lint_plan",
    "render_text",
]
