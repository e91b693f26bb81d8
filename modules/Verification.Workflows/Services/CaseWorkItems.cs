using Microsoft.EntityFrameworkCore;
using Verification.Cms.Data;
using Verification.Cms.Workflows;
using Verification.Workflows.Models;

namespace Verification.Workflows.Services;

/// <summary>The case page's view of workflows: the case's tasks (open first) and the instances correlated to it.</summary>
public sealed class CaseWorkItems(TenantDbContext db) : ICaseWorkItems
{
    private static readonly Dictionary<string, string> InstanceStatusText = new(StringComparer.Ordinal)
    {
        [InstanceStatus.Running] = "运行中", [InstanceStatus.Halted] = "等待中", [InstanceStatus.Finished] = "已完成", [InstanceStatus.Faulted] = "故障", [InstanceStatus.Cancelled] = "已终止",
    };

    public async Task<IReadOnlyList<CaseWorkItem>> ForCaseAsync(string caseId, CancellationToken cancellationToken)
    {
        var tasks = await db.Set<WorkflowTask>().AsNoTracking().Where(t => t.CaseId == caseId).OrderBy(t => t.CreatedUtc).ToListAsync(cancellationToken);
        var instances = await db.Set<WorkflowInstance>().AsNoTracking().Where(i => i.CorrelationId == caseId).OrderBy(i => i.CreatedUtc).ToListAsync(cancellationToken);
        var titles = await db.Set<WorkflowDefinition>().AsNoTracking().ToDictionaryAsync(d => d.Name, d => d.Title, cancellationToken);
        return tasks.OrderBy(t => t.Status == Models.TaskStatus.Open ? 0 : 1)
            .Select(t => new CaseWorkItem("task", t.Title, t.Status == Models.TaskStatus.Open ? "待办" : t.Outcome ?? "已结束", "tasks/" + t.Id, t.DueOn))
            .Concat(instances.Select(i => new CaseWorkItem("workflow", titles.GetValueOrDefault(i.DefinitionName, i.DefinitionName) + " v" + i.Version, InstanceStatusText.GetValueOrDefault(i.Status, i.Status), "admin/workflows/instances/" + i.Id, null)))
            .ToList();
    }
}
