using System.Globalization;
using System.Text.Json.Nodes;
using Cronos;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Calendar;
using Verification.Cms.Localization;
using Verification.Cms.Workflows;
using Verification.Workflows.Activities;
using Verification.Workflows.Models;

namespace Verification.Workflows.Services;

/// <summary>
/// When timers fire (R-21): "N working days after now", "N working days before/after a date of
/// the case" (recomputed when that date changes, e.g. after an extension), or a cron schedule in
/// Beijing time. Working days come from the tenant's calendar (official days off and adjusted
/// working weekends). Timers fire at a time of day (default 09:00 Beijing).
/// </summary>
public sealed class WorkflowTimers(IWorkingDayCalendar calendar, IServiceProvider services, TimeProvider time)
{
    public static readonly string[] DateFields = ["receivedOn", "dueOn", "supplementDueOn"];

    /// <summary>Checks a relative timer spec: { "workingDays": n, "field": "dueOn"?, "at": "09:00"? } found at <paramref name="prop"/> (or the properties themselves when null).</summary>
    public void ValidateRelative(ActivityNode node, string? prop, ValidationResult result, bool required)
    {
        var spec = prop is null ? node.Props : node.Props[prop] as JsonObject;
        if (spec is null)
        {
            if (required)
            {
                result.Error("需要设定时间（工作日数，或相对案件日期的工作日数）。");
            }

            return;
        }

        var days = spec["workingDays"] is JsonValue v && v.TryGetValue<int>(out var d) ? d : (int?)null;
        if (days is null)
        {
            result.Error("工作日数必须是整数。");
        }

        if (spec["field"] is JsonValue f && f.GetValue<string>() is { Length: > 0 } field && !DateFields.Contains(field))
        {
            result.Error($"日期字段只能是 {string.Join("、", DateFields)}。");
        }
        else if (days is < 0 && spec["field"] is null)
        {
            result.Error("不相对案件日期时，工作日数不能为负。");
        }

        if (spec["at"] is JsonValue at && !TimeOnly.TryParseExact(at.GetValue<string>(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            result.Error("时刻须写成 HH:mm。");
        }
    }

    public static void ValidateCron(string? cron, ValidationResult result)
    {
        if (string.IsNullOrWhiteSpace(cron) || !CronExpression.TryParse(cron, CronFormat.Standard, out _))
        {
            result.Error("cron 表达式无效（五段：分 时 日 月 周）。");
        }
    }

    /// <summary>The timer bookmark for the spec at <paramref name="prop"/> of the current activity.</summary>
    public async Task<BookmarkRequest> RelativeAsync(ActivityContext context, string? prop, string outcome, CancellationToken cancellationToken)
    {
        var spec = (prop is null ? context.Activity.Props : context.Activity.Props[prop] as JsonObject) ?? throw new WorkflowFaultException("没有设定时间。");
        var days = spec["workingDays"]!.GetValue<int>();
        var field = spec["field"] is JsonValue f ? f.GetValue<string>() : null;
        var at = spec["at"] is JsonValue a ? TimeOnly.ParseExact(a.GetValue<string>(), "HH:mm", CultureInfo.InvariantCulture) : new TimeOnly(9, 0);
        if (string.IsNullOrEmpty(field))
        {
            var date = await calendar.AddWorkingDaysAsync(CmsTime.Today(time), days, cancellationToken);
            return new BookmarkRequest(BookmarkKinds.Timer, outcome) { DueUtc = AtChinaTime(date, at) };
        }

        var due = await DueFromCaseAsync(context.CaseId, field, days, at, cancellationToken)
            ?? throw new WorkflowFaultException($"案件没有日期「{field}」，无法设定计时。");
        return new BookmarkRequest(BookmarkKinds.Timer, outcome) { DueUtc = due, DateField = field + "@" + at.ToString("HH:mm", CultureInfo.InvariantCulture), OffsetWorkingDays = days };
    }

    /// <summary>Recomputes a date-field timer from the case's current date ("dueOn@09:00" + offset); null when the case has no such date now.</summary>
    public async Task<DateTime?> RecomputeAsync(WorkflowBookmark bookmark, JsonObject? facts, CancellationToken cancellationToken)
    {
        if (bookmark.DateField is not { } spec || facts is null)
        {
            return bookmark.DueUtc;
        }

        var (field, at) = SplitField(spec);
        return await DueAsync(facts, field, bookmark.OffsetWorkingDays ?? 0, at, cancellationToken);
    }

    public static DateTime? NextCron(string cron, DateTime afterUtc) =>
        CronExpression.Parse(cron, CronFormat.Standard).GetNextOccurrence(DateTime.SpecifyKind(afterUtc, DateTimeKind.Utc), CmsTime.China);

    private async Task<DateTime?> DueFromCaseAsync(string? caseId, string field, int days, TimeOnly at, CancellationToken cancellationToken)
    {
        if (caseId is null || services.GetService<IWorkflowCaseOperations>() is not { } cases)
        {
            return null;
        }

        return await cases.FactsAsync(caseId, cancellationToken) is { } facts ? await DueAsync(facts, field, days, at, cancellationToken) : null;
    }

    /// <summary>N working days before/after the case's date <paramref name="field"/>, at a time of day in Beijing; null when the case has no such date.</summary>
    private async Task<DateTime?> DueAsync(JsonObject facts, string field, int days, TimeOnly at, CancellationToken cancellationToken) =>
        DateOf(facts, field) is { } date ? AtChinaTime(await calendar.AddWorkingDaysAsync(date, days, cancellationToken), at) : null;

    private static (string Field, TimeOnly At) SplitField(string spec)
    {
        var parts = spec.Split('@');
        return (parts[0], parts.Length > 1 ? TimeOnly.ParseExact(parts[1], "HH:mm", CultureInfo.InvariantCulture) : new TimeOnly(9, 0));
    }

    private static DateOnly? DateOf(JsonObject facts, string field) =>
        facts[field] is JsonValue v && DateOnly.TryParseExact(v.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    public static DateTime AtChinaTime(DateOnly date, TimeOnly at) =>
        TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(date.ToDateTime(at), DateTimeKind.Unspecified), CmsTime.China);
}
