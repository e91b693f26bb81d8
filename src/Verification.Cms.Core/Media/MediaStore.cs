using System.Security.Cryptography;
using MetadataExtractor;
using MetadataExtractor.Formats.Jpeg;
using MetadataExtractor.Formats.Png;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Verification.Cms.Data;

namespace Verification.Cms.Media;

/// <summary>What an upload may be: its size limit, the kinds of file accepted and, for photos, the smallest resolution.</summary>
public sealed record UploadRules(long MaxBytes, IReadOnlyCollection<string> Kinds, int? MinWidth = null, int? MinHeight = null)
{
    public const long DefaultMaxBytes = 10 * 1024 * 1024;
}

/// <summary>The stored file, or the reason (localized) it was refused; a refused upload stores nothing.</summary>
public sealed record MediaUploadResult(MediaFile? File, string? Error);

public sealed class MediaStore(TenantDbContext db, IStringLocalizer T)
{
    public async Task<MediaUploadResult> SaveAsync(string fileName, Stream content, UploadRules rules, string? user, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(fileName.Replace('\\', '/')).Trim();
        if (name.Length is 0 or > 200)
        {
            return Refused(T["The file needs a name of at most 200 characters."]);
        }

        // Read one byte more than allowed: enough to know it is too large without buffering it all.
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > rules.MaxBytes)
            {
                return Refused(T["{0} is larger than the limit of {1}.", name, Size(rules.MaxBytes)]);
            }
        }

        if (buffer.Length == 0)
        {
            return Refused(T["{0} is empty.", name]);
        }

        var bytes = buffer.ToArray();
        var format = FileSignatures.Detect(bytes, name);
        if (format is null || !rules.Kinds.Contains(format.Kind))
        {
            return Refused(T["{0} is not an accepted file type; accepted: {1}.", name, string.Join(" ", FileSignatures.Extensions(rules.Kinds))]);
        }

        int? width = null, height = null;
        if (format.Kind == FileSignatures.Image)
        {
            if (Dimensions(bytes) is not { } size)
            {
                return Refused(T["{0} cannot be read as an image.", name]);
            }

            (width, height) = size;
            if ((rules.MinWidth is { } minWidth && width < minWidth) || (rules.MinHeight is { } minHeight && height < minHeight))
            {
                return Refused(T["{0} is {1}×{2} pixels; at least {3}×{4} is needed.", name, width, height, rules.MinWidth ?? 0, rules.MinHeight ?? 0]);
            }
        }

        var file = new MediaFile
        {
            FileName = name,
            ContentType = format.ContentType,
            Size = bytes.Length,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            Width = width,
            Height = height,
            Content = bytes,
            CreatedBy = user,
        };
        db.Add(file);
        await db.SaveChangesAsync(cancellationToken);
        return new MediaUploadResult(file, null);
    }

    public Task<MediaFile?> FindAsync(string id, CancellationToken cancellationToken) =>
        db.Set<MediaFile>().AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, cancellationToken);

    /// <summary>Which of the ids exist, with who uploaded them (to check a reference in posted data is the user's own).</summary>
    public async Task<IReadOnlyDictionary<string, string?>> OwnersAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
        ids.Count == 0
            ? new Dictionary<string, string?>()
            : await db.Set<MediaFile>().AsNoTracking().Where(m => ids.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.CreatedBy, cancellationToken);

    public static MediaReference Reference(MediaFile file) => new(file.Id, file.FileName, file.ContentType, file.Size);

    private static (int Width, int Height)? Dimensions(byte[] bytes)
    {
        try
        {
            var directories = ImageMetadataReader.ReadMetadata(new MemoryStream(bytes));
            if (directories.OfType<JpegDirectory>().FirstOrDefault() is { } jpeg)
            {
                return (jpeg.GetImageWidth(), jpeg.GetImageHeight());
            }

            if (directories.OfType<PngDirectory>().FirstOrDefault(d => d.ContainsTag(PngDirectory.TagImageWidth)) is { } png)
            {
                return (png.GetInt32(PngDirectory.TagImageWidth), png.GetInt32(PngDirectory.TagImageHeight));
            }
        }
        // Parsers of uploaded files throw more than their own exceptions (a mutated PNG chunk: ArgumentException):
        // whatever they throw, the file is refused as unreadable.
        catch (Exception ex) when (ex is not OutOfMemoryException and not OperationCanceledException)
        {
        }

        return null;
    }

    private static string Size(long bytes) => bytes >= 1024 * 1024 ? $"{bytes / (1024.0 * 1024):0.#} MB" : $"{bytes / 1024.0:0.#} KB";

    private static MediaUploadResult Refused(string message) => new(null, message);
}
