"""The legal sources the lint cites, each as one line: the Chinese citation, then an English name.

Kept in one place so that every finding about the same provision cites it with the same words,
and so that a reviewer can check the citations without reading the rules.
"""

from __future__ import annotations

ANTI_PYRAMID_7_1 = (
    "《禁止传销条例》（国务院令第444号，2005）第七条第（一）项 / "
    "Regulations on Prohibition of Pyramid Selling (2005), art. 7(1): recruitment rewards"
)
ANTI_PYRAMID_7_2 = (
    "《禁止传销条例》（国务院令第444号，2005）第七条第（二）项 / "
    "Regulations on Prohibition of Pyramid Selling (2005), art. 7(2): entry fees"
)
ANTI_PYRAMID_7_3 = (
    "《禁止传销条例》（国务院令第444号，2005）第七条第（三）项 / "
    "Regulations on Prohibition of Pyramid Selling (2005), art. 7(3): team compensation"
)
DIRECT_SELLING_24 = (
    "《直销管理条例》（国务院令第443号，2005）第二十四条 / "
    "Regulations on Administration of Direct Selling (2005), art. 24: 30% reward cap"
)
PYRAMID_CRIME = (
    "《刑法》第二百二十四条之一；《最高人民法院 最高人民检察院 公安部关于办理组织领导传销活动"
    "刑事案件适用法律若干问题的意见》（公通字〔2013〕37号）第一条 / "
    "Criminal Law art. 224-1 (organizing or leading pyramid selling); SPC, SPP and MPS Opinions "
    "on criminal cases of organizing or leading pyramid selling (2013), art. 1"
)
PYRAMID_CRIME_SERIOUS = (
    "《刑法》第二百二十四条之一；《最高人民法院 最高人民检察院 公安部关于办理组织领导传销活动"
    "刑事案件适用法律若干问题的意见》（公通字〔2013〕37号）第四条（情节严重） / "
    "Criminal Law art. 224-1; SPC, SPP and MPS Opinions on pyramid-selling cases (2013), "
    "art. 4 (serious circumstances)"
)
FUNDRAISING = (
    "《刑法》第一百七十六条（非法吸收公众存款罪）；《防范和处置非法集资条例》（国务院令第737号，"
    "2021）第二条 / Criminal Law art. 176 (illegally taking public deposits); Regulations on "
    "Preventing and Handling Illegal Fund-raising (2021), art. 2"
)
FUNDRAISING_PRINCIPAL = (
    "《刑法》第一百七十六条；《防范和处置非法集资条例》（2021）第二条；《最高人民法院关于审理"
    "非法集资刑事案件具体应用法律若干问题的解释》（2022年修正）第一条 / Criminal Law art. 176; "
    "Regulations on Preventing and Handling Illegal Fund-raising (2021), art. 2; SPC "
    "Interpretation on illegal fund-raising cases (amended 2022), art. 1"
)
CONSUMER_REBATE_NOTICE = (
    "中国银保监会、工业和信息化部、公安部、商务部、中国人民银行、国家市场监督管理总局"
    "《关于防范“消费返利”风险的提示》（2018年4月12日）；《防范和处置非法集资条例》（2021）"
    "第二条 / Six-department risk notice on “consumption rebates” (CBIRC, MIIT, MPS, MOFCOM, "
    "PBOC, SAMR, 12 April 2018); Regulations on Preventing and Handling Illegal Fund-raising "
    "(2021), art. 2"
)
DISTRIBUTION_BUDGET = (
    "zengzhi SPEC 2（分销预算，引擎规则而非法律） / "
    "zengzhi SPEC 2 distribution budget (an engine rule, not law)"
)
