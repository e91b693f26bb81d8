using System.Text.Json.Nodes;

namespace Verification.Cms.Workflows;

/// <summary>
/// What workflows may do to a verification case, implemented by the case module so that a workflow
/// goes through the same lifecycle rules, permissions of the step and audit as a person would.
/// </summary>
public interface IWorkflowCaseOperations
{
    /// <summary>
    /// The case as workflows see it: number, state, serviceItem, orgUnit, receivedOn, dueOn, supplementDueOn
    /// (dates as yyyy-MM-dd) and <c>found</c> / <c>foundCount</c> per findings category; null when there is no such case.
    /// </summary>
    Task<JsonObject?> FactsAsync(string caseId, CancellationToken cancellationToken);

    /// <summary>Fires a lifecycle trigger by name; returns null when the case moved, otherwise why not (in Chinese).</summary>
    Task<string?> MoveAsync(string caseId, string trigger, string actor, string? note, CancellationToken cancellationToken);

    /// <summary>Files an HTML letter among the case's documents; returns the document id.</summary>
    Task<string> AddLetterAsync(string caseId, string title, string html, string actor, CancellationToken cancellationToken);

    /// <summary>The lifecycle triggers a workflow may fire (for the designer's choices and validation).</summary>
    IReadOnlyList<string> Triggers { get; }

    /// <summary>The case states (for event filters).</summary>
    IReadOnlyList<string> States { get; }
}
