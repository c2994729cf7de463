"""The simulated bank's fixed tables: queues, departments, teams, case subjects and notes.

Plain data so the engine's logic stays readable and a reviewer can judge the realism
in one place. Queue and department ids are the protocol's ids; names are what staff read.
"""

from __future__ import annotations

from typing import Any, Final

# The response SLA is the bank's 15-minute promise (KPI.md's default T), amber at 10;
# the VIP line promises 5 minutes, amber at 3, as banks' private-client lines do.
SLA_SECONDS: Final = 900.0
WARN_SECONDS: Final = 600.0
# id -> (sla_seconds, warn_seconds) for the queues that differ from the defaults above.
QUEUE_SLA: Final[dict[str, tuple[float, float]]] = {
    "vip": (300.0, 180.0),
}

# id -> (name, share of arrivals). Shares are those of a mid-size Chinese retail bank's
# hotline: cards and deposits dominate, VIP and lending are smaller but heavier.
QUEUES: Final[dict[str, tuple[str, float]]] = {
    "credit_card": ("信用卡服务", 0.27),
    "deposit_transfer": ("储蓄与转账", 0.21),
    "e_banking": ("网银与手机银行", 0.14),
    "personal_loan": ("个人贷款", 0.09),
    "wealth": ("理财", 0.08),
    "card_loss_fraud": ("挂失与反欺诈", 0.12),
    "vip": ("贵宾服务", 0.09),
}

# Where a misrouted contact is transferred to (the customer chose the wrong IVR branch).
TRANSFER_TO: Final[dict[str, str]] = {
    "credit_card": "card_loss_fraud",
    "deposit_transfer": "e_banking",
    "e_banking": "deposit_transfer",
    "personal_loan": "credit_card",
    "wealth": "deposit_transfer",
    "card_loss_fraud": "credit_card",
    "vip": "wealth",
}

# Channel mix per queue: (voice, chat, callback, email).
CHANNEL_MIX: Final[dict[str, tuple[float, float, float, float]]] = {
    "credit_card": (0.70, 0.20, 0.06, 0.04),
    "deposit_transfer": (0.68, 0.20, 0.07, 0.05),
    "e_banking": (0.55, 0.35, 0.05, 0.05),
    "personal_loan": (0.70, 0.12, 0.12, 0.06),
    "wealth": (0.72, 0.15, 0.10, 0.03),
    "card_loss_fraud": (0.93, 0.07, 0.00, 0.00),
    "vip": (0.85, 0.08, 0.07, 0.00),
}
CHANNELS: Final = ("voice", "chat", "callback", "email")

# Team skill profiles, cycled over the teams: every queue is covered by at least two.
TEAM_SKILLS: Final[tuple[tuple[str, ...], ...]] = (
    ("credit_card", "card_loss_fraud"),
    ("deposit_transfer", "e_banking"),
    ("personal_loan", "wealth", "deposit_transfer"),
    ("vip", "wealth", "credit_card", "card_loss_fraud"),
)
TEAM_SIZE: Final = 15

# Departments a case is escalated to: id -> (name, number of members).
DEPARTMENTS: Final[dict[str, tuple[str, int]]] = {
    "credit_card_center": ("信用卡中心", 6),
    "retail_lending": ("零售信贷部", 4),
    "it": ("科技部", 5),
    "operations": ("运营管理部", 5),
    "compliance": ("合规部", 3),
    "risk": ("风险管理部（反欺诈）", 4),
    "wealth_management": ("财富管理部", 3),
    "consumer_protection": ("消费者权益保护部", 4),
}

# The department that owns a complaint raised in a queue.
COMPLAINT_DEPARTMENT: Final[dict[str, str]] = {
    "credit_card": "credit_card_center",
    "deposit_transfer": "operations",
    "e_banking": "it",
    "personal_loan": "retail_lending",
    "wealth": "compliance",
    "card_loss_fraud": "risk",
    "vip": "consumer_protection",
}

