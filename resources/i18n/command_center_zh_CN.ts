<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AgentModel</name>
    <message>
        <source>Agent</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>班组</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Time in state</source>
        <translation>状态时长</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Current call</source>
        <translation>当前通话</translation>
    </message>
</context>
<context>
    <name>BoardModel</name>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Due at</source>
        <translation>截止时间</translation>
    </message>
    <message>
        <source>Due in</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <source>Due soon</source>
        <translation>即将到期</translation>
    </message>
    <message>
        <source>On time</source>
        <translation>按时</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>已解决</translation>
    </message>
    <message>
        <source>%1 late</source>
        <translation>逾期 %1</translation>
    </message>
</context>
<context>
    <name>BreachModel</name>
    <message>
        <source>Queued at</source>
        <translation>排队时间</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Wait</source>
        <translation>等待</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Answered late</source>
        <translation>超时接通</translation>
    </message>
    <message>
        <source>Abandoned</source>
        <translation>已放弃</translation>
    </message>
    <message>
        <source>Still waiting</source>
        <translation>仍在等待</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
</context>
<context>
    <name>CaseDialog</name>
    <message>
        <source>Case %1</source>
        <translation>工单 %1</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Customer ID</source>
        <translation>客户编号</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>来电</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>排队</translation>
    </message>
    <message>
        <source>Wait</source>
        <translation>等待</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>Talk</source>
        <translation>通话</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Survey</source>
        <translation>满意度调查</translation>
    </message>
    <message>
        <source>Escalation</source>
        <translation>升级</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>截止</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Reassign escalation…</source>
        <translation>改派升级…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Linked calls</source>
        <translation>关联来电</translation>
    </message>
    <message>
        <source>Escalations</source>
        <translation>升级事项</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>时间线</translation>
    </message>
    <message>
        <source>Asking the server…</source>
        <translation>正在请求服务器…</translation>
    </message>
    <message>
        <source>🔒 Customer data masked</source>
        <translation>🔒 客户信息已脱敏</translation>
    </message>
    <message>
        <source>⚠ Revealed by the server while this case is open (audited)</source>
        <translation>⚠ 服务器已显示明文，仅在本工单打开期间可见（已审计）</translation>
    </message>
    <message>
        <source>Asking the server to reveal the customer data…</source>
        <translation>正在请求服务器显示客户信息明文…</translation>
    </message>
    <message>
        <source>Revealed by the server for as long as this case stays open; a case opened again is masked.</source>
        <translation>服务器提供的明文仅在本工单打开期间显示；重新打开工单时将再次脱敏。</translation>
    </message>
    <message>
        <source>Nothing about this case is in the local journal yet.</source>
        <translation>本地日志中暂无此工单的记录。</translation>
    </message>
    <message>
        <source>%1 events, read from the local journal in %2 ms</source>
        <translation>%1 条事件，读取本地日志用时 %2 毫秒</translation>
    </message>
</context>
<context>
    <name>CaseText</name>
    <message>
        <source>Open</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>挂起</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>Talking</source>
        <translation>通话中</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>已结束</translation>
    </message>
    <message>
        <source>Abandoned</source>
        <translation>已放弃</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>已接听</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>refused: not allowed</source>
        <translation>被拒绝：无权限</translation>
    </message>
    <message>
        <source>refused: no such escalation</source>
        <translation>被拒绝：升级事项不存在</translation>
    </message>
    <message>
        <source>refused: already resolved or changed</source>
        <translation>被拒绝：已解决或已变更</translation>
    </message>
    <message>
        <source>refused: invalid request</source>
        <translation>被拒绝：请求无效</translation>
    </message>
    <message>
        <source>outcome unknown (no answer in time)</source>
        <translation>结果未知（未及时收到答复）</translation>
    </message>
    <message>
        <source>not sent: not connected</source>
        <translation>未发送：未连接</translation>
    </message>
    <message>
        <source>refused: customer not known to the server</source>
        <translation>被拒绝：服务器无此客户</translation>
    </message>
    <message>
        <source>refused: the server could not audit it</source>
        <translation>被拒绝：服务器无法记录审计</translation>
    </message>
    <message>
        <source>no record in the answer</source>
        <translation>答复中没有客户记录</translation>
    </message>
    <message>
        <source>status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>subject</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>due</source>
        <translation>截止</translation>
    </message>
    <message>
        <source>owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>排队</translation>
    </message>
    <message>
        <source>Transferred</source>
        <translation>已转接</translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <source>answered by %1</source>
        <translation>由 %1 接听</translation>
    </message>
    <message>
        <source>waited %1</source>
        <translation>等待 %1</translation>
    </message>
    <message>
        <source>ended by %1</source>
        <translation>由 %1 结束</translation>
    </message>
    <message>
        <source>talked %1</source>
        <translation>通话 %1</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>Survey</source>
        <translation>满意度调查</translation>
    </message>
    <message>
        <source>score %1 / 5</source>
        <translation>评分 %1 / 5</translation>
    </message>
    <message>
        <source>Case opened</source>
        <translation>工单已创建</translation>
    </message>
    <message>
        <source>call linked: %1</source>
        <translation>关联来电：%1</translation>
    </message>
    <message>
        <source>Case updated</source>
        <translation>工单已更新</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>已升级</translation>
    </message>
    <message>
        <source>%1, owner %2, %3, due %4</source>
        <translation>%1，负责人 %2，%3，截止 %4</translation>
    </message>
    <message>
        <source>Escalation updated</source>
        <translation>升级已更新</translation>
    </message>
    <message>
        <source>Reassigned</source>
        <translation>已改派</translation>
    </message>
    <message>
        <source>%1 → %2 by %3: %4</source>
        <translation>%1 → %2，操作人 %3：%4</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>已解决</translation>
    </message>
    <message>
        <source>%1 asked %2 → %3: %4 — %5</source>
        <translation>%1 申请 %2 → %3：%4 — %5</translation>
    </message>
    <message>
        <source>(answer arrived late)</source>
        <translation>（答复迟到）</translation>
    </message>
    <message>
        <source>Reassignment (audit)</source>
        <translation>改派（审计）</translation>
    </message>
    <message>
        <source>the server revealed the customer data to %1</source>
        <translation>服务器向%1显示了客户信息明文</translation>
    </message>
    <message>
        <source>%1 asked to reveal the customer data — %2</source>
        <translation>%1 请求显示客户信息明文 — %2</translation>
    </message>
    <message>
        <source>reason: %1</source>
        <translation>原因：%1</translation>
    </message>
    <message>
        <source>Reveal (audit)</source>
        <translation>显示客户信息（审计）</translation>
    </message>
