using System.Text.Json.Nodes;
using Verification.Cms.Media;
using Verification.Forms.Models;

namespace Verification.Forms.Services;

/// <summary>A place in a submission's data that holds a file: the field, its path ("members[0].photo") and the object holding the value.</summary>
public sealed record UploadSlot(FormField Field, string Path, JsonObject Holder)
{
    public string? MediaId => (Holder[Field.Key] as JsonObject)?["id"]?.GetValue<string>();

    public void Set(MediaFile? file) => Holder[Field.Key] = file is null ? null : System.Text.Json.JsonSerializer.SerializeToNode(MediaStore.Reference(file), FormDocument.Json);
}

public static class UploadSlots
{
    /// <summary>Every file-holding place of the given fields in the data, group rows included.</summary>
    public static IEnumerable<UploadSlot> In(IEnumerable<FormField> fields, JsonObject data)
    {
        foreach (var field in fields)
        {
            if (FieldTypes.IsUpload(field.Type))
            {
                yield return new UploadSlot(field, field.Key, data);
            }
            else if (field.Type == FieldTypes.Group && data[field.Key] is JsonArray rows)
            {
                for (var i = 0; i < rows.Count; i++)
                {
                    if (rows[i] is not JsonObject row)
                    {
                        continue;
                    }

                    foreach (var child in field.Fields!.Where(c => FieldTypes.IsUpload(c.Type)))
                    {
                        yield return new UploadSlot(child, $"{field.Key}[{i}].{child.Key}", row);
                    }
                }
            }
        }
    }

    /// <summary>What the field accepts: its size limit (10 MB unless set), kinds, and for photos the smallest resolution.</summary>
    public static UploadRules Rules(FormField field) => new(
        (field.MaxSizeKb ?? (field.Type == FieldTypes.Signature ? 512 : (int)(UploadRules.DefaultMaxBytes / 1024))) * 1024L,
        field.Type == FieldTypes.File ? field.Accept ?? [FileSignatures.Image, FileSignatures.Document] : [FileSignatures.Image],
        field.Type == FieldTypes.Photo ? field.MinWidth : null,
        field.Type == FieldTypes.Photo ? field.MinHeight : null);
}
