"""Deterministic synthetic matching instances (benchmarks and tests). Everything is visibly
synthetic: 示例需求000001, 示例街道001; no real organisation, person or figure."""

from dataclasses import dataclass

import numpy as np

from lianxi.matching.candidates import (
    CategoryFit,
    Needs,
    Resources,
    make_needs,
    make_resources,
    served_from_lists,
)
from lianxi.matching.scoring import Context

CATEGORIES = ["为老服务", "青少年", "就业创业", "文化", "健康医疗", "法律", "环境与更新", "阵地场地", "志愿服务", "资金"]
# (need category, resource category) pairs that fit less well than the same category; the same
# pairs as ``services.RELATED_CATEGORIES`` (为老服务←志愿服务, 青少年←志愿服务, 环境与更新←志愿服务,
# 文化←阵地场地, 青少年←阵地场地).
RELATED = [(0, 8), (1, 8), (6, 8), (3, 7), (1, 7)]

VOCABULARY = {
    "为老服务": ["独居老人", "助餐", "上门探访", "适老化改造", "陪同就医", "老年大学", "智能手机教学", "助浴"],
    "青少年": ["暑托班", "课后看护", "科普实践", "研学", "心理辅导", "少儿阅读", "体育训练", "职业体验"],
    "就业创业": ["招聘会", "岗位推荐", "创业指导", "技能培训", "简历辅导", "见习岗位", "灵活就业", "直播电商"],
    "文化": ["文艺演出", "非遗展示", "读书会", "摄影展", "戏曲进社区", "书法", "合唱团", "街区导览"],
    "健康医疗": ["义诊", "健康讲座", "慢病管理", "中医理疗", "眼科筛查", "口腔检查", "急救培训", "心理健康"],
    "法律": ["法律咨询", "矛盾调解", "普法讲座", "遗嘱咨询", "劳动争议", "物业纠纷", "反诈宣传", "法律援助"],
    "环境与更新": ["垃圾分类", "加装电梯", "微更新", "绿化养护", "楼道整治", "口袋公园", "停车治理", "旧区改造"],
    "阵地场地": ["会议室", "活动室", "多功能厅", "党群服务站", "展厅", "报告厅", "户外场地", "共享空间"],
    "志愿服务": ["志愿者", "结对帮扶", "爱心义卖", "环境清洁", "秩序维护", "助老志愿", "文明引导", "应急志愿"],
    "资金": ["专项资助", "公益基金", "微心愿", "项目经费", "物资捐赠", "慈善超市", "奖学金", "困难补助"],
}


@dataclass
class Instance:
    needs: Needs
    resources: Resources
    fit: CategoryFit
    context: Context
    unit_caps: dict[int, int]
    need_texts: list[str]
    resource_texts: list[str]
    area_names: list[str]


def _neighbours(n_areas: int) -> np.ndarray:
    """Areas on a rough grid: each street neighbours the next one and the one a row further on."""
    width = max(int(np.sqrt(n_areas)), 1)
    a = np.arange(n_areas)
    pairs = [np.c_[a[:-1], a[1:]], np.c_[a[:-width], a[width:]]]
    return np.concatenate(pairs).astype(np.int64).reshape(-1, 2)


def instance(n_needs: int, n_resources: int, n_areas: int, *, seed: int = 20240624,
             n_units: int | None = None, n_need_units: int | None = None, areas_served: tuple[int, int] = (1, 5),
             unit_cap: int = 40, texts: bool = True) -> Instance:
    rng = np.random.default_rng(seed)
    n_cat = len(CATEGORIES)
    n_units = n_units or max(n_resources // 4, 1)
    n_need_units = n_need_units or max(n_areas * 4, 1)

    # Needs are posted by grassroots units (ids 1_000_000+), each living in one area.
    need_unit_area = rng.integers(0, n_areas, n_need_units)
    need_unit = rng.integers(0, n_need_units, n_needs)
    need_start = rng.integers(0, 300, n_needs)
    needs = make_needs(
        id=np.arange(1, n_needs + 1),
        category=rng.integers(0, n_cat, n_needs),
        area=need_unit_area[need_unit],
        unit=1_000_000 + need_unit,
        quantity=rng.integers(1, 13, n_needs),
        start=need_start,
        end=need_start + rng.integers(14, 121, n_needs),
    )

    # Resources are offered by member units (ids 1…), serving their own street and nearby ones.
    unit_area = rng.integers(0, n_areas, n_units)
    res_unit = rng.integers(0, n_units, n_resources)
    k = rng.integers(areas_served[0], areas_served[1] + 1, n_resources)
    offsets = rng.integers(-3, 4, (n_resources, areas_served[1]))
    offsets[:, 0] = 0
    served = [np.clip(unit_area[u] + offsets[i, : k[i]], 0, n_areas - 1).tolist() for i, u in enumerate(res_unit)]
    ptr, flat = served_from_lists(served)
    res_start = rng.integers(0, 200, n_resources)
    resources = make_resources(
        id=np.arange(1, n_resources + 1),
        category=rng.integers(0, n_cat, n_resources),
        unit=1 + res_unit,
        unit_area=unit_area[res_unit],
        capacity=rng.integers(1, 21, n_resources),
        start=res_start,
        end=res_start + rng.integers(60, 366, n_resources),
        served_ptr=ptr,
        served_area=flat,
    )

    n_hist = max(n_needs // 4, 1)
    hist_claimant = 1 + rng.integers(0, n_units, n_hist)
    hist_owner = 1_000_000 + rng.integers(0, n_need_units, n_hist)
    keys = np.unique((hist_claimant.astype(np.int64) << 32) | hist_owner)
    context = Context(
        neighbours=_neighbours(n_areas),
        history_units=(keys >> 32, keys & 0xFFFFFFFF, rng.integers(1, 5, len(keys))),
        load_units=(1 + np.arange(n_units), rng.integers(0, 9, n_units)),
    )
    unit_caps = {int(u): unit_cap for u in 1 + np.arange(n_units)}

    area_names = [f"示例街道{i:03d}" for i in range(n_areas)]
    need_texts, resource_texts = [], []
    if texts:
        vocab = [VOCABULARY[c] for c in CATEGORIES]
        picks = rng.integers(0, 8, (n_needs, 3))
        for i in range(n_needs):
            words = vocab[needs.category[i]]
            need_texts.append(
                f"示例需求{i + 1:06d}：{area_names[needs.area[i]]}居民希望开展{words[picks[i, 0]]}"
                f"和{words[picks[i, 1]]}，需要{words[picks[i, 2]]}方面的支持"
            )
        picks = rng.integers(0, 8, (n_resources, 3))
        for j in range(n_resources):
            words = vocab[resources.category[j]]
            resource_texts.append(
                f"示例资源{j + 1:06d}：示例单位{resources.unit[j]:05d}可提供{words[picks[j, 0]]}、"
                f"{words[picks[j, 1]]}，兼顾{words[picks[j, 2]]}"
            )
    return Instance(needs, resources, CategoryFit(n_cat, RELATED), context, unit_caps,
                    need_texts, resource_texts, area_names)
