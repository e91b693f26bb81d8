namespace Verification.Cms.Workflows;

/// <summary>
/// The case steps a workflow takes by itself: the ones the standards tie to the calendar, not to a person's
/// judgement or post — terminating a case whose supplement period ran out (G 8.1.8) and archiving a report
/// once its re-check window closed. Every other step (accept, confirm and its authorization gate,
/// review, approve, issue and its number, return, terminate, withdraw) is taken by a permitted person on
/// the case page, where posts, org levels and segregation of duties apply.
/// </summary>
public static class WorkflowCaseSteps
{
    public static readonly IReadOnlyList<string> Automatic = ["SupplementOverdue", "Archive"];
}
