namespace Verification.Cms.Liquid;

/// <summary>
/// A Liquid template a module lets each tenant edit on the template page (the report, the notices),
/// besides the public home page. Its default is the theme's file <c>themes/PublicTheme/Views/{Name}.liquid</c>.
/// </summary>
/// <param name="Label">An English localization key shown in the list of templates.</param>
public sealed record EditableTemplate(string Name, string Label);
