namespace Verification.Cms.Workflows;

/// <summary>Something running for a case outside the case module: a person's task, a workflow instance.</summary>
/// <param name="Kind">"task" or "workflow".</param>
/// <param name="Link">Path relative to the tenant.</param>
public sealed record CaseWorkItem(string Kind, string Title, string Status, string? Link, DateOnly? DueOn);

/// <summary>Lists what runs for a case, for the case page (the workflows feature provides it).</summary>
public interface ICaseWorkItems
{
    Task<IReadOnlyList<CaseWorkItem>> ForCaseAsync(string caseId, CancellationToken cancellationToken);
}
