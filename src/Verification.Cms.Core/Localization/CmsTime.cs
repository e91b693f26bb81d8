using System.Globalization;

namespace Verification.Cms.Localization;

/// <summary>Times are stored in UTC and shown in China Standard Time (Asia/Shanghai).</summary>
public static class CmsTime
{
    public static readonly TimeZoneInfo China = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static DateTime ToChina(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), China);

    /// <summary>Today's date in Beijing (deadlines, numbers and expressions count Beijing days).</summary>
    public static DateOnly Today(TimeProvider? time = null) => DateOnly.FromDateTime(ToChina((time ?? TimeProvider.System).GetUtcNow().UtcDateTime));

    public static string Format(DateTime? utc) => utc is null ? "—" : ToChina(utc.Value).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
