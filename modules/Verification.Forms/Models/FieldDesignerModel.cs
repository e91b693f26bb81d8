namespace Verification.Forms.Models;

/// <param name="DraftJson">The document being edited ({ name, title, pages }).</param>
/// <param name="SaveUrl">Where the designer posts the document as JSON; it answers 200, or 400 with { problems }.</param>
public sealed record FieldDesignerModel(string DraftJson, string SaveUrl);
