using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Verification.Cms.Audit;
using Verification.Cms.Users;
using Verification.Users.Services;

namespace Verification.Users.Controllers;

public sealed class AccountController(SignInManager<CmsUser> signIn, UserManager<CmsUser> users, SignInThrottle throttle, IAuditTrail audit, IStringLocalizer T) : Controller
{
    [HttpGet("login")]
    [AllowAnonymous]
    public IActionResult Login(string? returnUrl) => View(new LoginForm { ReturnUrl = returnUrl });

    [HttpPost("login")]
    [AllowAnonymous]
    public async Task<IActionResult> Login(LoginForm form, CancellationToken cancellationToken)
    {
        var address = HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (throttle.IsBlocked(address))
        {
            await audit.RecordAsync(new AuditEntry(AuditCategories.Security, "login.throttled", "user", form.UserName, new Dictionary<string, string?> { ["address"] = address }), cancellationToken);
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            ModelState.AddModelError(string.Empty, T["Too many failed sign-ins from this computer. Try again in {0} minutes.", (int)SignInThrottle.Window.TotalMinutes]);
            return View(form);
        }

        var user = string.IsNullOrWhiteSpace(form.UserName) ? null : await users.FindByNameAsync(form.UserName.Trim());
        if (user is null || user.IsDisabled || string.IsNullOrEmpty(form.Password))
        {
            await audit.RecordAsync(new AuditEntry(AuditCategories.Security, "login.failed", "user", form.UserName, new Dictionary<string, string?> { ["reason"] = user is null ? "unknown user" : user.IsDisabled ? "disabled" : "empty password" }), cancellationToken);
            return Refused(form, address);
        }

        var result = await signIn.PasswordSignInAsync(user, form.Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            throttle.Succeeded(address);
            await audit.RecordAsync(new AuditEntry(AuditCategories.Security, "login.succeeded", "user", user.UserName) { Actor = user.UserName }, cancellationToken);
            return LocalRedirect(Url.IsLocalUrl(form.ReturnUrl) ? form.ReturnUrl! : Url.Content("~/admin"));
        }

        await audit.RecordAsync(new AuditEntry(AuditCategories.Security, result.IsLockedOut ? "login.locked-out" : "login.failed", "user", user.UserName), cancellationToken);
        return Refused(form, address);
    }

    /// <summary>
    /// One answer for a wrong password, an unknown or disabled account and a locked one, so nobody learns which
    /// accounts exist or are locked.
    /// </summary>
    private ViewResult Refused(LoginForm form, string address)
    {
        throttle.Failed(address);
        ModelState.AddModelError(string.Empty, T["Wrong user name or password. After 5 wrong passwords an account is locked for 15 minutes."]);
        return View(form);
    }

    [HttpPost("logout")]
    [Authorize]
    public async Task<IActionResult> Logout(CancellationToken cancellationToken)
    {
        await audit.RecordAsync(new AuditEntry(AuditCategories.Security, "logout", "user", User.Identity?.Name), cancellationToken);
        await signIn.SignOutAsync();
        return Redirect(Url.Content("~/login"));
    }

    [HttpGet("access-denied")]
    [AllowAnonymous]
    public IActionResult AccessDenied()
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return View();
    }

    [HttpGet("account/password")]
    [Authorize]
    public IActionResult Password() => View(new PasswordForm());

    [HttpPost("account/password")]
    [Authorize]
    public async Task<IActionResult> Password(PasswordForm form, CancellationToken cancellationToken)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (form.NewPassword != form.ConfirmPassword)
        {
            ModelState.AddModelError(string.Empty, T["The two new passwords differ."]);
            return View(form);
        }

        var result = await users.ChangePasswordAsync(user, form.CurrentPassword ?? string.Empty, form.NewPassword ?? string.Empty);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(string.Empty, T["password." + error.Code]);
            }

            return View(form);
        }

        await signIn.RefreshSignInAsync(user);
        await audit.RecordAsync(new AuditEntry(AuditCategories.Security, "password.changed", "user", user.UserName), cancellationToken);
        TempData["Message"] = T["Your password has been changed."].Value;
        return Redirect(Url.Content("~/admin"));
    }
}

public sealed class LoginForm
{
    public string? UserName { get; set; }

    public string? Password { get; set; }

    public string? ReturnUrl { get; set; }
}

public sealed class PasswordForm
{
    public string? CurrentPassword { get; set; }

    public string? NewPassword { get; set; }

    public string? ConfirmPassword { get; set; }
}
