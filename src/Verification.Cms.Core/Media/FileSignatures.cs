namespace Verification.Cms.Media;

/// <summary>One accepted file format: how its content starts, its extensions and the kind it belongs to.</summary>
public sealed record FileFormat(string Kind, string ContentType, IReadOnlyList<string> Extensions);

/// <summary>
/// Recognises the accepted formats by their leading bytes (magic numbers). The extension must agree
/// with the content, so an executable renamed to .pdf, or a page of HTML named .jpg, is refused.
/// </summary>
public static class FileSignatures
{
    public const string Image = "image";
    public const string Document = "document";

    private static readonly (byte[] Magic, FileFormat[] Formats)[] Known =
    [
        ([0xFF, 0xD8, 0xFF], [new(Image, "image/jpeg", [".jpg", ".jpeg"])]),
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], [new(Image, "image/png", [".png"])]),
        ("%PDF-"u8.ToArray(), [new(Document, "application/pdf", [".pdf"])]),
        // Office Open XML files are ZIP archives; the extension tells which one.
        ([0x50, 0x4B, 0x03, 0x04],
        [
            new(Document, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", [".docx"]),
            new(Document, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", [".xlsx"]),
        ]),
        ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], [new(Document, "application/msword", [".doc"]), new(Document, "application/vnd.ms-excel", [".xls"])]),
    ];

    /// <summary>The format of the content when it is one we accept and the file name's extension agrees; otherwise null.</summary>
    public static FileFormat? Detect(ReadOnlySpan<byte> content, string fileName)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        foreach (var (magic, formats) in Known)
        {
            if (content.StartsWith(magic))
            {
                return formats.FirstOrDefault(f => f.Extensions.Contains(extension));
            }
        }

        return null;
    }

    /// <summary>The extensions accepted for the given kinds, for the file picker's accept attribute.</summary>
    public static IEnumerable<string> Extensions(IEnumerable<string> kinds) =>
        Known.SelectMany(k => k.Formats).Where(f => kinds.Contains(f.Kind)).SelectMany(f => f.Extensions);
}
