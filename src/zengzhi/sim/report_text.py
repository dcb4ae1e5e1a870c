"""zh-CN and English text of the simulation report (``zengzhi.sim.report``).

Glossary terms follow SPEC (盈利池 pool, 积分 points, 积分价格 price, 出局 exit, 持仓 position …).
Nothing here may describe returns as guaranteed (SPEC 1.7): every number is a simulated outcome
under the scenario's assumptions.
"""

from __future__ import annotations

from zengzhi.i18n import LANGS, Catalog, lookup, normalize_lang

__all__ = ["LANGS", "TEXT", "normalize_lang", "tr"]

TEXT: Catalog = {
    "title": {"en": "Simulation report — {name}", "zh": "模拟报告 — {name}"},
    "generated": {
        "en": "zengzhi {version} · result created {created} · scenario file {file}",
        "zh": "zengzhi {version} · 结果生成于 {created} · 情景文件 {file}",
    },
    # --- sections
    "sec.summary": {"en": "Summary", "zh": "摘要"},
    "sec.risk": {"en": "Read this first", "zh": "请先阅读"},
    "sec.measured": {"en": "What the runs show", "zh": "模拟结果"},
    "sec.variants": {"en": "Key numbers by variant", "zh": "各参数组合的关键数字"},
    "sec.lint": {"en": "Compliance findings on the plan", "zh": "分销方案合规检查结果"},
    "sec.config": {"en": "Economy and plan", "zh": "经济参数与分销方案"},
    "sec.price": {"en": "Price over time", "zh": "积分价格走势"},
    "sec.pool": {"en": "Pool and points over time", "zh": "盈利池与流通积分"},
    "sec.exits": {"en": "Exits over time", "zh": "出局情况"},
    "sec.cohort_exit": {"en": "Time to exit by entry cohort", "zh": "按加入批次的出局时间"},
    "sec.multiples": {
        "en": "Share of positions that reached 1×, 2×, 3×",
        "zh": "价值达到消费 1 倍、2 倍、3 倍的持仓比例",
    },
    "sec.rewards": {"en": "Rewards paid by type", "zh": "各类分销奖励"},
    "sec.after_stop": {"en": "After sales stop", "zh": "订单停止之后"},
    "sec.stuck": {"en": "Value still held at the end", "zh": "期末仍未出局的持仓"},
    # --- risk statement
    "risk.1": {
        "en": "Not a promise of returns. Nothing in this report is guaranteed: these are "
        "simulated outcomes under this scenario's assumptions, not a forecast.",
        "zh": "这不是收益承诺。本报告中的任何数字都不构成保证：它们是在本情景假设下的模拟结果，"
        "而非预测。",
    },
    "risk.2": {
        "en": "The points price rises only when new orders, sell and exit fees, or financing "
        "injections arrive. If orders stop, the price stops, and positions that have not "
        "reached their exit stay where they are.",
        "zh": "积分价格只有在新订单、卖出与出局手续费回流或融资注入时才会上涨。订单一旦停止，"
        "价格也随之停止，尚未出局的持仓将停留在原地。",
    },
    "risk.3": {
        "en": "Sales and exits are paid out of the pool, which is funded by members' orders — "
        "in practice largely by those who joined later.",
        "zh": "卖出和出局所得均来自盈利池，而盈利池的资金来自会员的订单——"
        "实际上主要来自后加入的会员。",
    },
    # --- SPEC 1.7 in plain words
    "spec17.price": {
        "en": "The price is the pool divided by the points in circulation. It rises only when "
        "orders, fees or injections arrive; under steady sales it grows roughly with the square "
        "root of cumulative sales.",
        "zh": "积分价格 = 盈利池 ÷ 流通积分。只有新订单、手续费回流或融资注入才会推高价格；"
        "在销售稳定的情况下，价格大致随累计销售额的平方根增长。",
    },
    "spec17.exit": {
        "en": "In this scenario a buyer receives points worth {pool} × {ratio} = {value} of the "
        "spend, and a position exits when its points are worth {multiple}× the spend. So a buyer "
        "who enters at price p waits for the price to reach about {multiple} ÷ ({pool} × {ratio}) "
        "× p = {factor} × p, which needs on the order of {factor2} times the sales volume seen "
        "before they joined. After the {fee} exit fee, an exit pays about {net}× the spend.",
        "zh": "在本情景中，用户获得的积分价值为消费额的 {pool} × {ratio} = {value}；持仓的积分价值"
        "达到消费额的 {multiple} 倍时出局。因此在价格 p 时加入的用户，要等价格涨到约 "
        "{multiple} ÷ ({pool} × {ratio}) × p = {factor} × p 才会出局，这需要约为其加入前累计"
        "销售额 {factor2} 倍的新销售。扣除 {fee} 的出局手续费后，出局所得约为消费额的 {net} 倍。",
    },
    "spec17.no_exit": {
        "en": "In this scenario the forced exit is disabled (exit_multiple = 0): positions never "
        "exit; a buyer receives points worth {pool} × {ratio} = {value} of the spend and can "
        "only sell them at the current price, less the {fee} sell fee.",
        "zh": "在本情景中强制出局已关闭（exit_multiple = 0）：持仓不会出局；用户获得的积分价值为"
        "消费额的 {pool} × {ratio} = {value}，只能按当前价格卖出，并扣除 {fee} 的卖出手续费。",
    },
    "spec17.basis": {
        "en": "(The exit basis is “total return”: earlier sales count towards the exit, so the "
        "factor above is an approximation.)",
        "zh": "（出局基准为“总收益”：之前的卖出所得计入出局条件，因此上述倍数为近似值。）",
    },
    "scenario.line": {
        "en": "Scenario “{name}”: {runs} runs of {days} days, {variants}.",
        "zh": "情景“{name}”：{runs} 次模拟，每次 {days} 天，{variants}。",
    },
    "scenario.one_variant": {"en": "one parameter set", "zh": "一组参数"},
    "scenario.n_variants": {
        "en": "{n} parameter sets (sweep; the numbers below are for “{base}”)",
        "zh": "{n} 组参数（参数扫描；以下数字针对“{base}”）",
    },
    "scenario.stop": {
        "en": "Orders stop after day {day}.",
        "zh": "第 {day} 天之后不再有订单。",
    },
    "scenario.no_stop": {
        "en": "Orders continue to the end of the horizon.",
        "zh": "订单持续到模拟期末。",
    },
    # --- measured
    "m.price": {
        "en": "Final price: median {p50} across runs (5–95%: {p5} – {p95}), {growth}× the "
        "initial price {p0}.",
        "zh": "期末积分价格：各次模拟中位数 {p50}（5%–95%：{p5} – {p95}），为起盘价 {p0} 的 "
        "{growth} 倍。",
    },
    "m.sales": {
        "en": "Sales: median {sales} from {orders} orders; {members} members at the end.",
        "zh": "销售额：中位数 {sales}，共 {orders} 笔订单；期末会员 {members} 人。",
    },
    "m.exited": {
        "en": "Positions force-exited by day {day}: {share} of all positions (median {exits} of "
        "{positions} per run).",
        "zh": "截至第 {day} 天已出局的持仓：占全部持仓的 {share}（每次模拟中位数 {exits} 笔，"
        "共 {positions} 笔）。",
    },
    "m.open": {
        "en": "Positions still open at the end: {share}. Their points are worth {ratio} of what "
        "was spent on them ({value} against {spend} per run, mean).",
        "zh": "期末仍未出局的持仓：{share}。这些持仓的积分价值仅为其消费额的 {ratio}"
        "（平均每次模拟 {value}，对应消费 {spend}）。",
    },
    "m.reached": {
        "en": "Positions whose value (what they received plus points held × final price; a "
        "force-exited position counts at its exit multiple) reached 1× / 2× / 3× the spend: "
        "{r1} / {r2} / {r3}.",
        "zh": "价值（已得收入 + 持有积分 × 期末价格；被强制出局的持仓按出局倍数计）达到消费额 "
        "1 倍 / 2 倍 / 3 倍的持仓比例：{r1} / {r2} / {r3}。",
    },
    "m.members_reached": {
        "en": "Members who bought: {m1} / {m2} / {m3} of them got back, or still hold at the "
        "final price, at least 1× / 2× / 3× everything they spent (net of fees).",
        "zh": "有消费的会员中，已得收入（扣除手续费）加持有积分按期末价格计算，达到其全部消费 "
        "1 倍 / 2 倍 / 3 倍的比例：{m1} / {m2} / {m3}。",
    },
    "m.newcomer": {
        "en": "At the final median price a new buyer would exit only when the price reaches about "
        "{target}; only positions bought below about {limit} per point could have reached "
        "their exit by the end.",
        "zh": "按期末价格中位数，新加入的用户要等价格涨到约 {target} 才会出局；只有以低于约 "
        "{limit} 的价格获得积分的持仓，才可能在期末前出局。",
    },
    "m.after_stop": {
        "en": "After orders stop (day {day}): the median price moved from {p_stop} to {p_end} "
        "({change}) and a median of {exits} positions exited in the remaining {days} days; "
        "{open} positions per run (median) were still waiting at the end.",
        "zh": "订单停止后（第 {day} 天起）：价格中位数从 {p_stop} 变为 {p_end}（{change}），"
        "其余 {days} 天内出局持仓数中位数为 {exits}；期末每次模拟仍有 {open} 笔持仓（中位数）"
        "在等待出局。",
    },
    "m.no_positions": {
        "en": "No positions were opened in this scenario.",
        "zh": "本情景中没有产生任何持仓。",
    },
    # --- variant table rows
    "v.metric": {"en": "Measure", "zh": "指标"},
    "v.final_price": {"en": "Final price (median)", "zh": "期末积分价格（中位数）"},
    "v.growth": {"en": "Price growth", "zh": "价格涨幅倍数"},
    "v.factor": {"en": "Exit price factor", "zh": "出局所需价格倍数"},
    "v.sales": {"en": "Sales (median)", "zh": "销售额（中位数）"},
    "v.exited": {"en": "Positions exited", "zh": "已出局持仓比例"},
    "v.open": {"en": "Positions still open", "zh": "未出局持仓比例"},
    "v.stuck": {"en": "Open positions' value ÷ spend", "zh": "未出局持仓价值 ÷ 消费额"},
    "v.r1": {"en": "Reached 1×", "zh": "达到 1 倍"},
    "v.r2": {"en": "Reached 2×", "zh": "达到 2 倍"},
    "v.r3": {"en": "Reached 3×", "zh": "达到 3 倍"},
    "v.rewards": {"en": "Rewards paid (mean)", "zh": "分销奖励（平均）"},
    "v.params": {"en": "Parameters", "zh": "参数"},
    # --- lint
    "lint.severity": {"en": "Severity", "zh": "级别"},
    "lint.rule": {"en": "Rule", "zh": "规则"},
    "lint.source": {"en": "Source", "zh": "依据"},
    "lint.message": {"en": "Finding", "zh": "问题"},
    "lint.key": {"en": "Plan key", "zh": "配置项"},
    "lint.error": {"en": "error", "zh": "错误"},
    "lint.warning": {"en": "warning", "zh": "警告"},
    "lint.none": {"en": "No findings.", "zh": "未发现问题。"},
    "lint.no_plan": {
        "en": "This scenario has no distribution plan: no rewards are paid.",
        "zh": "本情景没有分销方案：不发放任何奖励。",
    },
    "lint.summary": {
        "en": "{errors} error(s), {warnings} warning(s). Findings are for the operator to "
        "decide on; they are not legal advice.",
        "zh": "共 {errors} 个错误，{warnings} 个警告。是否调整由运营方决定；本结果不构成法律意见。",
    },
    "cfg.economy": {"en": "Economy", "zh": "经济参数"},
    "cfg.plan": {"en": "Distribution plan", "zh": "分销方案"},
    "cfg.key": {"en": "Key", "zh": "配置项"},
    "cfg.value": {"en": "Value", "zh": "值"},
    # --- charts
    "axis.day": {"en": "Day", "zh": "天"},
    "axis.days_after_stop": {"en": "Days after orders stop", "zh": "订单停止后的天数"},
    "axis.price": {"en": "Price (CNY per point)", "zh": "积分价格（元/积分）"},
    "axis.pool": {"en": "Pool (CNY)", "zh": "盈利池（元）"},
    "axis.points": {"en": "Points in circulation", "zh": "流通积分"},
    "axis.exits_day": {"en": "Exits per day", "zh": "每日出局"},
    "axis.exits_cum": {"en": "Cumulative exits", "zh": "累计出局"},
    "axis.cohort": {"en": "Entry cohort (first day)", "zh": "加入批次（起始日）"},
    "axis.days_to_exit": {"en": "Days to exit", "zh": "出局所需天数"},
    "axis.share_exited": {"en": "Share of cohort exited", "zh": "批次已出局比例"},
    "axis.share": {"en": "Share of positions", "zh": "持仓比例"},
    "axis.cny": {"en": "CNY (mean per run)", "zh": "元（每次模拟平均）"},
    "axis.price_change": {"en": "Price vs. day orders stop", "zh": "相对停单日价格"},
    "chart.price": {
        "en": "Price over time: median and 5–95% band across runs",
        "zh": "积分价格走势：各次模拟的中位数与 5%–95% 区间",
    },
    "chart.pool": {"en": "Pool and points over time", "zh": "盈利池与流通积分走势"},
    "chart.exits": {"en": "Forced exits", "zh": "强制出局"},
    "chart.cohort_exit": {
        "en": "Time to exit by entry cohort (median across runs)",
        "zh": "按加入批次的出局时间（各次模拟中位数）",
    },
    "chart.multiples": {
        "en": "Share of each cohort's positions whose value reached k × spend by the end",
        "zh": "各批次持仓价值在期末达到消费额 k 倍的比例",
    },
    "chart.rewards": {
        "en": "Rewards paid by type (mean per run)",
        "zh": "各类分销奖励（每次模拟平均）",
    },
    "chart.after_stop": {
        "en": "After orders stop: price and exits",
        "zh": "订单停止之后：价格与出局",
    },
    "chart.stuck": {
        "en": "Positions still open at the end: what was spent vs. what their points are worth",
        "zh": "期末未出局持仓：消费额与积分现值对比",
    },
    "trace.median": {"en": "median", "zh": "中位数"},
    "trace.band": {"en": "5–95%", "zh": "5%–95%"},
    "trace.p50": {"en": "median wait", "zh": "等待天数中位数"},
    "trace.p90": {"en": "90th percentile wait", "zh": "等待天数 90 分位"},
    "trace.spend": {"en": "spent", "zh": "消费额"},
    "trace.value": {"en": "worth now", "zh": "积分现值"},
    "stop.marker": {"en": "orders stop", "zh": "订单停止"},
    "reward.direct": {"en": "direct", "zh": "直推奖"},
    "reward.indirect": {"en": "indirect", "zh": "间推奖"},
    "reward.differential": {"en": "differential", "zh": "级差奖"},
    "reward.peer": {"en": "peer", "zh": "平级奖"},
    "reward.regional": {"en": "regional agents", "zh": "区代/市代/省代"},
    "reward.dividend": {"en": "shareholder dividend", "zh": "股东加权分红"},
    "reward.none": {
        "en": "No rewards were paid in this scenario.",
        "zh": "本情景未发放任何分销奖励。",
    },
    # --- captions
    "cap.price": {
        "en": "The line is the median across runs, the shaded band the 5th–95th percentile. "
        "The price never falls; it rises only with orders, fees and injections.",
        "zh": "实线为各次模拟的中位数，阴影为 5%–95% 区间。价格不会下跌，但只有订单、"
        "手续费回流和融资注入才会推高价格。",
    },
    "cap.pool": {
        "en": "The pool is the money backing the points; the price is pool ÷ points.",
        "zh": "盈利池是积分背后的资金；积分价格 = 盈利池 ÷ 流通积分。",
    },
    "cap.exits": {
        "en": "A forced exit sells a whole position once its points are worth the exit multiple "
        "of its spend.",
        "zh": "持仓的积分价值达到消费额的出局倍数时，将被整体强制卖出（出局）。",
    },
    "cap.cohort_exit": {
        "en": "Cohorts are positions opened in the same {n}-day window. The wait counts only "
        "positions that did exit: later cohorts had less time, and the lower panel shows how "
        "many of each cohort exited at all.",
        "zh": "同一 {n} 天内开立的持仓为一个批次。等待天数只统计已出局的持仓：越晚的批次时间越短，"
        "下图显示每个批次中究竟有多少持仓出局。",
    },
    "cap.multiples": {
        "en": "Value = net money already received + points still held × final price, pooled over "
        "runs. An exit at 3× pays 3× less the exit fee, so exited positions may show below 3×.",
        "zh": "价值 = 已到账金额 + 仍持有积分 × 期末价格，合并所有模拟计算。3 倍出局需扣除出局"
        "手续费，因此已出局的持仓可能低于 3 倍。",
    },
    "cap.rewards": {
        "en": "Distribution rewards are paid in cash when an order settles, within the order's "
        "distribution share.",
        "zh": "分销奖励在订单结算时以现金发放，总额不超过订单的分销份额。",
    },
    "cap.after_stop": {
        "en": "With no new orders the only money entering the pool is the fee of sales and "
        "exits; the price barely moves and most positions wait indefinitely.",
        "zh": "没有新订单时，进入盈利池的只有卖出和出局的手续费；价格几乎不动，"
        "大多数持仓将无限期等待。",
    },
    "cap.no_stop": {
        "en": "Orders never stop in this scenario, so there is no after-stop phase to show. "
        "The chart below still shows what is left waiting at the end.",
        "zh": "本情景中订单从未停止，因此没有“停止之后”的阶段。下图仍显示期末仍在等待的持仓。",
    },
    "cap.stuck": {
        "en": "Spend and current value (held points × final price) of the positions that had "
        "not exited by the end, mean per run.",
        "zh": "期末仍未出局持仓的消费额与当前价值（持有积分 × 期末价格），每次模拟平均。",
    },
}


def tr(key: str, lang: str, **params: object) -> str:
    return lookup(TEXT, key, lang, **params)
