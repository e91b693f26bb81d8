using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Verification.Cms.Media;
using Verification.Forms.Models;

namespace Verification.Forms.Services;

/// <summary>Takes the files of a posted page (form runtime and content editor alike) into the media store, and serves them back.</summary>
public sealed class FormUploads(MediaStore media)
{
    /// <summary>The stored file at a path of the data ("photo", "members[0].licence"), or null: only files the data refers to can be reached.</summary>
    public async Task<MediaFile?> FileAtAsync(IEnumerable<FormField> fields, string dataJson, string path, CancellationToken cancellationToken) =>
        UploadSlots.In(fields, JsonNode.Parse(dataJson) as JsonObject ?? []).FirstOrDefault(s => s.Path == path)?.MediaId is { } id
            ? await media.FindAsync(id, cancellationToken)
            : null;

    /// <summary>The file as a download with its detected type; never sniffed by the browser, never kept by shared caches.</summary>
    public static IActionResult Serve(ControllerBase controller, MediaFile file)
    {
        controller.Response.Headers.XContentTypeOptions = "nosniff";
        controller.Response.Headers.CacheControl = "private, no-store";
        return controller.File(file.Content, file.ContentType, file.FileName);
    }

    /// <summary>
    /// Stores a posted page's uploads (files, photos, drawn signatures) and puts their references into
    /// the data; a refused upload keeps the field's previous file and reports why, by field path.
    /// </summary>
    public async Task<Dictionary<string, string>> ApplyAsync(IFormCollection form, IEnumerable<FormField> fields, JsonObject data, string? user, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var slot in UploadSlots.In(fields, data))
        {
            if (form[slot.Path + ".remove"] == "true")
            {
                slot.Set(null);
                continue;
            }

            MediaUploadResult? result = null;
            if (form.Files.GetFile(slot.Path) is { Length: > 0 } upload)
            {
                await using var stream = upload.OpenReadStream();
                result = await media.SaveAsync(upload.FileName, stream, UploadSlots.Rules(slot.Field), user, cancellationToken);
            }
            else if (slot.Field.Type == FieldTypes.Signature && SignatureImage(form[slot.Path + ".drawn"]) is { } png)
            {
                await using var stream = new MemoryStream(png);
                result = await media.SaveAsync("signature.png", stream, UploadSlots.Rules(slot.Field), user, cancellationToken);
            }

            if (result?.File is { } file)
            {
                slot.Set(file);
            }
            else if (result?.Error is { } error)
            {
                errors[slot.Path] = error;
            }
        }

        return errors;
    }

    /// <summary>The PNG of a signature drawn on the page's canvas ("data:image/png;base64,…"); null when nothing was drawn or it is not that.</summary>
    private static byte[]? SignatureImage(string? dataUrl)
    {
        const string prefix = "data:image/png;base64,";
        if (dataUrl is null || !dataUrl.StartsWith(prefix, StringComparison.Ordinal) || dataUrl.Length > 2_000_000)
        {
            return null;
        }

        var bytes = new byte[(dataUrl.Length - prefix.Length) * 3 / 4];
        return Convert.TryFromBase64String(dataUrl[prefix.Length..], bytes, out var written) ? bytes[..written] : null;
    }

}
