"""Distribution rewards (分销): referral tree, plans and the reward engine. Pure, no I/O."""

from zengzhi.distribution.network import Distribution, region_keys
from zengzhi.distribution.ranks import RankChange, evaluate_ranks
from zengzhi.distribution.rewards import REWARD_KINDS, OrderRewards, RewardPayout

__all__ = [
    "REWARD_KINDS",
    "Distribution",
    "OrderRewards",
    "RankChange",
    "RewardPayout",
    "evaluate_ranks",
    "region_keys",
]
