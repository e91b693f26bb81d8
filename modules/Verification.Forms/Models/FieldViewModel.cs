using System.Text.Json.Nodes;

namespace Verification.Forms.Models;

/// <param name="Name">The HTML name and error path ("applicantName", "members[0].income").</param>
/// <param name="Holder">The object holding the value (the form's data, or a group row).</param>
/// <param name="FileUrl">Where a stored file of this submission is read ("…/file?path="), null before anything is saved.</param>
public sealed record FieldViewModel(FormField Field, string Name, JsonObject Holder, IReadOnlyDictionary<string, string> Errors, bool ReadOnly, bool InRow = false, string? FileUrl = null)
{
    public JsonNode? Value => Holder[Field.Key];
}