</context>
<context>
    <name>DeskActions</name>
    <message>
        <source>No journal: the case cannot be opened.</source>
        <translation>没有本地日志：无法打开工单。</translation>
    </message>
    <message>
        <source>No case for this row yet.</source>
        <translation>此行暂无关联工单。</translation>
    </message>
    <message>
        <source>This escalation is no longer known.</source>
        <translation>此升级事项已不存在。</translation>
    </message>
    <message>
        <source>Not connected: nothing can be reassigned.</source>
        <translation>未连接：无法改派。</translation>
    </message>
    <message>
        <source>No journal: nothing to export.</source>
        <translation>没有本地日志：无可导出内容。</translation>
    </message>
    <message>
        <source>Escalation board</source>
        <translation>升级事项看板</translation>
    </message>
</context>
<context>
    <name>EscalationBoard</name>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <source>Due within 30 min</source>
        <translation>30 分钟内到期</translation>
    </message>
    <message>
        <source>Overdue only</source>
        <translation>仅显示逾期</translation>
    </message>
    <message>
        <source>Show resolved</source>
        <translation>显示已解决</translation>
    </message>
    <message>
        <source>Open case</source>
        <translation>打开工单</translation>
    </message>
    <message>
        <source>Reassign…</source>
        <translation>改派…</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>All departments</source>
        <translation>全部部门</translation>
    </message>
    <message>
        <source>All owners</source>
        <translation>全部负责人</translation>
    </message>
    <message>
        <source>All severities</source>
        <translation>全部严重程度</translation>
    </message>
    <message>
        <source>%1 shown, %2 overdue</source>
        <translation>显示 %1 条，逾期 %2 条</translation>
    </message>
</context>
<context>
    <name>EscalationModel</name>
    <message>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Due in</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>overdue %1</source>
        <translation>逾期 %1</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export performance workbook</source>
        <translation>导出绩效报表</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>时间范围</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>昨天</translation>
    </message>
    <message>
        <source>This week</source>
        <translation>本周</translation>
    </message>
    <message>
        <source>Last week</source>
        <translation>上周</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <source>Last month</source>
        <translation>上月</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>To (exclusive)</source>
        <translation>到（不含）</translation>
    </message>
    <message>
        <source>Queues (none ticked = all)</source>
        <translation>队列（不选即全部）</translation>
    </message>
    <message>
        <source>Teams (none ticked = all)</source>
        <translation>班组（不选即全部）</translation>
    </message>
    <message>
        <source>Service level formula</source>
        <translation>服务水平公式</translation>
    </message>
    <message>
        <source>Workbook language</source>
        <translation>报表语言</translation>
    </message>
    <message>
        <source>Save to</source>
        <translation>保存到</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Cancelled; no existing file was changed.</source>
        <translation>已取消，原有文件未被改动。</translation>
    </message>
    <message>
        <source>Exported: {path}</source>
        <translation>已导出：{path}</translation>
    </message>
    <message>
        <source>Export failed: {reason}</source>
        <translation>导出失败：{reason}</translation>
    </message>
    <message>
        <source>Choose where to save the workbook.</source>
        <translation>请选择保存位置。</translation>
    </message>
    <message>
        <source>The end of the period must be after its start.</source>
        <translation>结束时间必须晚于开始时间。</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Reading queues and teams…</source>
        <translation>正在读取队列和班组…</translation>
    </message>
    <message>
        <source>Reading events</source>
        <translation>读取事件</translation>
    </message>
    <message>
        <source>Computing figures</source>
        <translation>计算指标</translation>
    </message>
    <message>
        <source>Writing sheets</source>
        <translation>写入工作表</translation>
    </message>
    <message>
        <source>Saving the file</source>
        <translation>保存文件</translation>
    </message>
    <message>
        <source>Abandons count against: answered within T ÷ (answered + abandoned); short abandons left out</source>
        <translation>放弃计入：T 内接通数 ÷（接通数 + 放弃数），短放弃不计</translation>
    </message>
    <message>
        <source>Answered only: answered within T ÷ answered</source>
        <translation>仅计接通：T 内接通数 ÷ 接通数</translation>
    </message>
    <message>
        <source>Removed within T (as Amazon Connect): (answered within T + abandoned within T + short abandoned) ÷ offered</source>
        <translation>T 内移除（同 Amazon Connect）：（T 内接通 + T 内放弃 + 短放弃）÷ 进线数</translation>
    </message>
