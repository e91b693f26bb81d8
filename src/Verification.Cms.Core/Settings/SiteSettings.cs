namespace Verification.Cms.Settings;

/// <summary>The tenant's own settings: one row.</summary>
public sealed class SiteSettings
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    public string DisplayName { get; set; } = string.Empty;

    /// <summary>GB/T 2260 code of the centre's division; used in authorization and report numbers .</summary>
    public string? DivisionCode { get; set; }

    /// <summary>province / city / district / county / street, or host.</summary>
    public string Level { get; set; } = "city";

    public string TimeZone { get; set; } = "Asia/Shanghai";

    public string DefaultLocale { get; set; } = "zh-CN";

    public string ConcurrencyStamp { get; set; } = Guid.NewGuid().ToString("N");

    public DateTime UpdatedUtc { get; set; } = DateTime.UtcNow;
}
