using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Verification.Cms.Security;

/// <summary>
/// Gives every &lt;script&gt; of the platform's own Razor views the request's nonce, so the strict
/// Content-Security-Policy runs them (and nothing a tenant template wrote). Views import it with
/// <c>@addTagHelper *, Verification.Cms.Core</c>.
/// </summary>
[HtmlTargetElement("script")]
public sealed class ScriptNonceTagHelper : TagHelper
{
    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    public override void Process(TagHelperContext context, TagHelperOutput output) =>
        output.Attributes.SetAttribute("nonce", ViewContext.HttpContext.CspNonce());
}