</context>
<context>
    <name>ForecastPanel</name>
    <message>
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>Service level, next 30 min</source>
        <translation>未来 30 分钟服务水平</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Agents</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>Extra agents needed</source>
        <translation>需增加坐席</translation>
    </message>
    <message>
        <source>No forecast while the data is not live.</source>
        <translation>数据未实时，不显示预测。</translation>
    </message>
    <message>
        <source>No forecast yet: waiting for current data.</source>
        <translation>暂无预测：等待最新数据。</translation>
    </message>
    <message>
        <source>Forecast %1–%2 (Erlang A, M/M/n+M), from the last 30 minutes%3 and the agents staffed now.</source>
        <translation>预测 %1–%2（Erlang A 模型，M/M/n+M），依据最近 30 分钟%3及当前在岗坐席。</translation>
    </message>
    <message>
        <source>, blended with the same half hour a week ago</source>
        <translation>（并与上周同一时段各占一半）</translation>
    </message>
    <message>
        <source>not enough data</source>
        <translation>数据不足</translation>
    </message>
    <message>
        <source>Inputs</source>
        <translation>输入数据</translation>
    </message>
    <message>
        <source>Nobody with the skill is on break, in a meeting or in training.</source>
        <translation>没有具备该技能的坐席处于休息、会议或培训中。</translation>
    </message>
    <message>
        <source>Who should come back (%1 away with the skill), ranked; ● brings the queue to its target:</source>
        <translation>建议召回（具备该技能的离席坐席 %1 人），按效果排序；● 为达到目标所需：</translation>
    </message>
    <message>
        <source>The first %1 listed; the target needs more.</source>
        <translation>仅列出前 %1 人；达到目标还需更多人。</translation>
    </message>
    <message>
        <source>Even with all of them back the queue stays below its target.</source>
        <translation>即使全部召回，该队列仍低于目标。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Command Center</source>
        <translation>客服指挥中心</translation>
    </message>
    <message>
        <source>Queues</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>班组</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Agents</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>Escalations</source>
        <translation>升级事项</translation>
    </message>
    <message>
        <source>Trends</source>
        <translation>趋势</translation>
    </message>
    <message>
        <source>Forecast</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>SLA breaches today</source>
        <translation>今日超时联系</translation>
    </message>
    <message>
        <source>Tools</source>
        <translation>工具</translation>
    </message>
    <message>
        <source>Search contacts, agents, escalations (Ctrl+F)</source>
        <translation>搜索来电、坐席、升级事项（Ctrl+F）</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Wall display</source>
        <translation>大屏显示</translation>
    </message>
    <message>
        <source>Escalation board</source>
        <translation>升级事项看板</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>Only these queues&apos; contacts and these teams&apos; agents are shown, in the tiles, tables, breach list and per-interval charts; escalations of every department stay, and the waiting-contacts curve is the whole floor&apos;s. File ▸ Settings… changes it.</source>
        <translation>只显示这些队列的客户和这些班组的坐席（卡片、表格、超时列表和分时段图表）；所有部门的升级事项仍然显示，排队客户曲线为全场数据。可在 文件 ▸ 设置… 中更改。</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Service level &amp;formula</source>
        <translation>服务水平公式(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Go to</source>
        <translation>转到(&amp;G)</translation>
    </message>
    <message>
        <source>Waiting contacts</source>
        <translation>等待中的客户</translation>
    </message>
    <message>
        <source>Command Center — demo (seed %1)</source>
        <translation>客服指挥中心 — 演示（种子 %1）</translation>
    </message>
    <message>
        <source>Floor supervisor</source>
        <translation>现场主管</translation>
    </message>
    <message>
        <source>Duty lead</source>
        <translation>值班长</translation>
    </message>
    <message>
        <source>Manager</source>
        <translation>经理</translation>
    </message>
    <message>
        <source>Queues · %1</source>
        <translation>队列 · %1</translation>
    </message>
    <message>
        <source>SLA breach: answered or abandoned after T, or still waiting past T (whatever the formula).
Service level on screen: %1</source>
        <translation>SLA 超时：超过 T 才接通或放弃，或仍在等待且已超过 T（与公式无关）。
屏幕上的服务水平：%1</translation>
    </message>
    <message>
        <source>Waiting contacts: %1</source>
        <translation>排队客户：%1</translation>
    </message>
    <message>
        <source>Agents %1 · Open escalations %2</source>
        <translation>坐席 %1 · 未结升级 %2</translation>
    </message>
    <message>
        <source>SLA breaches today: %1</source>
        <translation>今日超时联系：%1</translation>
    </message>
    <message>
        <source>All teams</source>
        <translation>全部班组</translation>
    </message>
    <message>
        <source>All queues</source>
        <translation>全部队列</translation>
    </message>
    <message>
        <source>Escalations (all departments)</source>
        <translation>升级事项（所有部门）</translation>
    </message>
</context>
<context>
    <name>QueueTile</name>
    <message>
        <source>%1 waiting</source>
        <translation>%1 位排队</translation>
    </message>
    <message numerus="yes">
        <source>%n breached</source>
        <translation>
            <numerusform>%n 位超时</numerusform>
        </translation>
    </message>
    <message>
        <source>Longest wait %1</source>
        <translation>最长等待 %1</translation>
    </message>
    <message>
        <source>Service level today %1</source>
        <translation>今日服务水平 %1</translation>
    </message>
    <message>
        <source>Offered today %1</source>
        <translation>今日进线 %1</translation>
    </message>
    <message>
        <source>ASA %1</source>
        <translation>平均应答 %1</translation>
    </message>
    <message>
        <source>Abandoned %1</source>
        <translation>放弃率 %1</translation>
    </message>
    <message>
        <source>Available %1 · On call %2</source>
        <translation>空闲 %1 · 通话中 %2</translation>
    </message>
    <message>
        <source>last wk %1</source>
        <translation>上周 %1</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <source>Reveal customer data</source>
        <translation>显示客户信息</translation>
    </message>
    <message>
        <source>The server shows the customer&apos;s name, phone and ID of case %1 unmasked, only while the case is open, and records your name, the reason and the time in its audit trail.</source>
        <translation>服务器将显示工单 %1 客户的姓名、电话和编号明文，仅在工单打开期间可见，并在其审计记录中记下您的姓名、原因和时间。</translation>
    </message>
    <message>
        <source>Why do you need the customer&apos;s data? (required)</source>
        <translation>为什么需要查看客户信息？（必填）</translation>
    </message>
    <message>
        <source>Ask the server</source>
        <translation>向服务器请求</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>The reason is too long (at most %1 characters).</source>
        <translation>原因过长（最多 %1 个字符）。</translation>
    </message>
</context>
<context>
    <name>ReassignDialog</name>
    <message>
        <source>Reassign escalation %1</source>
        <translation>改派升级事项 %1</translation>
    </message>
    <message>
        <source>Why is it being reassigned? (required)</source>
        <translation>改派原因（必填）</translation>
    </message>
    <message>
        <source>Reassign</source>
        <translation>改派</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Current owner</source>
        <translation>当前负责人</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>New owner</source>
        <translation>新负责人</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>%1 (own department)</source>
        <translation>%1（本部门）</translation>
    </message>
    <message>
        <source>Only a duty lead may reassign escalations.</source>
        <translation>只有值班长可以改派升级事项。</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>请选择…</translation>
    </message>
    <message>
        <source>This escalation is resolved and cannot be reassigned.</source>
        <translation>此升级事项已解决，不能改派。</translation>
    </message>
    <message>
        <source>This escalation is no longer known.</source>
        <translation>此升级事项已不存在。</translation>
    </message>
    <message>
        <source>The reason is too long (at most %1 characters).</source>
        <translation>原因过长（最多 %1 个字符）。</translation>
    </message>
    <message>
        <source>A reason is required.</source>
        <translation>必须填写原因。</translation>
    </message>
    <message>
        <source>Choose the new owner.</source>
        <translation>请选择新负责人。</translation>
    </message>
    <message>
        <source>Sending… waiting for the server&apos;s answer.</source>
        <translation>正在发送… 等待服务器答复。</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Done: the server accepted the reassignment to %1. The new owner shows here and on the board as soon as the server&apos;s update arrives.</source>
        <translation>完成：服务器已接受改派给 %1。服务器的更新到达后，新负责人会显示在此处和看板上。</translation>
    </message>
    <message>
        <source>No answer from the server within %1 s: the outcome is unknown. It may still take effect; the current owner above is the server&apos;s word and updates when the server&apos;s answer arrives. Check it before trying again.</source>
        <translation>服务器在 %1 秒内未答复：结果未知。改派仍可能生效；上方的当前负责人以服务器为准，收到答复后会更新。请先核实再重试。</translation>
    </message>
    <message>
        <source>Refused: your role may not reassign escalations.</source>
        <translation>被拒绝：您的角色无权改派升级事项。</translation>
    </message>
    <message>
        <source>Refused: the server does not know this escalation (it may have been removed).</source>
        <translation>被拒绝：服务器中没有此升级事项（可能已被移除）。</translation>
    </message>
    <message>
        <source>Refused: the escalation was resolved or changed meanwhile. Check the board before trying again.</source>
        <translation>被拒绝：该升级事项已被解决或变更。请先查看看板再重试。</translation>
    </message>
    <message>
        <source>Refused as invalid by the server. Correct the owner or the reason and try again.</source>
        <translation>服务器认为请求无效。请更正负责人或原因后重试。</translation>
    </message>
    <message>
        <source>Not sent: there is no connection to the server. Nothing was changed.</source>
        <translation>未发送：与服务器无连接，未做任何更改。</translation>
    </message>
    <message>
        <source>The server refused the reassignment (%1).</source>
        <translation>服务器拒绝了改派（%1）。</translation>
    </message>
    <message>
        <source>The server&apos;s late answer:</source>
        <translation>服务器的迟到答复：</translation>
    </message>
    <message>
        <source>Server said: %1</source>
        <translation>服务器答复：%1</translation>
    </message>
    <message>
        <source>Warning: this reassignment could not be written to the audit trail.</source>
        <translation>警告：此次改派未能写入审计日志。</translation>
    </message>
    <message>
        <source>The server&apos;s late answer: the reassignment was accepted.</source>
        <translation>服务器的迟到答复：改派已被接受。</translation>
    </message>
    <message>
        <source>The server now shows %1 as the owner.</source>
        <translation>服务器当前显示负责人为 %1。</translation>
    </message>
</context>
<context>
    <name>RevealAction</name>
    <message>
        <source>Reveal customer data</source>
        <translation>显示客户信息</translation>
    </message>
    <message>
        <source>Ask the server for this case&apos;s customer name, phone and ID unmasked. The server records who asked and why.</source>
        <translation>向服务器请求本工单客户的姓名、电话和编号明文。服务器会记录请求人和原因。</translation>
    </message>
    <message>
        <source>Nothing to reveal: this case&apos;s customer is not known yet.</source>
        <translation>无法显示：尚不知道本工单的客户。</translation>
    </message>
    <message>
        <source>This reveal could not be added to this desktop&apos;s audit view; the server&apos;s audit trail has it.</source>
        <translation>本次显示未能写入本机的审计视图；服务器的审计记录中有此记录。</translation>
    </message>
    <message>
        <source>Refused by the server: your role may not reveal customer data.</source>
        <translation>服务器拒绝：您的角色无权查看客户信息明文。</translation>
    </message>
    <message>
        <source>Refused by the server as invalid: a reason is required, and the case must be this customer&apos;s.</source>
        <translation>服务器以请求无效拒绝：必须填写原因，且工单须属于该客户。</translation>
    </message>
    <message>
        <source>Refused by the server: it does not know this customer.</source>
        <translation>服务器拒绝：服务器无此客户。</translation>
    </message>
    <message>
        <source>Refused by the server: it cannot record the reveal in its audit trail right now, so it revealed nothing.</source>
        <translation>服务器拒绝：它目前无法将本次请求写入审计记录，因此未显示任何信息。</translation>
    </message>
    <message>
        <source>No answer from the server in time, so nothing is shown; try again.</source>
        <translation>服务器未及时答复，因此未显示任何信息；请重试。</translation>
    </message>
    <message>
        <source>Not sent: there is no connection to the server, so nothing is shown.</source>
        <translation>未发送：未连接到服务器，因此未显示任何信息。</translation>
    </message>
    <message>
        <source>The server agreed but sent no customer record, so nothing is shown.</source>
        <translation>服务器已同意但未发送客户记录，因此未显示任何信息。</translation>
    </message>
    <message>
        <source>The server refused the reveal (%1).</source>
        <translation>服务器拒绝了显示请求（%1）。</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Screens</source>
        <translation>屏幕</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>A new language shows the next time Command Center starts.</source>
        <translation>新的语言将在下次启动指挥中心时生效。</translation>
    </message>
    <message>
        <source>Default (green, amber, red)</source>
        <translation>默认（绿、黄、红）</translation>
    </message>
    <message>
        <source>Colour-blind safe (blue, orange)</source>
        <translation>色弱友好（蓝、橙）</translation>
    </message>
    <message>
        <source>&amp;Colours</source>
        <translation>配色(&amp;C)</translation>
    </message>
    <message>
        <source>Service level &amp;formula</source>
        <translation>服务水平公式(&amp;F)</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Wall &amp;page shown for</source>
        <translation>大屏每页停留(&amp;P)</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>提醒</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>试听</translation>
    </message>
    <message>
        <source>Play: %1</source>
        <translation>试听：%1</translation>
    </message>
    <message>
        <source>Volume</source>
        <translation>音量</translation>
    </message>
    <message>
        <source>&amp;Volume</source>
        <translation>音量(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Mute all alerts</source>
        <translation>全部静音(&amp;M)</translation>
    </message>
    <message>
        <source>Desktop &amp;notification for an escalation due within 15 minutes</source>
        <translation>升级工单 15 分钟内到期时弹出桌面通知(&amp;N)</translation>
    </message>
    <message>
        <source>Nothing sounds while the data is stale.</source>
        <translation>数据过期时不发出任何提示音。</translation>
    </message>
    <message>
        <source>My floor</source>
        <translation>我的现场</translation>
    </message>
    <message>
        <source>&amp;Queues</source>
        <translation>队列(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Teams</source>
        <translation>班组(&amp;T)</translation>
    </message>
    <message>
        <source>Tick the queues and teams this desk and its wall watch; none ticked: all. Escalations stay on screen for every department.</source>
        <translation>勾选本工作台及其大屏关注的队列和班组；都不勾选即全部。升级工单仍显示所有部门的。</translation>
    </message>
    <message>
        <source>This run shows the scope given on the command line (%1); what is ticked here is kept for the next runs.</source>
        <translation>本次运行显示命令行指定的范围（%1）；此处勾选的内容保存，供以后运行使用。</translation>
    </message>
    <message>
        <source>Floor defaults from %1</source>
        <translation>现场默认设置来自 %1</translation>
    </message>
    <message>
        <source>No floor defaults file (%1)</source>
        <translation>没有现场默认设置文件（%1）</translation>
    </message>
    <message>
        <source>&amp;Floor defaults</source>
        <translation>恢复现场默认(&amp;F)</translation>
    </message>
</context>
<context>
    <name>SignIn</name>
    <message>
        <source>This computer has no usable keyring: the token is kept for this session only.</source>
        <translation>本机没有可用的系统密钥环：令牌仅在本次会话中保留。</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Sign in to the queue event server with the token your administrator gave you.</source>
        <translation>请使用管理员发放的令牌登录排队事件服务器。</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>令牌</translation>
    </message>
    <message>
        <source>Remember on this computer (in the system keyring)</source>
        <translation>在本机记住（保存在系统密钥环中）</translation>
    </message>
</context>
<context>
    <name>TrendPanel</name>
    <message>
        <source>Waiting contacts today</source>
        <translation>今日排队客户</translation>
    </message>
    <message>
        <source>Target %1%</source>
        <translation>目标 %1%</translation>
    </message>
    <message>
        <source>Waiting contacts today (all queues)</source>
        <translation>今日排队客户（全部队列）</translation>
    </message>
    <message>
        <source>%1 per 30 minutes</source>
        <translation>每 30 分钟%1</translation>
    </message>
    <message>
        <source>Contacts offered per 30 minutes</source>
        <translation>每 30 分钟进线量</translation>
    </message>
    <message>
        <source>dashed: same time last week</source>
        <translation>虚线：上周同期</translation>
    </message>
</context>
<context>
    <name>WaitingModel</name>
    <message>
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>VIP</source>
        <translation>贵宾</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>Wait</source>
        <translation>等待</translation>
    </message>
    <message>
        <source>SLA</source>
        <translation>SLA</translation>
    </message>
    <message>
        <source>Breach in</source>
        <translation>距超时</translation>
    </message>
    <message>
        <source>Breach risk</source>
        <translation>超时风险</translation>
    </message>
    <message>
        <source>No breach risk while the data is not live.</source>
        <translation>数据未实时，不显示超时风险。</translation>
    </message>
    <message>
        <source>No breach risk: the queue has too little data for a forecast.</source>
        <translation>无超时风险：该队列数据不足，无法预测。</translation>
    </message>
    <message>
        <source>No breach risk: the forecast is not current.</source>
        <translation>无超时风险：预测已过时。</translation>
    </message>
    <message>
        <source>none seen</source>
        <translation>未观察到放弃</translation>
    </message>
    <message>
        <source>Probability of still waiting at T (%1): %2 ahead in the queue, %3 agents staffed with the skill, %4 free; mean handle %5, mean patience %6.</source>
        <translation>等待达到 T（%1）时仍未接通的概率：前面还有 %2 位，具备该技能的在岗坐席 %3 人，空闲 %4 人；平均处理时长 %5，平均耐心时长 %6。</translation>
    </message>
    <message>
        <source>★ VIP</source>
        <translation>★ 贵宾</translation>
    </message>
</context>
<context>
    <name>WallDisplay</name>
    <message>
        <source>Command Center — wall display</source>
        <translation>客服指挥中心 — 大屏</translation>
    </message>
    <message>
        <source>Contact center</source>
        <translation>客服中心</translation>
    </message>
    <message>
        <source>Agents: %1 available of %2 signed in</source>
        <translation>坐席：在线 %2 人，空闲 %1 人</translation>
    </message>
    <message>
        <source>Most urgent waiting contacts (%1 waiting)</source>
        <translation>最紧急的排队客户（共 %1 位）</translation>
    </message>
    <message>
        <source>Escalations due (%1 open, %2 overdue)</source>
        <translation>待办升级事项（未结 %1，逾期 %2）</translation>
    </message>
    <message>
        <source>Escalations due, all departments (%1 open, %2 overdue)</source>
        <translation>待办升级事项，所有部门（未结 %1，逾期 %2）</translation>
    </message>
    <message>
        <source>SL = %1</source>
        <translation>%1</translation>
    </message>
    <message>
        <source>%1 waiting</source>
        <translation>%1 位排队</translation>
    </message>
    <message>
        <source>SL %1 · longest %2</source>
        <translation>服务水平 %1 · 最长 %2</translation>
    </message>
    <message>
        <source>SL %1 · %2 free</source>
        <translation>服务水平 %1 · 空闲 %2</translation>
    </message>
    <message>
        <source>Same time last week</source>
        <translation>上周同期</translation>
    </message>
    <message>
        <source>SL %1</source>
        <translation>服务水平 %1</translation>
    </message>
    <message>
        <source>Offered %1</source>
        <translation>进线 %1</translation>
    </message>
    <message>
        <source>ASA %1</source>
        <translation>平均应答 %1</translation>
    </message>
</context>
<context>
    <name>Widgets</name>
    <message>
        <source>OK</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>预警</translation>
    </message>
    <message>
        <source>Breached</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>Available</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>Ringing</source>
        <translation>振铃</translation>
    </message>
    <message>
        <source>On call</source>
        <translation>通话中</translation>
    </message>
    <message>
        <source>Wrap-up</source>
        <translation>话后处理</translation>
    </message>
    <message>
        <source>Break</source>
        <translation>休息</translation>
    </message>
    <message>
        <source>Meeting</source>
        <translation>会议</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>培训</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <source>Live · updated %1 ago</source>
        <translation>实时 · %1 前更新</translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>正在重连…</translation>
    </message>
    <message>
        <source>Stale %1</source>
        <translation>数据过期 %1</translation>
    </message>
    <message>
        <source>Not authorised</source>
        <translation>未授权</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>DATA STALE — last update %1 ago</source>
        <translation>数据已过期 — 最后更新于 %1 前</translation>
    </message>
    <message>
        <source>DATA STALE — no update received yet</source>
        <translation>数据已过期 — 尚未收到任何更新</translation>
    </message>
    <message>
        <source>Stale</source>
        <translation>过期</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>Page %1 of %2</source>
        <translation>第 %1 页，共 %2 页</translation>
    </message>
    <message>
        <source>Agent states: %1</source>
        <translation>坐席状态：%1</translation>
    </message>
    <message>
        <source>Due in %1</source>
        <translation>%1 后到期</translation>
    </message>
    <message>
        <source>DATA STALE — %1</source>
        <extracomment>%1 is why the data is stale (a sentence already translated)</extracomment>
        <translation>数据已过期 — %1</translation>
    </message>
    <message>
        <source>DATA STALE — %1 · for %2</source>
        <extracomment>%1 is why the data is stale (a sentence already translated), %2 how long it has been</extracomment>
        <translation>数据已过期 — %1 · 已持续 %2</translation>
    </message>
</context>
<context>
    <name>alerts</name>
    <message>
        <source>A contact breaches the SLA</source>
        <translation>有客户等待超过 SLA</translation>
    </message>
    <message>
        <source>An escalation is due within 15 minutes</source>
        <translation>升级工单 15 分钟内到期</translation>
    </message>
    <message>
        <source>The live feed is lost</source>
        <translation>实时数据中断</translation>
    </message>
    <message>
        <source>Escalation due in %1 min</source>
        <translation>升级工单将在 %1 分钟后到期</translation>
    </message>
    <message>
        <source>%1 escalations due within 15 min</source>
        <translation>%1 张升级工单将在 15 分钟内到期</translation>
    </message>
    <message>
        <source>%1 · %2 · %3 · due in %4 min</source>
        <translation>%1 · %2 · %3 · %4 分钟后到期</translation>
    </message>
    <message>
        <source>and %1 more</source>
        <translation>另有 %1 张</translation>
    </message>
</context>
<context>
    <name>forecast</name>
    <message>
        <source>%1 contacts in the last 30 minutes (%2 needed)</source>
        <translation>最近 30 分钟仅 %1 位客户（至少需 %2 位）</translation>
    </message>
    <message>
        <source>no call ended in the last hour</source>
        <translation>最近 1 小时没有结束的通话</translation>
    </message>
    <message>
        <source>only %1 min of today&apos;s data (30 needed)</source>
        <translation>今日数据仅 %1 分钟（至少需 30 分钟）</translation>
    </message>
    <message>
        <source>Not enough data for a forecast: %1</source>
        <translation>数据不足，无法预测：%1</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>Arrivals %1/h: %2 queued in the last 30 min</source>
        <translation>来电量 %1/小时：最近 30 分钟排队 %2 位</translation>
    </message>
    <message>
        <source>, averaged with %1 in the same half hour a week ago</source>
        <translation>，与上周同一时段的 %1 位取平均</translation>
    </message>
    <message>
        <source>Handle %1: mean of %2 calls ended in the last hour (talk + wrap-up)</source>
        <translation>处理时长 %1：最近 1 小时结束的 %2 通通话的平均值（通话 + 话后处理）</translation>
    </message>
    <message>
        <source>Patience: no abandonment in the last hour (%1 waited): none modelled</source>
        <translation>耐心时长：最近 1 小时无放弃（共等待 %1），不计放弃</translation>
    </message>
    <message>
        <source>Patience %1: %2 abandoned ÷ %3 waited in the last hour</source>
        <translation>耐心时长 %1：最近 1 小时放弃 %2 位 ÷ 总等待 %3</translation>
    </message>
    <message>
        <source>Agents %1: staffed with the skill; an agent with several skills counts in part, split by the queues&apos; load (%2 in all)</source>
        <translation>坐席 %1 人：具备该技能的在岗坐席；多技能坐席按各队列负荷分摊计入（合计 %2）</translation>
    </message>
    <message>
        <source> (%1 of them here)</source>
        <translation>（此队列计 %1 人）</translation>
    </message>
    <message>
        <source>%1. %2 · %3 for %4%5 → %6 (+%7 pts)</source>
        <translation>%1. %2 · %3 已 %4%5 → %6（+%7 个百分点）</translation>
    </message>
    <message>
        <source>%1 forecast %2 service level %3 · target out of reach</source>
        <translation>%1 预计 %2 服务水平 %3 · 无法达到目标</translation>
    </message>
    <message>
        <source>%1 forecast %2 service level %3 · agents to add: %4</source>
        <translation>%1 预计 %2 服务水平 %3 · 需增加 %4 人</translation>
    </message>
    <message>
        <source>Forecast paused: the data is not live</source>
        <translation>预测暂停：数据未实时</translation>
    </message>
    <message>
        <source>Forecast: waiting for current data</source>
        <translation>预测：等待最新数据</translation>
    </message>
    <message>
        <source> (+%1 more queues below target)</source>
        <translation>（另有 %1 个队列低于目标）</translation>
    </message>
    <message>
        <source>Forecast to %1: every queue on target</source>
        <translation>预计至 %1：各队列均达标</translation>
    </message>
    <message>
        <source> (%1 without enough data)</source>
        <translation>（%1 个队列数据不足）</translation>
    </message>
    <message>
        <source>Forecast: not enough data yet</source>
        <translation>预测：数据尚不足</translation>
    </message>
</context>
<context>
    <name>formula</name>
    <message>
        <source>Service level (abandons count against)</source>
        <translation>服务水平（放弃计入）</translation>
    </message>
    <message>
        <source>Service level (answered only)</source>
        <translation>服务水平（仅计接通）</translation>
    </message>
    <message>
        <source>Service level (removed within T)</source>
        <translation>服务水平（T 内移除）</translation>
    </message>
    <message>
        <source>Abandons count against</source>
        <translation>放弃计入</translation>
    </message>
    <message>
        <source>Answered only</source>
        <translation>仅计接通</translation>
    </message>
    <message>
        <source>Removed within T</source>
        <translation>T 内移除</translation>
    </message>
    <message>
        <source>answered within T ÷ (answered + abandoned)</source>
        <translation>T 内接通数 ÷（接通数 + 放弃数）</translation>
    </message>
    <message>
        <source>answered within T ÷ answered</source>
        <translation>T 内接通数 ÷ 接通数</translation>
    </message>
    <message>
        <source>(answered within T + abandoned within T + short abandoned) ÷ offered</source>
        <translation>（T 内接通 + T 内放弃 + 短放弃）÷ 进线数</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
</context>
<context>
    <name>names</name>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Available</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>Ringing</source>
        <translation>振铃</translation>
    </message>
    <message>
        <source>On call</source>
        <translation>通话中</translation>
    </message>
    <message>
        <source>Wrap-up</source>
        <translation>话后处理</translation>
    </message>
    <message>
        <source>Break</source>
        <translation>休息</translation>
    </message>
    <message>
        <source>Meeting</source>
        <translation>会议</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>培训</translation>
    </message>
    <message>
        <source>Voice</source>
        <translation>语音</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>在线文字</translation>
    </message>
    <message>
        <source>Callback</source>
        <translation>回呼</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>邮件</translation>
    </message>
    <message>
        <source>Inquiry</source>
        <translation>咨询</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>Service request</source>
        <translation>业务办理</translation>
    </message>
    <message>
        <source>Card loss</source>
        <translation>挂失</translation>
    </message>
    <message>
        <source>Fraud report</source>
        <translation>欺诈举报</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>低</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>普通</translation>
    </message>
    <message>
        <source>High</source>
        <translation>高</translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation>紧急</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>未处理</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>处理中</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>已解决</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>预警</translation>
    </message>
    <message>
        <source>Breached</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>Lunch</source>
        <translation>午餐</translation>
    </message>
    <message>
        <source>Coffee</source>
        <translation>小憩</translation>
    </message>
    <message>
        <source>Rest</source>
        <translation>休息</translation>
    </message>
    <message>
        <source>Personal</source>
        <translation>私事</translation>
    </message>
    <message>
        <source>Coaching</source>
        <translation>辅导</translation>
    </message>
    <message>
        <source>Team meeting</source>
        <translation>班组会议</translation>
    </message>
    <message>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>Credit cards</source>
        <translation>信用卡服务</translation>
    </message>
    <message>
        <source>Deposits and transfers</source>
        <translation>储蓄与转账</translation>
    </message>
    <message>
        <source>Online and mobile banking</source>
        <translation>网银与手机银行</translation>
    </message>
    <message>
        <source>Personal loans</source>
        <translation>个人贷款</translation>
    </message>
    <message>
        <source>Wealth management</source>
        <translation>财富管理部</translation>
    </message>
    <message>
        <source>Card loss and fraud</source>
        <translation>挂失与反欺诈</translation>
    </message>
    <message>
        <source>VIP service</source>
        <translation>贵宾服务</translation>
    </message>
    <message>
        <source>Credit card center</source>
        <translation>信用卡中心</translation>
    </message>
    <message>
        <source>Retail lending</source>
        <translation>零售信贷部</translation>
    </message>
    <message>
        <source>IT</source>
        <translation>科技部</translation>
    </message>
    <message>
        <source>Operations</source>
        <translation>运营管理部</translation>
    </message>
    <message>
        <source>Compliance</source>
        <translation>合规部</translation>
    </message>
    <message>
        <source>Risk management (anti-fraud)</source>
        <translation>风险管理部（反欺诈）</translation>
    </message>
    <message>
        <source>Consumer protection</source>
        <translation>消费者权益保护部</translation>
    </message>
    <message>
        <source>All queues</source>
        <translation>全部队列</translation>
    </message>
    <message>
        <source>Team %1</source>
        <translation>%1组</translation>
    </message>
</context>
<context>
    <name>scope</name>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>All queues</source>
        <translation>全部队列</translation>
    </message>
    <message>
        <source>all teams</source>
        <translation>全部班组</translation>
    </message>
    <message>
        <source>My floor: %1 · %2</source>
        <translation>我的范围: %1 · %2</translation>
    </message>
</context>
<context>
    <name>status</name>
    <message>
        <source>Not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <source>Stale · last update %1 ago</source>
        <translation>数据过期 · 最后更新于 %1 前</translation>
    </message>
    <message>
        <source>Live · updated %1 ago</source>
        <translation>实时 · %1 前更新</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <source>the server has lost its data source</source>
        <translation>服务器已失去数据源</translation>
    </message>
    <message>
        <source>Stale · %1</source>
        <translation>数据过期 · %1</translation>
    </message>
    <message>
        <source>Stale · %1 · for %2</source>
        <translation>数据过期 · %1 · 已持续 %2</translation>
    </message>
    <message>
        <source>Stale · last update %1 ago · reconnecting</source>
        <translation>数据过期 · 最后更新于 %1 前 · 正在重连</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Reconnecting in %1 s…</source>
        <translation>%1 秒后重连…</translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>正在重连…</translation>
    </message>
    <message>
        <source>Stale · no data yet</source>
        <translation>数据过期 · 尚无数据</translation>
    </message>
    <message>
        <source>Not authorised: check the token</source>
        <translation>未授权：请检查令牌</translation>
    </message>
    <message>
        <source>Server speaks another protocol version</source>
        <translation>服务器协议版本不兼容</translation>
    </message>
    <message>
        <source>Journal missing 1 event</source>
        <translation>日志缺失 1 条事件</translation>
    </message>
    <message>
        <source>Journal missing %1 events</source>
        <translation>日志缺失 %1 条事件</translation>
    </message>
    <message>
        <source>Events lost in gaps the server could not replay: today&apos;s figures may be incomplete.</source>
        <translation>部分事件在服务器无法补发的缺口中丢失：今日数据可能不完整。</translation>
    </message>
</context>
</TS>
