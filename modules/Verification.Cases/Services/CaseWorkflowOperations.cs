using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Verification.Cases.Controllers;
using Verification.Cases.Models;
using Verification.Cases.Notices;
using Verification.Cms.Audit;
using Verification.Cms.Data;
using Verification.Cms.Workflows;

namespace Verification.Cases.Services;

/// <summary>
/// The case module's side of workflows: the facts a rule may read, moving a case through the same
/// lifecycle (the workflow is the actor on the timeline and in the audit), and filing letters.
/// </summary>
public sealed class CaseWorkflowOperations(TenantDbContext db, CaseService cases, CaseActions actions, IAuditTrail audit, IStringLocalizer T, TimeProvider time) : IWorkflowCaseOperations
{
    public IReadOnlyList<string> Triggers => WorkflowCaseSteps.Automatic;

    public IReadOnlyList<string> States { get; } = Enum.GetNames<CaseState>();

    public async Task<JsonObject?> FactsAsync(string caseId, CancellationToken cancellationToken)
    {
        var @case = await db.Set<VerificationCase>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == caseId, cancellationToken);
        if (@case is null)
        {
            return null;
        }

        var facts = new JsonObject
        {
            ["id"] = @case.Id,
            ["number"] = @case.Number,
            ["state"] = @case.State.ToString(),
            ["serviceItem"] = @case.ServiceItem,
            ["orgUnit"] = @case.OrgUnit,
            ["receivedOn"] = Date(@case.ReceivedOn),
            ["dueOn"] = Date(@case.DueOn),
            ["supplementDueOn"] = @case.SupplementDueOn is { } s ? Date(s) : null,
            ["extensionDays"] = @case.ExtensionDays,
        };
        var found = await db.Set<Finding>().AsNoTracking().Where(f => f.CaseId == caseId && f.Kind == FindingKinds.Record)
            .GroupBy(f => f.Category).Select(g => new { Category = g.Key, Amount = g.Sum(f => f.Amount ?? 0m), Count = g.Count() }).ToListAsync(cancellationToken);
        facts["found"] = new JsonObject(found.Select(f => KeyValuePair.Create(f.Category, (JsonNode?)f.Amount)));
        facts["foundCount"] = new JsonObject(found.Select(f => KeyValuePair.Create(f.Category, (JsonNode?)f.Count)));
        if (found.Count > 0)
        {
            // What providers found about a household is personal data: a rule reading it is audited like a person would be.
            await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, "case.factsRead", "case", caseId, new Dictionary<string, string?> { ["by"] = "workflow" }) { Actor = "workflow" }, cancellationToken);
        }

        return facts;
    }

    public async Task<string?> MoveAsync(string caseId, string trigger, string actor, string? note, CancellationToken cancellationToken)
    {
        if (!Enum.TryParse<CaseTrigger>(trigger, out var parsed))
        {
            return $"没有案件操作「{trigger}」。";
        }

        if (!WorkflowCaseSteps.Automatic.Contains(trigger))
        {
            // Checked when the workflow is saved; checked here again for versions stored before.
            await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, "case.step.refused", "case", caseId, new Dictionary<string, string?> { ["trigger"] = trigger, ["by"] = actor }) { Actor = actor }, cancellationToken);
            return $"「{trigger}」须由有相应岗位权限的工作人员在案件页面办理，流程不能自动执行。";
        }

        try
        {
            if (parsed == CaseTrigger.SupplementOverdue)
            {
                await actions.TerminateOverdueSupplementAsync(caseId, actor, cancellationToken);
            }
            else
            {
                await cases.FireAsync(caseId, parsed, actor, note, cancellationToken);
            }

            return null;
        }
        catch (CaseTransitionException ex)
        {
            db.ChangeTracker.Clear();
            var previous = CultureInfo.CurrentUICulture;
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
            try
            {
                return CaseMessages.Localize(T, ex.Message, ex.Arguments);
            }
            finally
            {
                CultureInfo.CurrentUICulture = previous;
            }
        }
    }

    public async Task<string> AddLetterAsync(string caseId, string title, string html, string actor, CancellationToken cancellationToken)
    {
        var letter = new CaseNotice { CaseId = caseId, Kind = NoticeKinds.Letter, Reason = title, Html = html, IssuedUtc = time.GetUtcNow().UtcDateTime, IssuedBy = actor };
        db.Add(letter);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, "case.letter", "case", caseId, new Dictionary<string, string?> { ["title"] = title }) { Actor = actor }, cancellationToken);
        return letter.Id.ToString(CultureInfo.InvariantCulture);
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
