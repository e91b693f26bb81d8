using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Verification.Cms.Hosting;

/// <summary>
/// What a client sees when a request fails: a short bilingual message and a trace id to quote, never a
/// stack trace or a type name, whatever the environment. A request the server refused as malformed or
/// too large keeps its status (400/408/413), not a 500.
/// </summary>
internal static class ErrorResponses
{
    public static async Task WriteAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var status = error is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;
        var traceId = Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
        if (status >= 500)
        {
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Errors").LogError(error, "Request {Path} failed ({TraceId})", context.Request.Path, traceId);
        }

        context.Response.Clear();
        await WriteAsync(context, status, traceId);
    }

    /// <summary>An error status that left the body empty (a refused content type, an unknown route) gets its sentence too.</summary>
    public static Task WriteStatusAsync(StatusCodeContext context) =>
        WriteAsync(context.HttpContext, context.HttpContext.Response.StatusCode, Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier);

    private static async Task WriteAsync(HttpContext context, int status, string traceId)
    {
        var (zh, en) = status switch
        {
            StatusCodes.Status401Unauthorized => ("需要登录，或提供有效的接口密钥。", "Sign in, or send a valid key."),
            StatusCodes.Status403Forbidden => ("没有办理此项的权限。", "You may not do this."),
            StatusCodes.Status404NotFound => ("没有这个页面或记录。", "There is no such page or record."),
            StatusCodes.Status405MethodNotAllowed => ("不接受这种请求方式。", "This method is not accepted here."),
            StatusCodes.Status413PayloadTooLarge => ("提交的内容超过了允许的大小，请缩小文件后重试。", "What was sent is larger than allowed; send a smaller file."),
            StatusCodes.Status415UnsupportedMediaType => ("不接受这种内容类型（接口请求应为 application/json）。", "This content type is not accepted (API requests are application/json)."),
            StatusCodes.Status408RequestTimeout => ("请求超时，请重试。", "The request took too long; try again."),
            StatusCodes.Status429TooManyRequests => ("请求过于频繁，请稍后再试。", "Too many requests; try again later."),
            < 500 => ("请求无法处理，请检查填写的内容后重试。", "The request could not be read; check what was entered and try again."),
            _ => ("服务器处理请求时出错，请稍后重试；如问题持续，请将跟踪号告知管理员。", "The server failed to handle the request; try again later, or give the trace id to the administrator."),
        };
        context.Response.StatusCode = status;
        context.Response.Headers.CacheControl = "no-store";
        if (WantsJson(context.Request))
        {
            await context.Response.WriteAsJsonAsync(new { type = "about:blank", title = zh, detail = en, status, traceId }, options: null, contentType: "application/problem+json; charset=utf-8");
            return;
        }

        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync($"""
            <!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{status}</title></head>
            <body style="font-family:sans-serif;margin:48px"><h1>{WebUtility.HtmlEncode(zh)}</h1><p>{WebUtility.HtmlEncode(en)}</p><p><small>跟踪号 Trace id: {WebUtility.HtmlEncode(traceId)}</small></p></body></html>
            """);
    }

    private static bool WantsJson(HttpRequest request) =>
        request.Path.Value?.Contains("/api/", StringComparison.OrdinalIgnoreCase) == true
        || request.Headers.Accept.ToString().Contains("json", StringComparison.OrdinalIgnoreCase)
        || request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true;
}
