namespace Verification.Forms.Services;

/// <summary>A next step another module offers on a submitted form (e.g. "create a verification case from this declaration").</summary>
public sealed record SubmissionLink(string Label, string Url);

/// <summary>Registered by modules that act on submissions of particular forms; shown on the submitted form's page.</summary>
public interface ISubmissionLinkProvider
{
    IEnumerable<SubmissionLink> LinksFor(string formName, string submissionId);
}
