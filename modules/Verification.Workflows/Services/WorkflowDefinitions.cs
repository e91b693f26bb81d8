using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Verification.Cms.Audit;
using Verification.Cms.Data;
using Verification.Workflows.Activities;
using Verification.Workflows.Models;
using Verification.Workflows.Scripting;

namespace Verification.Workflows.Services;

/// <summary>
/// Definitions without code (R-1.4): drafts edited in the designer, validated before publishing,
/// published as immutable numbered versions (running instances stay on theirs), every change in
/// the audit trail, version diffs and a dry run against sample data.
/// </summary>
public sealed class WorkflowDefinitions(TenantDbContext db, WorkflowRuntime runtime, WorkflowCatalog catalog, IAuditTrail audit, TimeProvider time)
{
    public Task<List<WorkflowDefinition>> ListAsync(CancellationToken cancellationToken) =>
        db.Set<WorkflowDefinition>().AsNoTracking().OrderBy(d => d.Name).ToListAsync(cancellationToken);

    public Task<WorkflowDefinition?> FindAsync(string name, CancellationToken cancellationToken) =>
        db.Set<WorkflowDefinition>().AsNoTracking().FirstOrDefaultAsync(d => d.Name == name, cancellationToken);

    public Task<List<WorkflowVersion>> VersionsAsync(string name, CancellationToken cancellationToken) =>
        db.Set<WorkflowVersion>().AsNoTracking().Where(v => v.DefinitionName == name).OrderByDescending(v => v.Version).ToListAsync(cancellationToken);

    public static bool IsValidName(string? name) => name is { Length: > 0 and <= 64 } && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    /// <summary>Saves the draft; false when someone else saved it meanwhile (stamp differs).</summary>
    public async Task<bool> SaveDraftAsync(string name, string title, string? description, WorkflowGraph graph, string? stamp, string? user, CancellationToken cancellationToken)
    {
        if (!IsValidName(name))
        {
            throw new ArgumentException("流程标识只能用小写字母、数字和 -。", nameof(name));
        }

        var definition = await db.Set<WorkflowDefinition>().FirstOrDefaultAsync(d => d.Name == name, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        if (definition is null)
        {
            definition = new WorkflowDefinition { Name = name, Title = title, Description = description, DraftJson = graph.ToJson(), UpdatedUtc = now, UpdatedBy = user };
            db.Add(definition);
        }
        else
        {
            if (stamp is not null && stamp != definition.ConcurrencyStamp)
            {
                return false;
            }

            definition.Title = title;
            definition.Description = description;
            definition.DraftJson = graph.ToJson();
            definition.UpdatedUtc = now;
            definition.UpdatedBy = user;
            definition.ConcurrencyStamp = Guid.NewGuid().ToString("N");
        }

        await db.SaveChangesAsync(cancellationToken);
        db.Entry(definition).State = EntityState.Detached;
        await audit.RecordAsync(new AuditEntry(AuditCategories.Settings, "workflow.draftSaved", "workflow", name, new Dictionary<string, string?> { ["title"] = title }) { Actor = user }, cancellationToken);
        return true;
    }

    /// <summary>Everything wrong with a graph, in Chinese; empty when it may be published.</summary>
    public IReadOnlyList<string> Validate(WorkflowGraph graph)
    {
        var result = new ValidationResult();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in graph.Activities)
        {
            result.CurrentActivity = node.Title ?? node.Id;
            if (string.IsNullOrWhiteSpace(node.Id) || !ids.Add(node.Id))
            {
                result.Error("活动标识为空或重复。");
                continue;
            }

            if (!runtime.Activities.TryGetValue(node.Type, out var activity))
            {
                result.Error($"没有活动类型「{node.Type}」。");
                continue;
            }

            activity.Validate(node, result);
            var start = graph.IsStart(node);
            if (start && activity is not IEventActivity && !(node.Type == TimerActivity.TypeName && node.Props["cron"] is not null))
            {
                result.Error("没有任何连线指向它：流程只能从事件或 cron 定时开始。");
            }

            if (!start && node.Type == TimerActivity.TypeName && node.Props["cron"] is not null)
            {
                result.Error("cron 定时只能作为流程的开始。");
            }
        }

        result.CurrentActivity = null;
        foreach (var transition in graph.Transitions)
        {
            var from = graph.Find(transition.From);
            if (from is null || graph.Find(transition.To) is null)
            {
                result.Error($"连线 {transition.From} → {transition.To} 连接了不存在的活动。");
            }
            else if (runtime.Activities.TryGetValue(from.Type, out var activity) && !activity.Outcomes(from).Contains(transition.Outcome))
            {
                result.Error($"「{from.Title ?? from.Id}」没有结果「{transition.Outcome}」（可用：{string.Join("、", activity.Outcomes(from))}）。");
            }
        }

        if (!graph.Activities.Any(graph.IsStart))
        {
            result.Error("流程没有开始活动。");
        }

        return result.Errors;
    }

