"""Every word the workbook (and the export dialog) shows, in Chinese and in English.

One language per workbook, never a mix (UI.md): ``Labels(lang)`` picks the table and
every sheet writer asks it by key. The keys are stable, so tests find a column by its
key in either language.
"""

from __future__ import annotations

import locale
import os

LANGS = ("zh", "en")

# key -> (zh, en)
_TEXT: dict[str, tuple[str, str]] = {
    # sheet names (Excel: at most 31 characters, none of []:*?/\)
    "sheet.summary": ("摘要", "Summary"),
    "sheet.queues": ("队列", "Queues"),
    "sheet.intervals": ("时段", "Intervals"),
    "sheet.agents": ("坐席", "Agents"),
    "sheet.escalations": ("升级工单", "Escalations"),
    "sheet.breaches": ("SLA超时", "SLA breaches"),
    "sheet.audit": ("审计", "Audit"),
    # summary
    "title": ("客服中心绩效报表", "Contact center performance review"),
    "period.from": ("开始", "From"),
    "period.to": ("结束（不含）", "To (exclusive)"),
    "timezone": ("时区", "Timezone"),
    "timezone.note": ("表中所有时间均为中心当地时间", "All times in this workbook are the center's local time"),
    "generated": ("生成时间", "Generated"),
    "data_until": ("数据截至（服务器时间）", "Data up to (server time)"),
    "formula": ("服务水平公式", "Service level formula"),
    "param.T": ("T：响应时限（秒）", "T: response SLA (seconds)"),
    "param.W": ("W：预警时限（秒）", "W: warning time (seconds)"),
    "param.S": ("S：短放弃时限（秒）", "S: short-abandon limit (seconds)"),
    "param.interval": ("时段长度（分钟）", "Interval length (minutes)"),
    "param.T.varies": ("各队列不同，见“队列”表", "varies by queue, see the Queues sheet"),
    "param.T.changed": ("期间有变更，见“队列”表", "changed during the period, see the Queues sheet"),
    "param.values": ("T={t} 秒、W={w} 秒", "T={t} s, W={w} s"),
    "param.from_start": ("期初 {values}", "{values} at the start"),
    "param.from": ("{at} 起 {values}", "{values} from {at}"),
    "param.sep": ("；", "; "),
    "param.changed": (
        "T/W 期间有变更（每通来电按其接通或放弃时有效的 T 计算）：{steps}",
        "T/W changed during the period (each contact is measured against the T in force when it was answered or abandoned): {steps}",
    ),
    "param.default": ("服务器未提供，按协议默认值", "not told by the server: the protocol's defaults"),
    "filter.queues": ("队列筛选", "Queue filter"),
    "filter.teams": ("班组筛选", "Team filter"),
    "filter.none": ("全部", "all"),
    "headline": ("主要指标", "Headline figures"),
    "figure": ("指标", "Figure"),
    "value": ("数值", "Value"),
    "target": ("目标", "Target"),
    "empty_note": (
        "空白单元格表示分母为零（无法计算），不是 0% 或 100%。",
        "An empty cell is a ratio or mean whose denominator is zero: not 0 % and not 100 %.",
    ),
    "masking_note": (
        "客户姓名、电话和证件号码已按规定脱敏。",
        "Customer names, phone numbers and ID numbers are masked.",
    ),
    "truncated_note": (
        "“{sheet}”表行数超过 Excel 上限，仅列出前 {n} 行（共 {total} 行）。",
        "The {sheet} sheet has more rows than Excel allows: the first {n} of {total} are listed.",
    ),
    "chart.service_level": ("各时段服务水平（全部队列）", "Service level by interval (all queues)"),
    "chart.volume": ("各时段话务量（全部队列）", "Volume by interval (all queues)"),
    "sl_target_line": ("目标", "Target"),
    # service level formulas, in words
    "formula.abandons_count_against": (
        "放弃计入：T 内接通数 ÷（接通数 + 放弃数），短放弃不计",
        "Abandons count against: answered within T ÷ (answered + abandoned); short abandons left out",
    ),
    "formula.answered_only": (
        "仅计接通：T 内接通数 ÷ 接通数",
        "Answered only: answered within T ÷ answered",
    ),
    "formula.removed_within_sla": (
        "T 内移除（同 Amazon Connect）：（T 内接通 + T 内放弃 + 短放弃）÷ 进线数",
        "Removed within T (as Amazon Connect): (answered within T + abandoned within T + short abandoned) ÷ offered",
    ),
    # queue / interval columns
    "col.queue": ("队列", "Queue"),
    "col.queue_name": ("队列名称", "Queue name"),
    "col.interval_start": ("时段开始", "Interval start"),
    "col.offered": ("进线", "Offered"),
    "col.answered": ("接通", "Answered"),
    "col.abandoned": ("放弃", "Abandoned"),
    "col.short_abandoned": ("短放弃", "Short abandoned"),
    "col.waiting": ("仍在等待", "Still waiting"),
    "col.outcome_unknown": ("结果未知", "Outcome unknown"),
    "col.answered_within_sla": ("T 内接通", "Answered within T"),
    "col.service_level": ("服务水平", "Service level"),
    "col.abandonment_rate": ("放弃率", "Abandonment rate"),
    "col.asa_seconds": ("平均应答时间", "ASA"),
    "col.max_wait_seconds": ("最长等待", "Max wait"),
    "col.aht_seconds": ("平均处理时长", "AHT"),
    "col.sla_breaches": ("SLA 超时", "SLA breaches"),
    "col.csat": ("满意度均分", "CSAT"),
    "col.csat_top2_share": ("满意率（4–5 分）", "CSAT % (4–5)"),
    "col.sla_seconds": ("T（秒）", "T (s)"),
    "col.warn_seconds": ("W（秒）", "W (s)"),
    "col.sla_note": ("T/W 说明", "About T/W"),
    "total": ("合计", "Total"),
    "all_queues": ("全部队列", "All queues"),
    # agents
    "col.agent_id": ("坐席工号", "Agent ID"),
    "col.agent_name": ("姓名", "Name"),
    "col.team": ("班组", "Team"),
    "col.handled": ("接听数", "Handled"),
    "col.occupancy": ("占用率", "Occupancy"),
    "col.state.available": ("空闲", "Available"),
    "col.state.ringing": ("振铃", "Ringing"),
    "col.state.on_call": ("通话", "On call"),
    "col.state.wrap_up": ("话后处理", "Wrap-up"),
    "col.state.break": ("休息", "Break"),
    "col.state.meeting": ("会议", "Meeting"),
    "col.state.training": ("培训", "Training"),
    # escalations
    "col.escalation_id": ("升级单号", "Escalation"),
    "col.case_id": ("案件号", "Case"),
    "col.department": ("部门", "Department"),
    "col.owner": ("负责人", "Owner"),
    "col.severity": ("紧急程度", "Severity"),
    "col.status": ("状态", "Status"),
    "col.opened_at": ("创建时间", "Opened"),
    "col.due_at": ("反馈时限", "Due"),
    "col.resolved_at": ("解决时间", "Resolved"),
    "col.on_time": ("按时", "On time"),
    "col.time_to_resolve": ("解决用时", "Time to resolve"),
    "col.reassignments": ("改派次数", "Reassignments"),
    "col.summary": ("摘要", "Summary"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    # escalation figures on the summary
    "esc.opened": ("新建升级工单", "Escalations opened"),
    "esc.resolved": ("已解决", "Escalations resolved"),
    "esc.resolved_on_time": ("按时解决", "Resolved on time"),
    "esc.on_time_rate": ("按时解决率", "On-time rate"),
    "esc.overdue_open": ("逾期未解决", "Overdue and open"),
    "esc.mean_time_to_resolve_seconds": ("平均解决用时", "Mean time to resolve"),
    "esc.reassignments": ("改派次数", "Reassignments"),
    # breaches
    "col.call_id": ("呼叫号", "Contact"),
    "col.channel": ("渠道", "Channel"),
    "col.customer_id": ("客户号", "Customer ID"),
    "col.customer_name": ("客户姓名", "Customer"),
    "col.customer_phone": ("电话", "Phone"),
    "col.segment": ("客户级别", "Segment"),
    "col.queued_at": ("排队时间", "Queued"),
    "col.wait": ("等待时长", "Wait"),
    "col.outcome": ("结果", "Outcome"),
    "col.agent": ("坐席", "Agent"),
    "outcome.answered": ("已接通", "answered"),
    "outcome.abandoned": ("已放弃", "abandoned"),
    "outcome.waiting": ("仍在等待", "still waiting"),
    # audit
    "col.at": ("时间", "When"),
    "col.by": ("操作人", "By"),
    "col.from_owner": ("原负责人", "From"),
    "col.to_owner": ("新负责人", "To"),
    "col.reason": ("原因", "Reason"),
    "audit_note": (
        "本表列出本机日志记录的服务器广播的改派，是本机的便利记录，不是正式记录。"
        "改派与客户信息查看的正式审计记录是服务器的审计记录（模拟器：simulate --audit PATH）；本表不列出客户信息查看。",
        "This sheet lists the reassignments the server broadcast, as this desktop's journal recorded "
        "them: a local convenience record, not the record of truth. The record of truth for "
        "reassignments and reveals of customer data is the server's audit trail (the simulator's "
        "simulate --audit PATH); reveals are not listed here.",
    ),
    # code words of the protocol
    "severity.low": ("低", "low"),
    "severity.normal": ("一般", "normal"),
    "severity.high": ("高", "high"),
    "severity.urgent": ("紧急", "urgent"),
    "status.open": ("待处理", "open"),
    "status.in_progress": ("处理中", "in progress"),
    "status.resolved": ("已解决", "resolved"),
    "channel.voice": ("语音", "voice"),
    "channel.chat": ("在线", "chat"),
    "channel.callback": ("回拨", "callback"),
    "channel.email": ("邮件", "email"),
    "segment.vip": ("贵宾", "VIP"),
    "segment.standard": ("普通", "standard"),
    "col.overdue": ("逾期未解决", "Overdue open"),
    "col.resolution": ("处理结果", "Resolution"),
    "col.transfers": ("转接次数", "Transfers"),
    # export dialog
    "dlg.title": ("导出绩效报表", "Export performance workbook"),
    "dlg.period": ("时间范围", "Period"),
    "dlg.today": ("今天", "Today"),
    "dlg.yesterday": ("昨天", "Yesterday"),
    "dlg.this_week": ("本周", "This week"),
    "dlg.last_week": ("上周", "Last week"),
    "dlg.this_month": ("本月", "This month"),
    "dlg.last_month": ("上月", "Last month"),
    "dlg.custom": ("自定义", "Custom"),
    "dlg.from": ("从", "From"),
    "dlg.to": ("到（不含）", "To (exclusive)"),
    "dlg.queues": ("队列（不选即全部）", "Queues (none ticked = all)"),
    "dlg.teams": ("班组（不选即全部）", "Teams (none ticked = all)"),
    "dlg.formula": ("服务水平公式", "Service level formula"),
    "dlg.file": ("保存到", "Save to"),
    "dlg.browse": ("浏览…", "Browse…"),
    "dlg.export": ("导出", "Export"),
    "dlg.cancel": ("取消", "Cancel"),
    "dlg.close": ("关闭", "Close"),
    "dlg.cancelling": ("正在取消…", "Cancelling…"),
    "dlg.cancelled": ("已取消，原有文件未被改动。", "Cancelled; no existing file was changed."),
    "dlg.done": ("已导出：{path}", "Exported: {path}"),
    "dlg.failed": ("导出失败：{reason}", "Export failed: {reason}"),
    "dlg.no_file": ("请选择保存位置。", "Choose where to save the workbook."),
    "dlg.bad_period": ("结束时间必须晚于开始时间。", "The end of the period must be after its start."),
    "dlg.filter_xlsx": ("Excel 工作簿 (*.xlsx)", "Excel workbook (*.xlsx)"),
    "dlg.loading_filters": ("正在读取队列和班组…", "Reading queues and teams…"),
    # progress stages
    "stage.reading": ("读取事件", "Reading events"),
    "stage.computing": ("计算指标", "Computing figures"),
    "stage.writing": ("写入工作表", "Writing sheets"),
    "stage.saving": ("保存文件", "Saving the file"),
}


class Labels:
    """The words of one language: ``labels["col.offered"]`` → 进线 or Offered."""

    def __init__(self, lang: str) -> None:
        if lang not in LANGS:
            raise ValueError(f"unknown language {lang!r}; expected zh or en")
        self.lang = lang
        self._index = LANGS.index(lang)

    def __getitem__(self, key: str) -> str:
        return _TEXT[key][self._index]

    def get(self, key: str, default: str) -> str:
        pair = _TEXT.get(key)
        return pair[self._index] if pair is not None else default

    def format(self, key: str, **values: object) -> str:
        return self[key].format(**values)


def keys() -> list[str]:
    """Every label key (tests check both languages define each one)."""
    return list(_TEXT)


def text(key: str, lang: str) -> str:
    """One label in one language."""
    return Labels(lang)[key]


def default_lang(environ: dict[str, str] | None = None) -> str:
    """The desktop's UI language, read as Qt reads it (ui/i18n.py), so that a workbook from
    ``command-center export`` speaks the language of the screens of the same account.

    Qt (QLocale.system() on Unix): the first of LC_ALL, LC_MESSAGES, LANG that is set; the C
    and POSIX locales are English; otherwise the first entry of LANGUAGE, when it names one,
    wins over it. zh (zh_CN, zh_TW, zh) is Chinese, anything else English. Where none is
    set (Windows), Python's idea of the user's locale decides.
    """
    env = os.environ if environ is None else environ
    name = ""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        name = env.get(var) or ""
        if name:
            break
    if name:
        if name in ("C", "POSIX"):
            return "en"
        first = (env.get("LANGUAGE") or "").split(":")[0]
        if first:
            name = first
        return "zh" if name.lower().startswith("zh") else "en"
    if environ is None and os.name != "posix":
        try:
            name = locale.getlocale()[0] or ""
        except ValueError:
            name = ""
        if name.lower().startswith(("zh", "chinese")):
            return "zh"
    return "en"