# Case categories per queue, with weights.
CATEGORY_MIX: Final[dict[str, dict[str, float]]] = {
    "credit_card": {"inquiry": 40, "complaint": 22, "service_request": 33, "card_loss": 5},
    "deposit_transfer": {"inquiry": 45, "complaint": 20, "service_request": 35},
    "e_banking": {"inquiry": 40, "complaint": 22, "service_request": 38},
    "personal_loan": {"inquiry": 50, "complaint": 20, "service_request": 30},
    "wealth": {"inquiry": 55, "complaint": 25, "service_request": 20},
    "card_loss_fraud": {"card_loss": 58, "fraud_report": 36, "complaint": 6},
    "vip": {"inquiry": 35, "complaint": 25, "service_request": 35, "fraud_report": 5},
}

# Share of answered contacts that open a case (the rest are quick answers, no record).
CASE_SHARE: Final[dict[str, float]] = {
    "credit_card": 0.35,
    "deposit_transfer": 0.30,
    "e_banking": 0.35,
    "personal_loan": 0.40,
    "wealth": 0.35,
    "card_loss_fraud": 0.90,
    "vip": 0.45,
}

SUBJECTS: Final[dict[tuple[str, str], tuple[str, ...]]] = {
    ("credit_card", "inquiry"): ("账单分期手续费咨询", "积分兑换规则咨询", "还款日与免息期咨询", "境外消费汇率咨询"),
    ("credit_card", "complaint"): ("年费扣收争议", "分期手续费未提前告知", "催收电话过于频繁", "积分被清零"),
    ("credit_card", "service_request"): ("申请临时额度调整", "修改账单寄送方式", "申请账单分期", "注销信用卡"),
    ("credit_card", "card_loss"): ("信用卡遗失申请挂失",),
    ("deposit_transfer", "inquiry"): ("大额存单利率咨询", "跨行转账到账时间", "定期存款提前支取规则"),
    ("deposit_transfer", "complaint"): ("跨行转账未到账", "柜台排队时间过长", "账户被误冻结"),
    ("deposit_transfer", "service_request"): ("开具存款证明", "修改预留手机号", "解除账户非柜面限制"),
    ("e_banking", "inquiry"): ("手机银行转账限额咨询", "U盾证书更新方法", "指纹登录设置"),
    ("e_banking", "complaint"): ("手机银行升级后无法登录", "转账显示成功但对方未收到", "短信验证码收不到"),
    ("e_banking", "service_request"): ("重置网银登录密码", "解锁手机银行", "更换U盾"),
    ("personal_loan", "inquiry"): ("房贷提前还款流程", "消费贷利率咨询", "贷款审批进度查询"),
    ("personal_loan", "complaint"): ("提前还款违约金争议", "贷款审批时间过长", "征信记录有误"),
    ("personal_loan", "service_request"): ("申请提前还款", "开具贷款结清证明", "变更还款账户"),
    ("wealth", "inquiry"): ("理财产品赎回到账时间", "基金定投扣款咨询", "理财产品风险等级咨询"),
    ("wealth", "complaint"): ("理财产品收益未达预期", "销售时未充分揭示风险", "赎回资金延迟到账"),
    ("wealth", "service_request"): ("重新进行风险测评", "撤销基金定投", "理财产品转让申请"),
    ("card_loss_fraud", "card_loss"): ("借记卡遗失挂失", "信用卡被盗挂失", "银行卡被ATM吞卡"),
    ("card_loss_fraud", "fraud_report"): ("疑似电信诈骗转账", "信用卡盗刷争议", "冒充客服诈骗", "账户异常登录"),
    ("card_loss_fraud", "complaint"): ("挂失后仍发生交易",),
    ("vip", "inquiry"): ("贵宾专属理财额度咨询", "机场贵宾厅权益咨询", "私人银行服务咨询"),
    ("vip", "complaint"): ("贵宾权益未兑现", "客户经理服务态度", "大额转账被拦截"),
    ("vip", "service_request"): ("预约大额取现", "升级贵宾卡", "预约专属客户经理回访"),
    ("vip", "fraud_report"): ("疑似账户被盗用",),
}

OPEN_NOTES: Final[dict[str, tuple[str, ...]]] = {
    "inquiry": ("客户来电咨询，已核实身份。", "客户咨询业务规则，正在解答。"),
    "complaint": ("客户情绪激动，已安抚并记录诉求。", "客户要求给出书面答复。", "客户表示如不处理将向监管投诉。"),
    "service_request": ("已核实身份，受理客户申请。", "客户提交业务申请，资料齐全。"),
    "card_loss": ("已核实身份，办理临时挂失。",),
    "fraud_report": ("客户报告可疑交易，已冻结相关账户。", "已提醒客户报警并保留证据。"),
}