    /// <summary>Publishes the draft as the next version; returns the problems instead when it is not valid.</summary>
    public async Task<(WorkflowVersion? Version, IReadOnlyList<string> Errors)> PublishAsync(string name, string? note, string? user, CancellationToken cancellationToken)
    {
        var definition = await db.Set<WorkflowDefinition>().FirstOrDefaultAsync(d => d.Name == name, cancellationToken)
            ?? throw new KeyNotFoundException(name);
        WorkflowGraph graph;
        try
        {
            graph = WorkflowGraph.Parse(definition.DraftJson);
        }
        catch (JsonException ex)
        {
            return (null, ["流程定义不是有效的 JSON：" + ex.Message]);
        }

        var errors = Validate(graph);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var number = (await db.Set<WorkflowVersion>().Where(v => v.DefinitionName == name).MaxAsync(v => (int?)v.Version, cancellationToken) ?? 0) + 1;
        var now = time.GetUtcNow().UtcDateTime;
        var version = new WorkflowVersion { Id = RowIds.New(), DefinitionName = name, Version = number, GraphJson = graph.ToJson(), PublishedUtc = now, PublishedBy = user, Note = note };
        db.Add(version);
        definition.PublishedVersion = number;
        definition.ConcurrencyStamp = Guid.NewGuid().ToString("N");
        await ScheduleStartsAsync(name, definition.Enabled ? version : null, graph, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.Entry(definition).State = EntityState.Detached;
        db.Entry(version).State = EntityState.Detached;
        catalog.Invalidate();
        await audit.RecordAsync(new AuditEntry(AuditCategories.Settings, "workflow.published", "workflow", name, new Dictionary<string, string?> { ["version"] = number.ToString(System.Globalization.CultureInfo.InvariantCulture), ["note"] = note }) { Actor = user }, cancellationToken);
        return (version, []);
    }

    public async Task SetEnabledAsync(string name, bool enabled, string? user, CancellationToken cancellationToken)
    {
        var definition = await db.Set<WorkflowDefinition>().FirstAsync(d => d.Name == name, cancellationToken);
        definition.Enabled = enabled;
        definition.ConcurrencyStamp = Guid.NewGuid().ToString("N");
        var version = definition.PublishedVersion is { } n ? await db.Set<WorkflowVersion>().AsNoTracking().FirstAsync(v => v.DefinitionName == name && v.Version == n, cancellationToken) : null;
        await ScheduleStartsAsync(name, enabled ? version : null, version is null ? null : WorkflowGraph.Parse(version.GraphJson), time.GetUtcNow().UtcDateTime, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        db.Entry(definition).State = EntityState.Detached;
        catalog.Invalidate();
        await audit.RecordAsync(new AuditEntry(AuditCategories.Settings, enabled ? "workflow.enabled" : "workflow.disabled", "workflow", name) { Actor = user }, cancellationToken);
    }

    /// <summary>Cron starts of the published version (replacing the previous version's).</summary>
    private async Task ScheduleStartsAsync(string name, WorkflowVersion? version, WorkflowGraph? graph, DateTime now, CancellationToken cancellationToken)
    {
        await db.Set<WorkflowBookmark>().Where(b => b.DefinitionName == name && b.Kind == BookmarkKinds.StartTimer).ExecuteDeleteAsync(cancellationToken);
        if (version is null || graph is null)
        {
            return;
        }

        foreach (var node in graph.Activities.Where(n => n.Type == TimerActivity.TypeName && graph.IsStart(n) && n.Text("cron") is { Length: > 0 }))
        {
            db.Add(new WorkflowBookmark
            {
                Id = RowIds.New(),
                DefinitionName = name,
                VersionId = version.Id,
                ActivityId = node.Id,
                Kind = BookmarkKinds.StartTimer,
                DueUtc = WorkflowTimers.NextCron(node.Text("cron")!, now),
                CreatedUtc = now,
            });
        }
    }

    /// <summary>Starts a published workflow by hand at its manual start (optionally for a case).</summary>
    public async Task<string> StartManuallyAsync(string name, string? correlationId, string? user, CancellationToken cancellationToken)
    {
        var snapshot = await catalog.SnapshotAsync(db, runtime.Activities, cancellationToken);
        var start = snapshot.Starts.FirstOrDefault(s => s.DefinitionName == name && s.Node.Type == "ManualStart")
            ?? throw new InvalidOperationException("这个流程没有已发布的「手动启动」。");
        var id = await runtime.StartAsync(start, correlationId, new JsonObject { ["event"] = ManualStartEvent.Name, ["user"] = user }, cancellationToken);
        await audit.RecordAsync(new AuditEntry(AuditCategories.Settings, "workflow.startedManually", "workflow", name, new Dictionary<string, string?> { ["instance"] = id, ["correlation"] = correlationId }) { Actor = user }, cancellationToken);
        return id;
    }

    /// <summary>
    /// Walks the graph from a start with sample data, evaluating conditions, scripts and decision
    /// tables for real and assuming the first outcome for everything that would act or wait.
    /// Nothing is written.
    /// </summary>
    public async Task<IReadOnlyList<DryRunStep>> DryRunAsync(WorkflowGraph graph, JsonObject sample, CancellationToken cancellationToken)
    {
        var steps = new List<DryRunStep>();
        var start = graph.Activities.FirstOrDefault(graph.IsStart);
        if (start is null)
        {
            return [new DryRunStep("-", "-", null, "流程没有开始活动。")];
        }

        var variables = sample["variables"] as JsonObject ?? [];
        var queue = new Queue<(string Id, string? From)>();
        steps.Add(new DryRunStep(start.Id, start.Type, "Done", "开始"));
        foreach (var next in graph.Next(start.Id, "Done"))
        {
            queue.Enqueue((next, start.Id));
        }

        var instance = new WorkflowInstance { Id = "dry-run", DefinitionName = "dry-run", VersionId = "dry-run", Status = InstanceStatus.Running };
        var joins = new JsonObject();
        while (queue.Count > 0 && steps.Count < 100)
        {
            var (id, from) = queue.Dequeue();
            var node = graph.Find(id);
            if (node is null || !runtime.Activities.TryGetValue(node.Type, out var activity))
            {
                steps.Add(new DryRunStep(id, node?.Type ?? "?", null, "活动不存在或类型未启用。"));
                continue;
            }

            IReadOnlyList<string> outcomes;
            string note;
            if (activity is IfElseActivity or ScriptActivity or SetVariableActivity or DecisionTableActivity or ForkActivity or JoinActivity)
            {
                var scope = new JsonObject { ["variables"] = variables.DeepClone(), ["input"] = sample["input"]?.DeepClone(), ["caseInfo"] = sample["caseInfo"]?.DeepClone(), ["today"] = sample["today"]?.DeepClone() };
                try
                {
                    var context = new DryRunContext(instance, graph, node, variables, joins, from, scope);
                    var result = await activity.ExecuteAsync(context.Context, cancellationToken);
                    outcomes = result.Outcomes;
                    note = result.Output?.ToJsonString() ?? string.Empty;
                }
                catch (Exception ex) when (ex is WorkflowFaultException or ScriptFaultException)
                {
                    steps.Add(new DryRunStep(id, node.Type, null, "出错：" + ex.Message));
                    continue;
                }
            }
            else
            {
                var possible = activity.Outcomes(node);
                outcomes = possible.Count > 0 ? [possible[0]] : [];
                var assumed = outcomes.Count > 0 ? outcomes[0] : "—";
                note = activity is IEventActivity or TimerActivity or HumanTaskActivity ? $"将在此等待；假定结果「{assumed}」" : $"将执行；假定结果「{assumed}」";
            }

            steps.Add(new DryRunStep(id, node.Type, string.Join(",", outcomes), note));
            foreach (var outcome in outcomes)
            {
                foreach (var next in graph.Next(id, outcome))
                {
                    queue.Enqueue((next, id));
                }
            }
        }

        return steps;
    }

    /// <summary>A context whose scope is the sample (no case lookup, no services that write).</summary>
    private sealed class DryRunContext
    {
        public DryRunContext(WorkflowInstance instance, WorkflowGraph graph, ActivityNode node, JsonObject variables, JsonObject joins, string? from, JsonObject scope)
        {
            Context = new ActivityContext(instance, graph, node, variables, joins, null, new ReadyActivity(node.Id, from), EmptyServices.Instance, DateTime.UtcNow);
            Context.UseScope(scope);
        }

        public ActivityContext Context { get; }
    }

    private sealed class EmptyServices : IServiceProvider
    {
        public static readonly EmptyServices Instance = new();

        public object? GetService(Type serviceType) => null;
    }

    /// <summary>A line diff of two versions' JSON (for the version history).</summary>
    public static IReadOnlyList<(char Kind, string Line)> Diff(string before, string after)
    {
        var a = before.Split('\n');
        var b = after.Split('\n');
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var lines = new List<(char, string)>();
        int x = 0, y = 0;
        while (x < a.Length && y < b.Length)
        {
            if (a[x] == b[y])
            {
                lines.Add((' ', a[x]));
                x++;
                y++;
            }
            else if (lcs[x + 1, y] >= lcs[x, y + 1])
            {
                lines.Add(('-', a[x++]));
            }
            else
            {
                lines.Add(('+', b[y++]));
            }
        }

        for (; x < a.Length; x++)
        {
            lines.Add(('-', a[x]));
        }

        for (; y < b.Length; y++)
        {
            lines.Add(('+', b[y]));
        }
        return lines;
    }
}

public sealed record DryRunStep(string ActivityId, string Type, string? Outcome, string Note);
