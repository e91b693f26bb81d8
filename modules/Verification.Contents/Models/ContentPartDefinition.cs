using Verification.Forms.Models;

namespace Verification.Contents.Models;

/// <summary>
/// A reusable part of content types, defined in code by a module (registered as a singleton
/// <see cref="ContentPartDefinition"/>); its fields come from the forms palette.
/// </summary>
public sealed record ContentPartDefinition(string Name, string DisplayName, IReadOnlyList<FormField> Fields, bool ShowSection = true);

/// <summary>The parts available to content types: the built-in ones and those modules register.</summary>
public sealed class ContentPartCatalog(IEnumerable<ContentPartDefinition> parts)
{
    private readonly Dictionary<string, ContentPartDefinition> _parts = parts.ToDictionary(p => p.Name, StringComparer.Ordinal);

    public IReadOnlyCollection<ContentPartDefinition> All => _parts.Values;

    public ContentPartDefinition? Find(string name) => _parts.GetValueOrDefault(name);
}

/// <summary>The parts shipped with the content module.</summary>
public static class BuiltInParts
{
    public const string Title = "TitlePart";
    public const string Body = "BodyPart";
    public const string Attachments = "AttachmentsPart";
    public const string Publication = "PublicationPart";
    public const string Standard = "StandardPart";
    public const string Training = "TrainingPart";

    public static IEnumerable<ContentPartDefinition> All =>
    [
        new(Title, "标题", [new FormField { Key = "title", Type = FieldTypes.Text, Label = "标题", Required = true, MaxLength = 200 }], ShowSection: false),
        new(Body, "正文", [new FormField { Key = "body", Type = FieldTypes.RichText, Label = "正文", MaxLength = 100_000 }], ShowSection: false),
        new(Attachments, "附件",
        [
            new FormField
            {
                Key = "attachments", Type = FieldTypes.Group, Label = "附件", MaxRows = 20,
                Fields =
                [
                    new FormField { Key = "file", Type = FieldTypes.File, Label = "文件", Required = true, MaxSizeKb = 20 * 1024 },
                    new FormField { Key = "description", Type = FieldTypes.Text, Label = "说明", MaxLength = 200 },
                ],
            },
        ]),
        // Policy notices and other official documents: 文号, issuing body and dates.
        new(Publication, "发布信息",
        [
            new FormField { Key = "documentNumber", Type = FieldTypes.Text, Label = "文号", MaxLength = 100 },
            new FormField { Key = "issuer", Type = FieldTypes.Text, Label = "发布机关", MaxLength = 100 },
            new FormField { Key = "issuedOn", Type = FieldTypes.Date, Label = "发布日期" },
            new FormField { Key = "effectiveOn", Type = FieldTypes.Date, Label = "施行日期" },
        ]),
        new(Standard, "标准信息",
        [
            new FormField { Key = "standardCode", Type = FieldTypes.Text, Label = "标准编号", Required = true, MaxLength = 50 },
            new FormField
            {
                Key = "standardLevel", Type = FieldTypes.Choice, Label = "标准层级", Required = true,
                Options = [new("national", "国家标准"), new("sector", "行业标准"), new("local", "地方标准"), new("group", "团体标准")],
            },
            new FormField { Key = "standardStatus", Type = FieldTypes.Choice, Label = "状态", Options = [new("current", "现行"), new("superseded", "废止")] },
            new FormField { Key = "effectiveOn", Type = FieldTypes.Date, Label = "实施日期" },
        ]),
        new(Training, "培训信息",
        [
            new FormField
            {
                Key = "audience", Type = FieldTypes.MultiChoice, Label = "适用岗位",
                Options = [new("clerk", "受理人员"), new("checker", "核对人员"), new("reviewer", "审核人员"), new("approver", "审批人员"), new("admin", "系统管理员")],
            },
            new FormField { Key = "hours", Type = FieldTypes.Number, Label = "学时", Min = 0, Max = 200 },
            new FormField { Key = "courseDate", Type = FieldTypes.Date, Label = "培训日期" },
        ]),
    ];
}
