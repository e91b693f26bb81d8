using System.Text.Json.Nodes;

namespace Verification.Forms.Models;

/// <param name="Name">The HTML name and error path ("applicantName", "members[0].income").</param>
/// <param name="Holder">The object holding the value (the form's data, or a group row).</param>
public sealed record FieldViewModel(FormField Field, string Name, JsonObject Holder, IReadOnlyDictionary<string, string> Errors, bool ReadOnly, bool InRow = false)
{
    public JsonNode? Value => Holder[Field.Key];
}