END_NOTES: Final[dict[str, tuple[str, ...]]] = {
    "inquiry": ("已解答，客户无其他问题。",),
    "complaint": ("已转相关部门处理，承诺2小时内回复。", "已在线解释并致歉，客户接受。"),
    "service_request": ("已提交后台处理，短信通知客户进度。",),
    "card_loss": ("已正式挂失并受理补卡，新卡邮寄中。",),
    "fraud_report": ("已升级反欺诈中心紧急处理。",),
}

CLOSE_NOTES: Final[dict[str, tuple[str, ...]]] = {
    "service_request": ("后台已办结，已短信通知客户。",),
    "complaint": ("部门已反馈处理结果，已回访客户，客户满意。", "部门反馈已处理，回访客户无异议。"),
    "fraud_report": ("反欺诈中心已完成核查并回复客户。",),
    "card_loss": ("新卡已寄出，结案。",),
    "inquiry": ("已回复客户，结案。",),
}

# What agents really type: the customer's name, phone and ID number inside a note or a
# subject, written every which way. The server masks them before they go out (model.py).
# {name} full name, {given} given name, {phone} 13812345678, {phone_spaced} 138 1234 5678,
# {phone_dashed} 138-1234-5678, {phone_wide} １３８１２３４５６７８, {id_number} the ID number.
PERSONAL_NOTES: Final = (
    "客户{name}来电，手机{phone}，",
    "来电人{name}，联系电话{phone_spaced}。",
    "已核实{name}身份证号{id_number}，",
    "客户留回拨号码{phone_dashed}，",
    "{given}女士/先生要求回电至{phone_wide}。",
    "客户{name}（{phone}）再次致电。",
)
PERSONAL_SUBJECTS: Final = (
    "{subject}（{name} {phone}）",
    "{subject}-客户{name}",
)

FOLLOW_UP_NOTES: Final = ("客户来电催问处理进度。", "客户补充了交易截图。", "客户再次来电，已告知处理进展。")

RESOLUTIONS: Final[dict[str, tuple[str, ...]]] = {
    "complaint": ("已核实并退还相关费用", "已向客户解释并致歉", "已更正记录并书面答复客户", "已协调分行处理完毕"),
    "fraud_report": ("已止付并协助客户报案", "核实为本人交易，已告知客户", "已拦截可疑交易，资金未损失"),
}

# Break/meeting/training reasons of the agent records: (state, reason, minutes low, high).
ACTIVITIES: Final[dict[str, tuple[str, int, int]]] = {
    "lunch": ("break", 40, 60),
    "dinner": ("break", 30, 45),
    "meal": ("break", 30, 40),
    "rest": ("break", 10, 15),
    "team_meeting": ("meeting", 15, 25),
    "coaching": ("meeting", 20, 35),
    "system_training": ("training", 60, 90),
    "product_training": ("training", 45, 75),
}

CHINESE_DIGITS: Final = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1..9999 as Chinese numerals (一, 十二, 二十, 一百零五): team names read naturally."""
    if not 0 < n < 10000:
        return str(n)
    units = ((1000, "千"), (100, "百"), (10, "十"))
    out = ""
    rest = n
    zero_pending = False
    for value, unit in units:
        digit, rest = divmod(rest, value)
        if digit:
            if zero_pending:
                out += "零"
                zero_pending = False
            if not (value == 10 and digit == 1 and not out):
                out += CHINESE_DIGITS[digit]
            out += unit
        elif out:
            zero_pending = True
    if rest:
        if zero_pending:
            out += "零"
        out += CHINESE_DIGITS[rest]
    return out


def team_name(index: int) -> str:
    """The name of team ``index`` (0-based): 一组, 二组, … 十一组."""
    return f"{chinese_number(index + 1)}组"


def queue_records() -> list[dict[str, Any]]:
    """The simulated queues as PROTOCOL.md queue records, with their default SLAs."""
    out = []
    for q, (name, _) in QUEUES.items():
        sla, warn = QUEUE_SLA.get(q, (SLA_SECONDS, WARN_SECONDS))
        out.append({"id": q, "name": name, "sla_seconds": sla, "warn_seconds": warn})
    return out
