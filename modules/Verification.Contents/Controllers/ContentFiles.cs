using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Verification.Cms.Media;
using Verification.Contents.Models;
using Verification.Forms.Models;
using Verification.Forms.Services;

namespace Verification.Contents.Controllers;

/// <summary>Serves a file that a content item version refers to (and only such a file).</summary>
internal static class ContentFiles
{
    public static async Task<IActionResult> ServeAsync(Controller controller, MediaStore media, FormDocument editor, ContentItemVersionRecord version, string path, CancellationToken cancellationToken)
    {
        var slot = UploadSlots.In(editor.Fields, JsonNode.Parse(version.DataJson) as JsonObject ?? []).FirstOrDefault(s => s.Path == path);
        if (slot?.MediaId is not { } id || await media.FindAsync(id, cancellationToken) is not { } file)
        {
            return controller.NotFound();
        }

        controller.Response.Headers.XContentTypeOptions = "nosniff";
        return controller.File(file.Content, file.ContentType, file.FileName);
    }
}
